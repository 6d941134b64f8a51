// conv2d dW with its out and in channel axes swapped.
//   npx gradspec run --impl examples/buggy/conv2d-transposed-dw.ts
import { conv2dTransposedDW } from '../../conformance/test/broken/conv2d-transposed-dw';
import { catalogued } from './bug';

export const { bug, createImplementation } = catalogued(conv2dTransposedDW, {
  breaks: ['conv2d'], rule: 'spec/ops/conv2d.md#b2', cases: { ids: ['conv2d/dilation-stride-padding', 'conv2d/kernel-1x1'] },
  hint: /^dW looks transposed/,
});

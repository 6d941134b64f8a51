// conv2d dx as a correlation with the unflipped kernel.
//   npx gradspec run --impl examples/buggy/conv2d-kernel-not-flipped.ts
import { conv2dKernelNotFlipped } from '../../conformance/test/broken/conv2d-kernel-not-flipped';
import { catalogued } from './bug';

export const { bug, createImplementation } = catalogued(conv2dKernelNotFlipped, {
  breaks: ['conv2d'], rule: 'spec/ops/conv2d.md#b1', cases: { ids: ['conv2d/readable-flip-3x3', 'conv2d/padding-symmetric'] },
  // No hint claimed: the message names the tensor, the worst element and the rule.
});

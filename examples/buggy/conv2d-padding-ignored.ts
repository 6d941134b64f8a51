// conv2d backward that ignores the padding.
//   npx gradspec run --impl examples/buggy/conv2d-padding-ignored.ts
import { conv2dPaddingIgnored } from '../../conformance/test/broken/conv2d-padding-ignored';
import { catalogued } from './bug';

export const { bug, createImplementation } = catalogued(conv2dPaddingIgnored, {
  breaks: ['conv2d'], rule: 'spec/ops/conv2d.md#b1', cases: { ids: ['conv2d/padding-2-kernel-3', 'conv2d/padding-asymmetric'] },
  // No hint claimed: the message names the tensor, the worst element and the rule.
});

// tanh backward from the input: dy·(1 − x²) instead of dy·(1 − y²).
//   npx gradspec run --impl examples/buggy/tanh-backward-from-x.ts
import { tanhBackwardFromX } from '../../conformance/test/broken/tanh-backward-from-x';
import { catalogued } from './bug';

export const { bug, createImplementation } = catalogued(tanhBackwardFromX, {
  breaks: ['tanh'], rule: 'spec/ops/tanh.md#b1', cases: { ids: ['tanh/random-3x5x7', 'tanh/readable-2x3'] },
  // No hint claimed: the message names the tensor, the worst element and the rule.
});

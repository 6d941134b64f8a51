// cross_entropy summed over the batch when asked for the mean (the seed tutorial's bug).
//   npx gradspec run --impl examples/buggy/cross-entropy-summed.ts
import { crossEntropySummed } from '../../conformance/test/broken/cross-entropy-summed';
import { catalogued } from './bug';

export const { bug, createImplementation } = catalogued(crossEntropySummed, {
  breaks: ['cross_entropy'], rule: 'spec/ops/cross_entropy.md#b2', cases: { ids: ['cross_entropy/random-5x7-mean', 'cross_entropy/readable-2x3-mean'] },
  hint: /^every element of dlogits is \d+× the expected \(= B, B = \d+\): summed instead of averaged over the batch$/,
});

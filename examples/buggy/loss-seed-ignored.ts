// A loss backward that ignores its seed grad_output.loss (treats it as 1).
//   npx gradspec run --impl examples/buggy/loss-seed-ignored.ts
import { lossSeedIgnored } from '../../conformance/test/broken/loss-seed-ignored';
import { catalogued } from './bug';

export const { bug, createImplementation } = catalogued(lossSeedIgnored, {
  breaks: ['cross_entropy', 'nll'], rule: 'spec/ops/cross_entropy.md#b2', cases: { ids: ['cross_entropy/seeded-5x7-mean', 'nll/seeded-3x3-mean'] },
  hint: /the loss seed grad_output\.loss = 2\.5 was not multiplied in$/,
});

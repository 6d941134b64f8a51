// max_pool2d backward that gives the gradient to every tied maximum, not the first.
//   npx gradspec run --impl examples/buggy/max-pool-every-tie.ts
import { maxPoolEveryTie } from '../../conformance/test/broken/max-pool-every-tie';
import { catalogued } from './bug';

export const { bug, createImplementation } = catalogued(maxPoolEveryTie, {
  breaks: ['max_pool2d'], rule: 'spec/ops/max_pool2d.md#s1', cases: { ids: ['max_pool2d/exact-tie', 'max_pool2d/readable-4x4-k2'] },
  hint: /^dx is non-zero at \d+ of \d+ elements where the expected is 0, and right elsewhere: a window passes its gradient to one element only, the first maximum/,
});

// dropout that applies the mask but not the 1/(1 − p) scale.
//   npx gradspec run --impl examples/buggy/dropout-without-scale.ts
import { dropoutWithoutScale } from '../../conformance/test/broken/dropout-without-scale';
import { catalogued } from './bug';

export const { bug, createImplementation } = catalogued(dropoutWithoutScale, {
  breaks: ['dropout'], rule: 'spec/ops/dropout.md#s2', cases: { ids: ['dropout/p-09', 'dropout/p-099', 'dropout/eval-ignores-mask'] },
  hint: /^every element of (y|dx) is 0\.0?1× the expected \(= 1 − p, p = 0\.99?\): the 1\/\(1 − p\) scale of the kept elements is missing$/,
});

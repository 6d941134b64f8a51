// Adam without bias correction: p ← p − lr·m/(√v + ε).
//   npx gradspec run --impl examples/buggy/adam-without-bias-correction.ts
import { adamWithoutBiasCorrection } from '../../conformance/test/broken/adam-without-bias-correction';
import { catalogued } from './bug';

export const { bug, createImplementation } = catalogued(adamWithoutBiasCorrection, {
  breaks: ['linear'], rule: 'spec/ops/linear.md#u4', cases: { ids: ['linear/adam-3-steps'] },
  hint: /^the moments match but the params do not: the step from them is wrong \(lr\/\(1 − β1\^t\)/,
});

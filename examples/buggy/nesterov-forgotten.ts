// SGD with nesterov = true that takes the plain momentum step.
//   npx gradspec run --impl examples/buggy/nesterov-forgotten.ts
import { nesterovForgotten } from '../../conformance/test/broken/nesterov-forgotten';
import { catalogued } from './bug';

export const { bug, createImplementation } = catalogued(nesterovForgotten, {
  breaks: ['linear'], rule: 'spec/ops/linear.md#u4', cases: { ids: ['linear/nesterov-4-steps'] },
  hint: /^the momentum buffer matches but the params do not: the step from it is wrong \(.*nesterov\)$/,
});

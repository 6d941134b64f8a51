// ReLU backward that zeroes grad_output in place and returns it as dx.
//   npx gradspec run --impl examples/buggy/relu-in-place.ts
import { reluBackwardInPlace } from '../../conformance/test/broken/relu-in-place';
import { catalogued } from './bug';

export const { bug, createImplementation } = catalogued(reluBackwardInPlace, {
  breaks: ['relu'], rule: 'spec/INTERPRETING.md#must-not', cases: { ids: ['relu/random-3x5x7'] },
  hint: /^input mutated in place: grad_output\.y$/,
});

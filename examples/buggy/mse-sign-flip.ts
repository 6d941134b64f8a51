// MSE gradient as 2(t − y)/N: the sign flipped.
//   npx gradspec run --impl examples/buggy/mse-sign-flip.ts
import { mseSignFlip } from '../../conformance/test/broken/mse-sign-flip';
import { catalogued } from './bug';

export const { bug, createImplementation } = catalogued(mseSignFlip, {
  breaks: ['mse'], rule: 'spec/ops/mse.md#b1', cases: { ids: ['mse/random-3x5x7', 'mse/readable-2x3'] },
  hint: /^sign flip: dprediction = −1 × the expected in every element$/,
});

// Linear's dW computed as dyᵀ·x: the transpose of the (in, out) layout.
//   npx gradspec run --impl examples/buggy/linear-transposed-dw.ts
import { linearTransposedDW } from '../../conformance/test/broken/linear-transposed-dw';
import { catalogued } from './bug';

export const { bug, createImplementation } = catalogued(linearTransposedDW, {
  breaks: ['linear'], rule: 'spec/ops/linear.md#b2', cases: { ids: ['linear/batch-3-5-to-7', 'linear/readable-batch-2-3-to-2'] },
  hint: /^dW looks transposed \(weight layout is \(in, out\), dW = xᵀ·dy\)$/,
});

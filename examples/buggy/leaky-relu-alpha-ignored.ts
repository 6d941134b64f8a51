// leaky_relu that ignores its alpha attribute and always uses 0.01 (leaky_relu f1, b1).
//   npx gradspec run --impl examples/buggy/leaky-relu-alpha-ignored.ts
import { substitute } from '../../conformance/test/broken/substitute';
import { catalogued } from './bug';

export const { bug, createImplementation } = catalogued(
  (base) => substitute(base, 'leaky_relu', 'alpha fixed at 0.01', (request, ref) => ref.run({ ...request, attributes: { ...request.attributes, alpha: 0.01 } })),
  {
    breaks: ['leaky_relu'], rule: 'spec/ops/leaky_relu.md#b1', cases: { ids: ['leaky_relu/random-4x6-float32', 'leaky_relu/random-3x5x7'] },
    hint: /^dx is wrong exactly where x < 0 \(\d+ of 24 elements\), right elsewhere: the slope there is 0\.01, the rule's is 0\.2$/,
  },
);

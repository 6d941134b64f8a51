// ReLU whose backward passes the gradient through at x = 0 (x >= 0 instead of x > 0).
//   npx gradspec run --impl examples/buggy/relu-grad-at-zero.ts
import { reluGradAtZeroIsOne } from '../../conformance/test/broken/relu-grad-at-zero';
import { catalogued } from './bug';

export const { bug, createImplementation } = catalogued(reluGradAtZeroIsOne, {
  breaks: ['relu'], rule: 'spec/ops/relu.md#b2', cases: { ops: ['relu'], features: ['exact-zero'] },
  hint: /^ReLU'\(0\) must be 0: .*\(dx is wrong exactly where x = 0: \d+ of \d+ elements\)$/,
});

// leaky_relu backward with slope 1 at x = 0 (x >= 0 passes dy).
//   npx gradspec run --impl examples/buggy/leaky-relu-slope-one-at-zero.ts
import { leakyReluSlopeOneAtZero } from '../../conformance/test/broken/leaky-relu-slope-one-at-zero';
import { catalogued } from './bug';

export const { bug, createImplementation } = catalogued(leakyReluSlopeOneAtZero, {
  breaks: ['leaky_relu'], rule: 'spec/ops/leaky_relu.md#b2', cases: { ids: ['leaky_relu/grad-at-zero', 'leaky_relu/random-3x5x7'] },
  hint: /^at x = 0 \(and −0\) the slope is alpha: dx = alpha·dy there, not dy \(dx is wrong exactly where x = 0/,
});

// Cases for spec/ops/sgd.md. Each expect() writes fixtures/sgd/<id>.json.
import { opCases, type Attributes } from '../define-op';
import type { Feature } from '../../spec/types/fixture';
import { randn, tensor } from '../tensor';

/** f2: lr comes from the case's attributes; a missing or non-numeric lr is a case-file bug. */
function learningRate(attributes: Attributes): number {
  const lr = attributes.lr;
  if (typeof lr !== 'number' || !(lr > 0)) throw new Error(`sgd: attribute lr must be a positive number, got ${String(lr)}`);
  return lr;
}

const sgd = opCases('sgd', {
  // f1: param_next = param − lr·grad (no backward: an optimizer step is not differentiated).
  forward: (g, v, attributes) => ({
    param_next: g.op('Sub', [v.param!, g.op('Mul', [g.constant(learningRate(attributes)), v.grad!])]),
  }),
});

sgd.expect({
  id: 'readable-2x3',
  rule: 'f1',
  description: 'a 2×3 param with lr 0.5, small enough to check by hand',
  features: ['readable'],
  attributes: { lr: 0.5 },
  data: () => ({
    inputs: { param: tensor([2, 3], [1, -2, 0.5, 3, 0, -1]), grad: tensor([2, 3], [2, 1, -1, 0.5, -4, 2]) },
  }),
});

sgd.expect({
  id: 'zero-grad',
  rule: 's1',
  description: 'where grad is 0 the param comes back unchanged',
  features: ['readable', 'exact-zero'],
  attributes: { lr: 0.5 },
  data: () => ({ inputs: { param: tensor([4], [1.25, -3, 0, 7]), grad: tensor([4], [0, 0, 0, 2]) } }),
});

// [id, shape, lr, rule, features]: params of an MLP's shapes (a bias, a weight) and other ranks.
const RANDOM: [string, number[], number, 'f1' | 'f2', Feature[]][] = [
  ['bias-50-lr-0-5', [50], 0.5, 'f2', []],
  ['weight-5x7-lr-1e-3', [5, 7], 1e-3, 'f1', ['odd-shape', 'non-square']],
  ['rank-3-3x5x7-lr-0-1', [3, 5, 7], 0.1, 'f2', ['odd-shape']],
  ['single-element-1x1', [1, 1], 0.1, 'f2', ['odd-shape']],
  ['large-784x50-lr-0-5', [784, 50], 0.5, 'f1', ['large', 'non-square']],
];
for (const [id, shape, lr, rule, features] of RANDOM) {
  sgd.expect({
    id,
    rule,
    description: `random N(0,1) param and grad of shape ${shape.join('×')}, lr ${lr}`,
    features,
    attributes: { lr },
    data: (rng) => ({ inputs: { param: randn(rng, shape), grad: randn(rng, shape) } }),
  });
}

// float32: lr is rounded to float32 like the param (f3), then Mul and Sub each round once.
for (const [id, shape, lr, features] of [
  ['float32-weight-5x7-lr-1e-3', [5, 7], 1e-3, ['odd-shape', 'non-square']],
  ['float32-large-784x50-lr-0-1', [784, 50], 0.1, ['large', 'non-square']],
] as const) {
  sgd.expect({
    id,
    rule: 'f3',
    description: `float32 variant: random param and grad of shape ${shape.join('×')}, lr ${lr}`,
    features: [...features],
    dtype: 'float32',
    attributes: { lr },
    data: (rng) => ({ inputs: { param: randn(rng, [...shape]), grad: randn(rng, [...shape]) } }),
  });
}

export default sgd;

// Cases for spec/ops/sgd.md. Each expect() writes fixtures/sgd/<id>.json.
import { opCases } from '../define-op';
import type { Feature } from '../../spec/types/fixture';
import { optimizerStep, singleStepConfig } from '../formulas/optimizers';
import { randn, tensor } from '../tensor';

const sgd = opCases('sgd', {
  rules: (c) => (c.attribute('weight_decay') ? { 'forward.param_next': 'f4' } : {}),
  // f1: param_next = param − lr·grad; f4: grad + weight_decay·param first. The graph is the one every
  // plain-SGD trajectory uses (tools/formulas/optimizers.ts). No backward: a step is not differentiated.
  forward: (g, v, attributes) => ({
    param_next: optimizerStep(g, singleStepConfig('sgd', attributes), { param: v.param!, grad: v.grad!, state: {}, step: '' }).param,
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

// f4: coupled weight decay, as torch.optim.SGD(weight_decay=λ): λ·param joins grad before the step.
sgd.expect({
  id: 'weight-decay-readable-2x3',
  rule: 'f4',
  description: 'weight_decay 0.1 with lr 0.5: param − 0.5·(grad + 0.1·param), checkable by hand',
  features: ['readable', 'weight-decay'],
  attributes: { lr: 0.5, weight_decay: 0.1 },
  data: () => ({
    inputs: { param: tensor([2, 3], [1, -2, 0.5, 3, 0, -1]), grad: tensor([2, 3], [2, 1, -1, 0.5, -4, 2]) },
  }),
});

sgd.expect({
  id: 'weight-decay-float32-5x7',
  rule: 'f4',
  description: 'float32 variant: random param and grad of shape 5×7, lr 0.1, weight_decay 0.01',
  features: ['odd-shape', 'non-square', 'weight-decay'],
  dtype: 'float32',
  attributes: { lr: 0.1, weight_decay: 0.01 },
  data: (rng) => ({ inputs: { param: randn(rng, [5, 7]), grad: randn(rng, [5, 7]) } }),
});

export default sgd;

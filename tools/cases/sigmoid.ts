// Cases for spec/ops/sigmoid.md. Each expect() writes fixtures/sigmoid/<id>.json.
import { opCases } from '../define-op';
import { ELEMENTWISE_SHAPES } from '../grids';
import { randn, tensor } from '../tensor';

const sigmoid = opCases('sigmoid', {
  // f1 as written, 1/(1 + e^−x): ORT's native Sigmoid flushes the left tail (σ(−40) = 4.2e-18) to 0,
  // which s1 pins; e^−x = ∞ at x = −1e3 gives 1/∞ = 0, so the plain form needs no guard here.
  forward: (g, v) => ({ y: g.op('Div', [g.constant(1), g.op('Add', [g.constant(1), g.op('Exp', [g.op('Neg', [v.x!])])])]) }),
  // b1: dx = dy·y·(1 − y), from the forward output, as PyTorch's sigmoid_backward.
  backward: (g, _v, dy, _a, out) => ({
    x: g.op('Mul', [dy.y!, g.op('Mul', [out.y!, g.op('Sub', [g.constant(1), out.y!])])]),
  }),
});

sigmoid.expect({
  id: 'readable-2x3',
  rule: 'f1',
  description: 'a 2×3 matrix of mixed signs, small enough to check by hand',
  features: ['readable'],
  data: () => ({ inputs: { x: tensor([2, 3], [-2, -0.5, 0.25, 1, -1.5, 3]) } }),
});

sigmoid.expect({
  id: 'grad-at-zero',
  rule: 'b1',
  description: "σ(0) = 1/2 and σ'(0) = 1/4, with a non-unit grad_output",
  features: ['exact-zero', 'readable'],
  data: () => ({
    inputs: { x: tensor([1, 3], [0, -0, 0]) },
    grad_output: { y: tensor([1, 3], [1, -2, 4]) },
  }),
});

for (const dtype of ['float64', 'float32'] as const) {
  const suffix = dtype === 'float32' ? '-float32' : '';
  sigmoid.expect({
    id: `saturation-40${suffix}`,
    rule: 's1',
    description: `x = ±40 and ±20 saturate without losing the left tail (${dtype})`,
    features: ['extreme-values'],
    dtype,
    data: () => ({ inputs: { x: tensor([1, 4], [-40, -20, 20, 40]) } }),
  });
  sigmoid.expect({
    id: `extreme-1e3${suffix}`,
    rule: 's2',
    description: `x = ±1e3 and ±100: y is 0 or 1 and dx is 0, no overflow, no NaN (${dtype})`,
    features: ['extreme-values'],
    dtype,
    data: () => ({ inputs: { x: tensor([2, 2], [-1000, -100, 100, 1000]) } }),
  });
}

for (const { id, shape, features } of ELEMENTWISE_SHAPES) {
  sigmoid.expect({
    id,
    rule: 'b1',
    description: `random N(0, 3²) input of shape ${shape.join('×')}`,
    features,
    data: (rng) => ({ inputs: { x: randn(rng, shape, { std: 3 }) } }),
  });
}

sigmoid.expect({
  id: 'random-4x6-float32',
  rule: 'b1',
  description: 'float32 variant of a random 4×6 input',
  dtype: 'float32',
  data: (rng) => ({ inputs: { x: randn(rng, [4, 6], { std: 3 }) } }),
});

export default sigmoid;

// Cases for spec/ops/tanh.md. Each expect() writes fixtures/tanh/<id>.json.
import { opCases } from '../define-op';
import { ELEMENTWISE_SHAPES } from '../grids';
import { randn, tensor } from '../tensor';

const tanh = opCases('tanh', {
  forward: (g, v) => ({ y: g.op('Tanh', [v.x!]) }), // f1; ORT's Tanh saturates to ±1, never ∞/∞
  // b1: dx = dy·(1 − y²), from the forward output, as PyTorch's tanh_backward.
  backward: (g, _v, dy, _a, out) => ({
    x: g.op('Mul', [dy.y!, g.op('Sub', [g.constant(1), g.op('Mul', [out.y!, out.y!])])]),
  }),
});

tanh.expect({
  id: 'readable-2x3',
  rule: 'f1',
  description: 'a 2×3 matrix of mixed signs, small enough to check by hand',
  features: ['readable'],
  data: () => ({ inputs: { x: tensor([2, 3], [-2, -0.5, 0.25, 1, -1.5, 3]) } }),
});

tanh.expect({
  id: 'grad-at-zero',
  rule: 'b1',
  description: "tanh(0) = 0 and tanh'(0) = 1, with a non-unit grad_output",
  features: ['exact-zero', 'readable'],
  data: () => ({
    inputs: { x: tensor([1, 3], [0, -0, 0]) },
    grad_output: { y: tensor([1, 3], [1, -2, 4]) },
  }),
});

for (const dtype of ['float64', 'float32'] as const) {
  const suffix = dtype === 'float32' ? '-float32' : '';
  tanh.expect({
    id: `saturation-40${suffix}`,
    rule: 's1',
    description: `x = ±40, ±20 and ±10 saturate: y rounds to ±1 and dx to 0 (${dtype})`,
    features: ['extreme-values'],
    dtype,
    data: () => ({ inputs: { x: tensor([2, 3], [-40, -20, -10, 10, 20, 40]) } }),
  });
  tanh.expect({
    id: `extreme-1e3${suffix}`,
    rule: 's2',
    description: `x = ±1e3 and ±100: y = ±1 and dx = 0, no overflow, no NaN (${dtype})`,
    features: ['extreme-values'],
    dtype,
    data: () => ({ inputs: { x: tensor([2, 2], [-1000, -100, 100, 1000]) } }),
  });
}

for (const { id, shape, features } of ELEMENTWISE_SHAPES) {
  tanh.expect({
    id,
    rule: 'b1',
    description: `random N(0, 2²) input of shape ${shape.join('×')}`,
    features,
    data: (rng) => ({ inputs: { x: randn(rng, shape, { std: 2 }) } }),
  });
}

tanh.expect({
  id: 'random-4x6-float32',
  rule: 'b1',
  description: 'float32 variant of a random 4×6 input',
  dtype: 'float32',
  data: (rng) => ({ inputs: { x: randn(rng, [4, 6], { std: 2 }) } }),
});

export default tanh;

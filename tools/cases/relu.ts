// Cases for spec/ops/relu.md. Each expect() writes fixtures/relu/<id>.json.
import { opCases } from '../define-op';
import { ELEMENTWISE_SHAPES } from '../grids';
import { randn, tensor } from '../tensor';

const relu = opCases('relu', {
  kinks: { x: [0] },
  forward: (g, v) => ({ y: g.op('Relu', [v.x!]) }),
  // b1, b2: dx = dy where x > 0, else 0 — so ReLU'(0) = 0 is a written decision.
  backward: (g, v, dy) => ({
    x: g.op('Where', [g.op('Greater', [v.x!, g.constant(0)]), dy.y!, g.constant(0)]),
  }),
});

relu.expect({
  id: 'readable-2x3',
  rule: 'f1',
  description: 'a 2×3 matrix of mixed signs, small enough to check by hand',
  features: ['readable'],
  data: () => ({ inputs: { x: tensor([2, 3], [-2, -0.5, 0.25, 1, -1.5, 3]) } }),
});

relu.expect({
  id: 'grad-at-zero',
  rule: 'b2',
  rules: { 'backward.grad_inputs.x': 'b2' }, // the zeros are the point of this case
  description: 'gradient at x = 0 is 0, not grad_output',
  features: ['exact-zero', 'kink', 'readable'],
  data: () => ({
    inputs: { x: tensor([1, 5], [0, -1, 0, 2, 0]) },
    grad_output: { y: tensor([1, 5], [1, 2, 3, 4, 5]) },
  }),
});

relu.expect({
  id: 'negative-zero',
  rule: 's1',
  description: '-0 and 0 map to ±0 (compared by value) with gradient 0; ±1e-300 are not zero',
  features: ['negative-zero', 'exact-zero', 'kink'],
  data: () => ({ inputs: { x: tensor([6], [-0, 0, -1e-300, 1e-300, -2, 2]) } }),
});

for (const { id, shape, features } of ELEMENTWISE_SHAPES) {
  relu.expect({
    id,
    rule: 'b1',
    description: `random N(0,1) input of shape ${shape.join('×')}, kept 1e-3 away from the kink`,
    features,
    data: (rng) => ({ inputs: { x: randn(rng, shape, { avoid: [0] }) } }),
  });
}

relu.expect({
  id: 'random-4x6-float32',
  rule: 'b1',
  description: 'float32 variant of a random 4×6 input',
  dtype: 'float32',
  data: (rng) => ({ inputs: { x: randn(rng, [4, 6], { avoid: [0] }) } }),
});

export default relu;

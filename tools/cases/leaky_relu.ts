// Cases for spec/ops/leaky_relu.md. Each expect() writes fixtures/leaky_relu/<id>.json.
import type { Attributes } from '../define-op';
import type { Graph } from '../onnx/graph';
import { opCases } from '../define-op';
import { ELEMENTWISE_SHAPES } from '../grids';
import { randn, tensor } from '../tensor';

/** f2: the registry's default slope when the case gives none. */
const DEFAULT_ALPHA = 0.01;

function alphaOf(g: Graph, attributes: Attributes): string {
  return g.constant(typeof attributes.alpha === 'number' ? attributes.alpha : DEFAULT_ALPHA);
}

const leakyRelu = opCases('leaky_relu', {
  kinks: { x: [0] },
  // f1, written out: ORT's native LeakyRelu holds alpha as a float32 attribute even in a float64 graph.
  forward: (g, v, a) => {
    const positive = g.op('Greater', [v.x!, g.constant(0)]);
    return { y: g.op('Where', [positive, v.x!, g.op('Mul', [alphaOf(g, a), v.x!])]) };
  },
  // b1, b2: dx = dy where x > 0, alpha·dy elsewhere — x = 0 included, as PyTorch's leaky_relu_backward.
  backward: (g, v, dy, a) => {
    const positive = g.op('Greater', [v.x!, g.constant(0)]);
    return { x: g.op('Where', [positive, dy.y!, g.op('Mul', [alphaOf(g, a), dy.y!])]) };
  },
});

leakyRelu.expect({
  id: 'readable-2x3',
  rule: 'f1',
  description: 'a 2×3 matrix of mixed signs with alpha = 0.2, small enough to check by hand',
  features: ['readable'],
  attributes: { alpha: 0.2 },
  data: () => ({ inputs: { x: tensor([2, 3], [-2, -0.5, 0.25, 1, -1.5, 3]) } }),
});

leakyRelu.expect({
  id: 'default-alpha',
  rule: 'f2',
  description: 'no alpha attribute: the slope is 0.01 (PyTorch), not 0.2 (tf.leakyRelu)',
  features: ['readable'],
  data: () => ({
    inputs: { x: tensor([2, 3], [-100, -3, -0.5, 0.5, 3, 100]) },
    grad_output: { y: tensor([2, 3], [1, 2, 3, 4, 5, 6]) },
  }),
});

for (const dtype of ['float64', 'float32'] as const) {
  leakyRelu.expect({
    id: `grad-at-zero${dtype === 'float32' ? '-float32' : ''}`,
    rule: 'b2',
    rules: { 'backward.grad_inputs.x': 'b2' }, // the zeros are the point of this case
    description: `at x = 0 and −0 the slope is alpha: dx = alpha·dy, not dy (${dtype})`,
    features: ['exact-zero', 'negative-zero', 'kink', 'readable'],
    dtype,
    attributes: { alpha: 0.1 },
    data: () => ({
      inputs: { x: tensor([1, 6], [0, -1, -0, 2, 0, 1e-300]) },
      grad_output: { y: tensor([1, 6], [1, 2, 3, 4, 5, 6]) },
    }),
  });
}

leakyRelu.expect({
  id: 'alpha-zero-is-relu',
  rule: 's1',
  description: "alpha = 0 is ReLU, ReLU'(0) = 0 included",
  features: ['exact-zero', 'kink', 'readable'],
  attributes: { alpha: 0 },
  data: () => ({
    inputs: { x: tensor([1, 5], [-2, 0, 1.5, -0, -0.25]) },
    grad_output: { y: tensor([1, 5], [1, 2, 3, 4, 5]) },
  }),
});

for (const dtype of ['float64', 'float32'] as const) {
  leakyRelu.expect({
    id: `extreme-1e3${dtype === 'float32' ? '-float32' : ''}`,
    rule: 's2',
    description: `x = ±1e3 and ±40 with alpha = 0.01: y and dx stay exact and finite (${dtype})`,
    features: ['extreme-values'],
    dtype,
    attributes: { alpha: 0.01 },
    data: () => ({ inputs: { x: tensor([2, 2], [-1000, -40, 40, 1000]) } }),
  });
}

for (const { id, shape, features } of ELEMENTWISE_SHAPES) {
  leakyRelu.expect({
    id,
    rule: 'b1',
    description: `random N(0,1) input of shape ${shape.join('×')}, alpha = 0.01, kept 1e-3 away from the kink`,
    features,
    attributes: { alpha: 0.01 },
    data: (rng) => ({ inputs: { x: randn(rng, shape, { avoid: [0] }) } }),
  });
}

leakyRelu.expect({
  id: 'random-4x6-float32',
  rule: 'b1',
  description: 'float32 variant of a random 4×6 input, alpha = 0.2',
  dtype: 'float32',
  attributes: { alpha: 0.2 },
  data: (rng) => ({ inputs: { x: randn(rng, [4, 6], { avoid: [0] }) } }),
});

export default leakyRelu;

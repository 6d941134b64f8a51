// Cases for spec/ops/softmax.md. Each expect() writes fixtures/softmax/<id>.json.
import { opCases } from '../define-op';
import { lastAxisRules } from '../rules';
import { softmaxBackward, softmaxForward } from '../formulas/softmax';
import { randn, tensor } from '../tensor';

const softmax = opCases('softmax', {
  rules: lastAxisRules,
  forward: (g, v) => ({ y: softmaxForward(g, v.x!) }), // f1: exp(x − max) / Σ exp(x − max)
  backward: (g, _v, dy, _a, out) => ({ x: softmaxBackward(g, out.y!, dy.y!) }), // b1
});

const axis = { axis: -1 };

softmax.expect({
  id: 'readable-2x3',
  rule: 'f1',
  description: 'a 2×3 matrix of small logits, rows normalised independently',
  features: ['readable'],
  attributes: axis,
  data: () => ({
    inputs: { x: tensor([2, 3], [1, 2, 3, -1, 0, 0.5]) },
    grad_output: { y: tensor([2, 3], [1, 0, -1, 0.5, 2, -0.5]) },
  }),
});

softmax.expect({
  id: 'single-element',
  rule: 's3',
  description: 'a 1×1 input: y = 1 and dx = 0 whatever dy is',
  features: ['batch-1', 'odd-shape', 'exact-zero'],
  attributes: axis,
  data: () => ({ inputs: { x: tensor([1, 1], [0.7]) }, grad_output: { y: tensor([1, 1], [3]) } }),
});

softmax.expect({
  id: 'uniform-row',
  rule: 's2',
  description: 'rows of identical values give the uniform 1/n, and dx = (dy − mean dy)/n',
  features: ['uniform-input', 'readable'],
  attributes: axis,
  data: () => ({
    inputs: { x: tensor([2, 4], [5, 5, 5, 5, -200, -200, -200, -200]) },
    grad_output: { y: tensor([2, 4], [1, 2, 3, 4, -1, 0, 0, 1]) },
  }),
});

softmax.expect({
  id: 'extreme-logits',
  rule: 's1',
  description: 'logits of ±1e3 stay finite: exp without max-subtraction would overflow',
  features: ['extreme-values', 'confident-prediction'],
  attributes: axis,
  data: () => ({
    inputs: { x: tensor([3, 3], [1000, 999, -1000, -1000, -999.5, -1000, 1000, 1000, 1000]) },
  }),
});

// Square inputs (B = C): a max, a sum or a broadcast over the wrong axis gives wrong values instead
// of a shape error. The rows and the columns of the readable case differ.
softmax.expect({
  id: 'square-3x3',
  rule: 'f2',
  description: 'a square 3×3 input whose rows and columns differ: reductions run along rows',
  features: ['square', 'readable'],
  attributes: axis,
  data: () => ({
    inputs: { x: tensor([3, 3], [3, 0, -1, 1, 2, 0.5, -2, 4, 1]) },
    grad_output: { y: tensor([3, 3], [1, -1, 2, 0.5, 0, -2, 3, 1, -1]) },
  }),
});

for (const dtype of ['float64', 'float32'] as const) {
  softmax.expect({
    id: `random-square-6x6${dtype === 'float32' ? '-float32' : ''}`,
    rule: 'f2',
    description: `random N(0, 2²) logits of the square shape 6×6 (${dtype})`,
    features: ['square'],
    dtype,
    attributes: axis,
    data: (rng) => ({ inputs: { x: randn(rng, [6, 6], { std: 2 }) } }),
  });
}

for (const [id, shape, features] of [
  ['random-batch-1', [1, 7], ['batch-1']],
  ['random-3x5x7', [3, 5, 7], ['odd-shape']],
  ['random-64x10', [64, 10], ['large']],
] as const) {
  softmax.expect({
    id,
    rule: shape.length === 3 ? 'f2' : 'b1',
    description: `random N(0, 2²) logits of shape ${shape.join('×')}, softmax over the last axis`,
    features: [...features],
    attributes: axis,
    data: (rng) => ({ inputs: { x: randn(rng, [...shape], { std: 2 }) } }),
  });
}

softmax.expect({
  id: 'random-4x6-float32',
  rule: 'b1',
  description: 'float32 variant of random 4×6 logits',
  dtype: 'float32',
  attributes: axis,
  data: (rng) => ({ inputs: { x: randn(rng, [4, 6], { std: 2 }) } }),
});

softmax.expect({
  id: 'extreme-logits-float32',
  rule: 's1',
  description: 'float32 logits of ±1e3: exp(1e3) overflows float32 without max-subtraction',
  dtype: 'float32',
  features: ['extreme-values'],
  attributes: axis,
  data: () => ({ inputs: { x: tensor([2, 3], [1000, 998, -1000, -1000, -1000, -997]) } }),
});

// No axis attribute: the spec's default (−1, the last axis) must apply. Every other case gives it.
softmax.expect({
  id: 'default-axis',
  rule: 'f2',
  description: 'no axis attribute: the last axis by default; a 2×3×4 input, so any other axis gives other values',
  features: ['odd-shape'],
  attributes: {},
  data: (rng) => ({ inputs: { x: randn(rng, [2, 3, 4]) } }),
});

export default softmax;

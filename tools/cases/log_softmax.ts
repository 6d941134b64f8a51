// Cases for spec/ops/log_softmax.md. Each expect() writes fixtures/log_softmax/<id>.json.
import { opCases } from '../define-op';
import { lastAxisRules } from '../rules';
import { logSoftmaxForward } from '../formulas/softmax';
import { randn, tensor } from '../tensor';

const logSoftmax = opCases('log_softmax', {
  rules: lastAxisRules,
  forward: (g, v) => ({ y: logSoftmaxForward(g, v.x!) }), // f1: (x − m) − log Σ exp(x − m)
  // b1: dx = dy − exp(y)·Σ_last dy, exp(y) being softmax(x) — PyTorch's log_softmax backward.
  backward: (g, _v, dy, _a, out) => {
    const total = g.op('ReduceSum', [dy.y!, g.axes([-1])], { keepdims: 1 });
    return { x: g.op('Sub', [dy.y!, g.op('Mul', [g.op('Exp', [out.y!]), total])]) };
  },
});

const axis = { axis: -1 };

logSoftmax.expect({
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

logSoftmax.expect({
  id: 'single-element',
  rule: 's3',
  description: 'a 1×1 input: y = 0 and dx = 0 whatever dy is',
  features: ['batch-1', 'odd-shape', 'exact-zero'],
  attributes: axis,
  data: () => ({ inputs: { x: tensor([1, 1], [0.7]) }, grad_output: { y: tensor([1, 1], [3]) } }),
});

logSoftmax.expect({
  id: 'uniform-row',
  rule: 's2',
  description: 'rows of identical values give −log n, and dx = dy − Σdy/n',
  features: ['uniform-input', 'readable'],
  attributes: axis,
  data: () => ({
    inputs: { x: tensor([2, 4], [5, 5, 5, 5, -200, -200, -200, -200]) },
    grad_output: { y: tensor([2, 4], [1, 2, 3, 4, -1, 0, 0, 1]) },
  }),
});

for (const dtype of ['float64', 'float32'] as const) {
  logSoftmax.expect({
    id: `extreme-logits${dtype === 'float32' ? '-float32' : ''}`,
    rule: 's1',
    description: `logits of ±1e3: finite y down to −2000, never −Infinity; no overflow (${dtype})`,
    features: ['extreme-values', 'confident-prediction'],
    dtype,
    attributes: axis,
    data: () => ({
      inputs: { x: tensor([3, 3], [1000, 999, -1000, -1000, -999.5, -1000, 1000, 1000, 1000]) },
    }),
  });
}

// Square inputs (B = C): a max, a sum or a broadcast over the wrong axis gives wrong values instead
// of a shape error. The rows and the columns of the readable case differ.
logSoftmax.expect({
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
  logSoftmax.expect({
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
  logSoftmax.expect({
    id,
    rule: shape.length === 3 ? 'f2' : 'b1',
    description: `random N(0, 2²) logits of shape ${shape.join('×')}, log-softmax over the last axis`,
    features: [...features],
    attributes: axis,
    data: (rng) => ({ inputs: { x: randn(rng, [...shape], { std: 2 }) } }),
  });
}

logSoftmax.expect({
  id: 'random-4x6-float32',
  rule: 'b1',
  description: 'float32 variant of random 4×6 logits',
  dtype: 'float32',
  attributes: axis,
  data: (rng) => ({ inputs: { x: randn(rng, [4, 6], { std: 2 }) } }),
});

export default logSoftmax;

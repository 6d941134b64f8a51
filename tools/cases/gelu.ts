// Cases for spec/ops/gelu.md. Each expect() writes fixtures/gelu/<id>.json. The constants and the
// formulas are PyTorch's (aten/src/ATen/native/cpu/Activation.cpp, GeluKernelImpl and
// GeluBackwardKernelImpl), term for term.
import type { Attributes } from '../define-op';
import type { Graph } from '../onnx/graph';
import { opCases } from '../define-op';
import { erf } from '../formulas/erf';
import { randn, tensor } from '../tensor';

const SQRT1_2 = Math.SQRT1_2; // 1/√2
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI); // φ(0)
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI); // β of the tanh form
const KAPPA = 0.044715;

/** f3: 'none' when the case gives no approximate attribute. */
const isTanh = (a: Attributes): boolean => a.approximate === 'tanh';

/** Φ(x) = ½·(1 + erf(x/√2)). */
function cdf(g: Graph, x: string): string {
  return g.op('Mul', [g.constant(0.5), g.op('Add', [g.constant(1), erf(g, g.op('Mul', [x, g.constant(SQRT1_2)]))])]);
}

/** tanh(β·(x + κ·x³)). */
function tanhInner(g: Graph, x: string): string {
  const cube = g.op('Mul', [g.op('Mul', [x, x]), x]);
  return g.op('Tanh', [g.op('Mul', [g.constant(SQRT_2_OVER_PI), g.op('Add', [x, g.op('Mul', [g.constant(KAPPA), cube])])])]);
}

const gelu = opCases('gelu', {
  rules: (c) => (c.attribute('approximate') === 'tanh' ? { 'forward.y': 'f2', 'backward.grad_inputs.x': 'b2' } : {}),
  forward: (g, v, a) => {
    const x = v.x!;
    if (!isTanh(a)) return { y: g.op('Mul', [x, cdf(g, x)]) }; // f1: x·Φ(x)
    const t = tanhInner(g, x); // f2: ½·x·(1 + tanh(β(x + κx³)))
    return { y: g.op('Mul', [g.op('Mul', [g.constant(0.5), x]), g.op('Add', [g.constant(1), t])]) };
  },
  backward: (g, v, dy, a) => {
    const x = v.x!;
    if (!isTanh(a)) {
      // b1: dx = dy·(Φ(x) + x·φ(x)), φ(x) = e^(−x²/2)/√(2π)
      const pdf = g.op('Mul', [g.constant(INV_SQRT_2PI), g.op('Exp', [g.op('Mul', [g.op('Mul', [x, x]), g.constant(-0.5)])])]);
      return { x: g.op('Mul', [dy.y!, g.op('Add', [cdf(g, x), g.op('Mul', [x, pdf])])]) };
    }
    // b2: dx = dy·(½(1 + t) + ½x·(1 − t²)·β(1 + 3κx²))
    const t = tanhInner(g, x);
    const left = g.op('Mul', [g.constant(0.5), g.op('Add', [g.constant(1), t])]);
    const inner = g.op('Mul', [g.constant(SQRT_2_OVER_PI), g.op('Add', [g.constant(1), g.op('Mul', [g.constant(3 * KAPPA), g.op('Mul', [x, x])])])]);
    const right = g.op('Mul', [g.op('Mul', [g.op('Mul', [g.constant(0.5), x]), g.op('Sub', [g.constant(1), g.op('Mul', [t, t])])]), inner]);
    return { x: g.op('Mul', [dy.y!, g.op('Add', [left, right])]) };
  },
});

const READABLE = [-3, -1, -0.5, 0.5, 1, 2];

gelu.expect({
  id: 'readable-2x3',
  rule: 'f1',
  description: "a 2×3 matrix of mixed signs, approximate = 'none' (erf)",
  features: ['readable'],
  attributes: { approximate: 'none' },
  data: () => ({ inputs: { x: tensor([2, 3], READABLE) } }),
});

gelu.expect({
  id: 'readable-2x3-tanh',
  rule: 'f2',
  description: "the same 2×3 matrix, approximate = 'tanh'",
  features: ['readable'],
  attributes: { approximate: 'tanh' },
  data: () => ({ inputs: { x: tensor([2, 3], READABLE) } }),
});

gelu.expect({
  id: 'default-approximate',
  rule: 'f3',
  rules: { 'forward.y': 'f3' },
  description: "no approximate attribute: the exact erf form ('none'), not the tanh approximation",
  features: ['readable'],
  data: () => ({ inputs: { x: tensor([1, 4], [-2.7, -1, 1, 2.7]) } }),
});

for (const approximate of ['none', 'tanh'] as const) {
  const suffix = approximate === 'tanh' ? '-tanh' : '';
  gelu.expect({
    id: `grad-at-zero${suffix}`,
    rule: 's1',
    description: `gelu(0) = 0 and gelu'(0) = 1/2, with a non-unit grad_output (approximate = '${approximate}')`,
    features: ['exact-zero', 'readable'],
    attributes: { approximate },
    data: () => ({
      inputs: { x: tensor([1, 3], [0, -0, 0]) },
      grad_output: { y: tensor([1, 3], [1, -2, 4]) },
    }),
  });
  for (const dtype of ['float64', 'float32'] as const) {
    const dsuffix = dtype === 'float32' ? '-float32' : '';
    gelu.expect({
      id: `tails${suffix}${dsuffix}`,
      rule: 's2',
      description: `x = ±1e3, ±40, ±10, ±5: y → −0 / x and dx → 0 / dy, no overflow, no NaN ('${approximate}', ${dtype})`,
      features: ['extreme-values'],
      dtype,
      attributes: { approximate },
      data: () => ({ inputs: { x: tensor([2, 4], [-1000, -40, -10, -5, 5, 10, 40, 1000]) } }),
    });
  }
}

for (const dtype of ['float64', 'float32'] as const) {
  gelu.expect({
    id: `erf-not-tanh${dtype === 'float32' ? '-float32' : ''}`,
    rule: 's3',
    description: `x near ±2.7, where the two forms differ most (4.7e-4): 'none' is the erf form (${dtype})`,
    dtype,
    attributes: { approximate: 'none' },
    data: () => ({ inputs: { x: tensor([2, 3], [-3.5, -2.7, -2, 2, 2.7, 3.5]) } }),
  });
}

for (const [id, shape, features, approximate] of [
  ['random-1x1', [1, 1], ['batch-1', 'odd-shape'], 'none'],
  ['random-batch-1', [1, 7], ['batch-1'], 'none'],
  ['random-3x5x7', [3, 5, 7], ['odd-shape'], 'none'],
  ['random-64x50', [64, 50], ['large'], 'none'],
  ['random-batch-1-tanh', [1, 7], ['batch-1'], 'tanh'],
  ['random-3x5x7-tanh', [3, 5, 7], ['odd-shape'], 'tanh'],
] as const) {
  gelu.expect({
    id,
    rule: approximate === 'tanh' ? 'b2' : 'b1',
    description: `random N(0, 2²) input of shape ${shape.join('×')}, approximate = '${approximate}'`,
    features: [...features],
    attributes: { approximate },
    data: (rng) => ({ inputs: { x: randn(rng, [...shape], { std: 2 }) } }),
  });
}

for (const approximate of ['none', 'tanh'] as const) {
  gelu.expect({
    id: `random-4x6${approximate === 'tanh' ? '-tanh' : ''}-float32`,
    rule: approximate === 'tanh' ? 'b2' : 'b1',
    description: `float32 variant of a random 4×6 input, approximate = '${approximate}'`,
    dtype: 'float32',
    attributes: { approximate },
    data: (rng) => ({ inputs: { x: randn(rng, [4, 6], { std: 2 }) } }),
  });
}

export default gelu;

// Cases for spec/ops/dropout.md. Each expect() writes fixtures/dropout/<id>.json. The mask is an
// input (1 = keep, 0 = drop) drawn here from the case's PRNG, so every fixture is deterministic.
import type { Attributes } from '../define-op';
import type { Graph } from '../onnx/graph';
import type { Prng } from '../prng';
import { opCases } from '../define-op';
import { ELEMENTWISE_SHAPES } from '../grids';
import { numel, randn, tensor, type Tensor } from '../tensor';

/** f3: the registry's defaults. */
const DEFAULT_P = 0.5;

/** x·mask·(1/(1 − p)) in training (f1, b1), x itself in eval (f2, b2). */
function throughMask(g: Graph, t: string, mask: string, a: Attributes): string {
  if (a.training === false) return g.op('Identity', [t]);
  const p = typeof a.p === 'number' ? a.p : DEFAULT_P;
  return g.op('Mul', [g.op('Mul', [t, mask]), g.constant(1 / (1 - p))]);
}

const dropout = opCases('dropout', {
  rules: (c) =>
    c.attribute('training') === false
      ? { 'forward.y': 'f2', 'backward.grad_inputs.x': 'b2' }
      : c.hasFeature('extreme-values')
        ? { 'forward.y': 's2', 'backward.grad_inputs.x': 's2' } // p close to 1: the large scale
        : {},
  forward: (g, v, a) => ({ y: throughMask(g, v.x!, v.mask!, a) }),
  backward: (g, v, dy, a) => ({ x: throughMask(g, dy.y!, v.mask!, a) }), // the same mask and scale
});

/** Bernoulli(1 − p) keeps, redrawn until the mask both keeps and drops something (so both show); one element is kept. */
function randomMask(rng: Prng, shape: number[], p: number): Tensor {
  if (numel(shape) === 1) return tensor(shape, [1]);
  for (;;) {
    const data = Array.from({ length: numel(shape) }, () => (rng.uniform() < 1 - p ? 1 : 0));
    if (data.includes(0) && data.includes(1)) return tensor(shape, data);
  }
}

dropout.expect({
  id: 'readable-2x3',
  rule: 'f1',
  description: 'p = 0.5: kept elements doubled, dropped ones 0; small enough to check by hand',
  features: ['readable'],
  attributes: { p: 0.5, training: true },
  data: () => ({
    inputs: { x: tensor([2, 3], [-2, -0.5, 0.25, 1, -1.5, 3]), mask: tensor([2, 3], [1, 0, 1, 1, 0, 0]) },
    grad_output: { y: tensor([2, 3], [1, 2, 3, 4, 5, 6]) },
  }),
});

dropout.expect({
  id: 'default-attributes',
  rule: 'f3',
  description: 'no attributes: training with p = 0.5, so kept elements are doubled',
  features: ['readable'],
  data: () => ({
    inputs: { x: tensor([1, 4], [1, 2, 3, 4]), mask: tensor([1, 4], [0, 1, 1, 0]) },
    grad_output: { y: tensor([1, 4], [1, -1, 2, -2]) },
  }),
});

for (const dtype of ['float64', 'float32'] as const) {
  dropout.expect({
    id: `eval-ignores-mask${dtype === 'float32' ? '-float32' : ''}`,
    rule: dtype === 'float32' ? 'b2' : 'f2',
    description: `training = false: y = x and dx = dy, though the mask holds zeros (${dtype})`,
    features: ['readable'],
    dtype,
    attributes: { p: 0.5, training: false },
    data: () => ({
      inputs: { x: tensor([2, 3], [-2, -0.5, 0.25, 1, -1.5, 3]), mask: tensor([2, 3], [1, 0, 1, 0, 0, 1]) },
      grad_output: { y: tensor([2, 3], [1, 2, 3, 4, 5, 6]) },
    }),
  });
}

dropout.expect({
  id: 'p-zero',
  rule: 's1',
  description: 'p = 0 keeps everything (an all-ones mask) with scale 1: y = x, dx = dy',
  features: ['readable'],
  attributes: { p: 0, training: true },
  data: (rng) => ({ inputs: { x: randn(rng, [3, 4]), mask: tensor([3, 4], new Array<number>(12).fill(1)) } }),
});

for (const p of [0.9, 0.99]) {
  for (const dtype of ['float64', 'float32'] as const) {
    dropout.expect({
      id: `p-${String(p).replace('.', '')}${dtype === 'float32' ? '-float32' : ''}`,
      rule: 's2',
      description: `p = ${p}: the few kept elements are scaled by ${Math.round(1 / (1 - p))} (${dtype})`,
      features: ['extreme-values'],
      dtype,
      attributes: { p, training: true },
      data: (rng) => ({ inputs: { x: randn(rng, [4, 10]), mask: randomMask(rng, [4, 10], p) } }),
    });
  }
}

for (const { id, shape, features } of ELEMENTWISE_SHAPES) {
  dropout.expect({
    id,
    rule: 'b1',
    description: `random N(0,1) input of shape ${shape.join('×')} and a Bernoulli(0.7) mask, p = 0.3`,
    features,
    attributes: { p: 0.3, training: true },
    data: (rng) => ({ inputs: { x: randn(rng, shape), mask: randomMask(rng, shape, 0.3) } }),
  });
}

dropout.expect({
  id: 'random-4x6-float32',
  rule: 'b1',
  description: 'float32 variant: a random 4×6 input and mask, p = 0.3',
  dtype: 'float32',
  attributes: { p: 0.3, training: true },
  data: (rng) => ({ inputs: { x: randn(rng, [4, 6]), mask: randomMask(rng, [4, 6], 0.3) } }),
});

export default dropout;

// Cases for spec/ops/binary_cross_entropy_with_logits.md. Each expect() writes
// fixtures/binary_cross_entropy_with_logits/<id>.json.
import { opCases, type Attributes } from '../define-op';
import { reductionRules } from '../rules';
import type { Graph } from '../onnx/graph';
import { randn, scalar, tensor, uniform, type Tensor } from '../tensor';
import type { Feature } from '../../spec/types/fixture';
import type { Prng } from '../prng';

/** ONNX TensorProto element types for Cast. */
const CAST_TO = { float64: 11, float32: 1 } as const;

/** N, every element of z, as a scalar of the graph's dtype (the mean's divisor, f2). */
function elementCount(g: Graph, z: string): string {
  if (g.dtype === 'int64') throw new Error('binary_cross_entropy_with_logits: an int64 graph has no float dtype');
  return g.op('Cast', [g.op('Size', [z])], { to: CAST_TO[g.dtype] });
}

const meanOrSum = (g: Graph, x: string, z: string, a: Attributes): string => (a.reduction === 'sum' ? x : g.op('Div', [x, elementCount(g, z)]));

/** lw = 1 + (pos_weight − 1)·t, broadcast over the last axis (f3); 1 without pos_weight. */
const logWeight = (g: Graph, t: string, p: string) => g.op('Add', [g.constant(1), g.op('Mul', [g.op('Sub', [p, g.constant(1)]), t])]);

const bce = opCases('binary_cross_entropy_with_logits', {
  // f3: the loss with pos_weight; otherwise f1 (sum) or f2 (mean), as the other losses.
  rules: (c) => ({ ...reductionRules('logits')(c), ...(c.hasInput('pos_weight') ? { 'forward.loss': 'f3' } : {}) }),
  forward: (g, v, a) => {
    const z = v.logits!;
    const t = v.target!;
    // log(1 + e^−|z|): never overflows; + max(−z, 0) it is softplus(−z) = −log σ(z).
    const log1pExp = g.op('Log', [g.op('Add', [g.constant(1), g.op('Exp', [g.op('Neg', [g.op('Abs', [z])])])])]);
    const maxNegZ = g.op('Max', [g.op('Neg', [z]), g.constant(0)]);
    // f1: (1 − t)·z + softplus(−z) = max(z, 0) − z·t + log(1 + e^−|z|); f3: the softplus(−z) term
    // (the positive class's −log σ(z)) weighted by lw, as PyTorch writes it.
    const softplusNegZ = g.op('Add', [log1pExp, maxNegZ]);
    const weighted = v.pos_weight ? g.op('Mul', [logWeight(g, t, v.pos_weight), softplusNegZ]) : softplusNegZ;
    const elementwise = g.op('Add', [g.op('Mul', [g.op('Sub', [g.constant(1), t]), z]), weighted]);
    return { loss: meanOrSum(g, g.op('ReduceSum', [elementwise], { keepdims: 0 }), z, a) }; // f2
  },
  // b1: dz = (σ(z) − t)·g, and with pos_weight (lw·σ(z) − pos_weight·t)·g; ÷ N for mean (b2).
  backward: (g, v, dy, a) => {
    const z = v.logits!;
    const t = v.target!;
    const sigma = g.op('Div', [g.constant(1), g.op('Add', [g.constant(1), g.op('Exp', [g.op('Neg', [z])])])]);
    const grad = v.pos_weight
      ? g.op('Sub', [g.op('Mul', [logWeight(g, t, v.pos_weight), sigma]), g.op('Mul', [v.pos_weight, t])])
      : g.op('Sub', [sigma, t]);
    return { logits: g.op('Mul', [grad, meanOrSum(g, dy.loss!, z, a)]) };
  },
});

/** 0/1 targets, each 1 with probability ½. */
const binary = (rng: Prng, shape: number[]): Tensor => {
  const u = uniform(rng, shape, 0, 1);
  return tensor(shape, Array.from(u.data, (v) => (v < 0.5 ? 0 : 1)));
};

interface Case {
  id: string;
  rule: string;
  description: string;
  features: Feature[];
  reduction: 'mean' | 'sum';
  dtype?: 'float32';
  data(rng: Prng): { logits: Tensor; target: Tensor; pos_weight?: Tensor; seed?: number };
}

const CASES: Case[] = [
  {
    id: 'readable-2x3-mean',
    rule: 'f2',
    description: 'a 2×3 batch of small logits with 0/1 targets; the mean is over all 6 elements',
    features: ['readable', 'reduction-mean'],
    reduction: 'mean',
    data: () => ({ logits: tensor([2, 3], [1, -2, 0.5, 3, 0, -1]), target: tensor([2, 3], [1, 0, 0, 1, 1, 0]) }),
  },
  {
    id: 'readable-2x3-sum',
    rule: 'f1',
    description: 'a 2×3 batch of small logits with 0/1 targets; reduction sum',
    features: ['readable', 'reduction-sum'],
    reduction: 'sum',
    data: () => ({ logits: tensor([2, 3], [1, -2, 0.5, 3, 0, -1]), target: tensor([2, 3], [1, 0, 0, 1, 1, 0]) }),
  },
  {
    id: 'soft-targets',
    rule: 'f1',
    description: 'targets strictly between 0 and 1 (probabilities) are allowed; reduction sum',
    features: ['readable', 'reduction-sum'],
    reduction: 'sum',
    data: () => ({ logits: tensor([2, 2], [2, -1, 0.25, -3]), target: tensor([2, 2], [0.75, 0.5, 0.125, 1]) }),
  },
  {
    id: 'zero-logits',
    rule: 's2',
    description: 'z = 0: each element adds log 2 and its gradient is (½ − t)/N',
    features: ['readable', 'exact-zero', 'reduction-mean'],
    reduction: 'mean',
    data: () => ({ logits: tensor([2, 2], [0, 0, 0, 0]), target: tensor([2, 2], [1, 0, 0.5, 1]) }),
  },
  {
    id: 'pos-weight-readable-2x3',
    rule: 'f3',
    description: 'pos_weight [2, 0.5, 1] weights the positive term of each column; reduction mean',
    features: ['readable', 'reduction-mean'],
    reduction: 'mean',
    data: () => ({ logits: tensor([2, 3], [1, -2, 0.5, 3, 0, -1]), target: tensor([2, 3], [1, 0, 0, 1, 1, 0.5]), pos_weight: tensor([3], [2, 0.5, 1]) }),
  },
  {
    id: 'pos-weight-3x5x7-seeded',
    rule: 'b1',
    description: 'rank 3 (3×5×7), pos_weight of shape [7] broadcast over the last axis, loss seed −1.5',
    features: ['odd-shape', 'non-unit-seed', 'reduction-sum'],
    reduction: 'sum',
    data: (rng) => ({
      logits: randn(rng, [3, 5, 7], { std: 2 }),
      target: binary(rng, [3, 5, 7]),
      pos_weight: uniform(rng, [7], 0.25, 4),
      seed: -1.5,
    }),
  },
  {
    id: 'random-5x7-seeded-mean',
    rule: 'b2',
    description: 'random 5×7 logits with 0/1 targets, loss seed 3; the mean divides by 35, not 5',
    features: ['odd-shape', 'non-unit-seed', 'reduction-mean'],
    reduction: 'mean',
    data: (rng) => ({ logits: randn(rng, [5, 7], { std: 2 }), target: binary(rng, [5, 7]), seed: 3 }),
  },
  {
    id: 'batch-1',
    rule: 'b2',
    description: 'one element (1×1): mean and sum coincide',
    features: ['batch-1', 'odd-shape', 'reduction-mean'],
    reduction: 'mean',
    data: (rng) => ({ logits: randn(rng, [1, 1], { std: 2 }), target: binary(rng, [1, 1]) }),
  },
  {
    id: 'large-64x10-mean',
    rule: 'b2',
    description: 'random logits, batch 64, 10 outputs, 0/1 targets; reduction mean',
    features: ['large', 'reduction-mean'],
    reduction: 'mean',
    data: (rng) => ({ logits: randn(rng, [64, 10], { std: 2 }), target: binary(rng, [64, 10]) }),
  },
  {
    id: 'extreme-logits',
    rule: 's1',
    description: '±1e3 logits, right and wrong: no overflow, a wrong element adds ≈ 1000, with pos_weight',
    features: ['extreme-values', 'confident-prediction', 'reduction-sum'],
    reduction: 'sum',
    data: () => ({ logits: tensor([2, 3], [1000, -1000, 1000, -1000, 40, -40]), target: tensor([2, 3], [1, 0, 0, 1, 1, 0]), pos_weight: tensor([3], [1, 3, 0.5]) }),
  },
  {
    id: 'extreme-logits-float32',
    rule: 's1',
    description: 'float32 ±1e3 logits, right and wrong: finite loss and gradient',
    features: ['extreme-values', 'confident-prediction', 'reduction-mean'],
    reduction: 'mean',
    dtype: 'float32',
    data: () => ({ logits: tensor([2, 3], [1000, -1000, 1000, -1000, 40, -40]), target: tensor([2, 3], [1, 0, 0, 1, 1, 0]) }),
  },
  {
    id: 'pos-weight-4x6-float32',
    rule: 'f3',
    description: 'float32 variant: random 4×6 logits, pos_weight of shape [6]; reduction mean',
    features: ['reduction-mean'],
    reduction: 'mean',
    dtype: 'float32',
    data: (rng) => ({ logits: randn(rng, [4, 6], { std: 2 }), target: binary(rng, [4, 6]), pos_weight: uniform(rng, [6], 0.25, 4) }),
  },
];

for (const c of CASES) {
  bce.expect({
    id: c.id,
    rule: c.rule,
    description: c.description,
    features: c.features,
    dtype: c.dtype,
    attributes: { reduction: c.reduction },
    data: (rng) => {
      const { logits, target, pos_weight, seed } = c.data(rng);
      return {
        inputs: { logits, target, ...(pos_weight ? { pos_weight } : {}) },
        ...(seed === undefined ? {} : { grad_output: { loss: scalar(seed) } }),
      };
    },
  });
}

// No reduction attribute: the spec's default (mean) must apply. Every other case names its reduction,
// so a wrong default passed them all (a mutant of src's default survived).
bce.expect({
  id: 'default-reduction',
  rule: 'f2',
  description: 'no attributes: reduction mean (over every element) by default; random 2×3 logits and 0/1 targets',
  features: ['reduction-mean'],
  attributes: {},
  data: (rng) => ({ inputs: { logits: randn(rng, [2, 3], { std: 2 }), target: binary(rng, [2, 3]) } }),
});

export default bce;

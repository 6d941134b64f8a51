// Cases for spec/ops/cross_entropy.md. Each expect() writes fixtures/cross_entropy/<id>.json.
// Every case exists once per reduction, so "summed instead of averaged" is caught at batch > 1.
import { opCases } from '../define-op';
import { reductionRules } from '../rules';
import { crossEntropyBackward, crossEntropyForward, type Reduction } from '../formulas/losses';
import { randn, randomOneHot, tensor, type Tensor } from '../tensor';
import type { Feature } from '../../spec/types/fixture';
import type { Prng } from '../prng';

const reductionOf = (a: Record<string, unknown>): Reduction => (a.reduction === 'sum' ? 'sum' : 'mean');

const crossEntropy = opCases('cross_entropy', {
  rules: reductionRules('logits'),
  // f1, f2: −Σ t · log_softmax(logits), log_softmax computed stably; ÷ batch for mean.
  forward: (g, v, a) => ({ loss: crossEntropyForward(g, v.logits!, v.target!, reductionOf(a)) }),
  // b1, b2: (softmax − t) · g, ÷ batch for mean.
  backward: (g, v, dy, a) => ({ logits: crossEntropyBackward(g, v.logits!, v.target!, dy.loss!, reductionOf(a)) }),
});

interface Variant {
  id: string;
  rule: { mean: string; sum: string };
  description: string;
  features: Feature[];
  dtype?: 'float32';
  data(rng: Prng): { logits: Tensor; target: Tensor };
}

const random = (batch: number, classes: number) => (rng: Prng) => ({
  logits: randn(rng, [batch, classes], { std: 2 }),
  target: randomOneHot(rng, batch, classes),
});

const variants: Variant[] = [
  {
    id: 'readable-2x3',
    rule: { mean: 'f2', sum: 'f1' },
    description: 'a 2×3 batch of small logits with one-hot targets',
    features: ['readable'],
    data: () => ({ logits: tensor([2, 3], [1, 2, 3, 0.5, -1, 0]), target: tensor([2, 3], [0, 0, 1, 1, 0, 0]) }),
  },
  {
    id: 'batch-1',
    rule: { mean: 's2', sum: 's2' },
    description: 'batch 1: mean and sum give the same loss and gradient',
    features: ['batch-1'],
    data: random(1, 10),
  },
  {
    id: 'random-5x7',
    rule: { mean: 'b2', sum: 'b1' },
    description: 'random 5×7 logits (odd class count) with one-hot targets',
    features: ['odd-shape'],
    data: random(5, 7),
  },
  {
    id: 'random-64x10',
    rule: { mean: 'b2', sum: 'b1' },
    description: 'random logits, batch 64, 10 classes',
    features: ['large'],
    data: random(64, 10),
  },
  {
    id: 'extreme-logits',
    rule: { mean: 's1', sum: 's1' },
    description: '±1e3 logits: one row confidently right, one confidently wrong (loss ≈ 2000)',
    features: ['extreme-values', 'confident-prediction'],
    data: () => ({
      logits: tensor([3, 3], [1000, -1000, 0, -1000, 1000, -1000, 1000, 999, -1000]),
      target: tensor([3, 3], [1, 0, 0, 1, 0, 0, 0, 1, 0]),
    }),
  },
  {
    id: 'random-4x6-float32',
    rule: { mean: 'b2', sum: 'b1' },
    description: 'float32 variant: random 4×6 logits with one-hot targets',
    features: [],
    dtype: 'float32',
    data: random(4, 6),
  },
  {
    id: 'extreme-logits-float32',
    rule: { mean: 's1', sum: 's1' },
    description: 'float32 ±1e3 logits, confidently wrong row included',
    features: ['extreme-values', 'confident-prediction'],
    dtype: 'float32',
    data: () => ({
      logits: tensor([2, 3], [-1000, 1000, 998, 1000, -1000, -1000]),
      target: tensor([2, 3], [1, 0, 0, 1, 0, 0]),
    }),
  },
];

for (const reduction of ['mean', 'sum'] as const) {
  for (const v of variants) {
    crossEntropy.expect({
      id: `${v.id.replace(/-float32$/, '')}-${reduction}${v.dtype ? '-float32' : ''}`,
      rule: v.rule[reduction],
      description: `${v.description}; reduction ${reduction}`,
      features: [...v.features, `reduction-${reduction}`],
      dtype: v.dtype,
      attributes: { reduction },
      data: (rng) => ({ inputs: v.data(rng) }),
    });
  }
}

// A loss seed ≠ 1 (b1, b2): a backward that ignores grad_output.loss passes every case above. s3: B = C,
// where a per-row quantity broadcast along the wrong axis still gives the right shapes.
for (const [id, rule, batch, classes, seed, reduction, dtype, features] of [
  ['seeded-5x7-mean', 'b2', 5, 7, 2.5, 'mean', 'float64', ['odd-shape']],
  ['seeded-5x7-sum', 'b1', 5, 7, -0.5, 'sum', 'float64', ['odd-shape']],
  ['square-4x4-seeded-mean', 's3', 4, 4, -2.5, 'mean', 'float64', ['square']],
  ['square-4x4-seeded-sum', 's3', 4, 4, 3, 'sum', 'float64', ['square']],
  ['square-3x3-seeded-sum-float32', 's3', 3, 3, 0.5, 'sum', 'float32', ['square']],
] as const) {
  crossEntropy.expect({
    id,
    rule,
    description: `${dtype === 'float32' ? 'float32 variant: ' : ''}random ${batch}×${classes} logits, one-hot targets, loss seed ${seed}; reduction ${reduction}`,
    features: [...features, 'non-unit-seed', `reduction-${reduction}`],
    dtype,
    attributes: { reduction },
    data: (rng) => ({ inputs: random(batch, classes)(rng), grad_output: { loss: tensor([], [seed]) } }),
  });
}

// No reduction attribute: the spec's default (mean) must apply. Every other case names its reduction,
// so a wrong default passed them all (a mutant of src's default survived).
crossEntropy.expect({
  id: 'default-reduction',
  rule: 'f2',
  description: 'no attributes: reduction mean by default; a 2×3 batch of small logits with one-hot targets',
  features: ['readable', 'reduction-mean'],
  attributes: {},
  data: () => ({ inputs: { logits: tensor([2, 3], [1, 2, 3, 0.5, -1, 0]), target: tensor([2, 3], [0, 0, 1, 1, 0, 0]) } }),
});

export default crossEntropy;

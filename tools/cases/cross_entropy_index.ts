// Cases for spec/ops/cross_entropy_index.md. Each expect() writes fixtures/cross_entropy_index/<id>.json.
// Most cases exist once per reduction, so "summed instead of averaged" is caught at batch > 1, and the
// ignore_index cases make the mean's divisor (rows kept, not the batch) visible.
import { opCases } from '../define-op';
import { reductionRules } from '../rules';
import { classIndexOptions, crossEntropyIndexBackward, crossEntropyIndexForward } from '../formulas/class-index';
import { randn, randomClasses, scalar, tensor, type Tensor } from '../tensor';
import type { Feature } from '../../spec/types/fixture';
import type { Prng } from '../prng';

const crossEntropyIndex = opCases('cross_entropy_index', {
  rules: reductionRules('logits'),
  // f1–f3: −Σ_kept log_softmax(logits)[b, t_b], log_softmax computed stably; ÷ rows kept for mean.
  forward: (g, v, a) => ({ loss: crossEntropyIndexForward(g, v.logits!, v.target!, classIndexOptions(a)) }),
  // b1, b2: (softmax − one_hot(t)) · g on kept rows (÷ rows kept for mean), 0 on ignored rows.
  backward: (g, v, dy, a) => ({ logits: crossEntropyIndexBackward(g, v.logits!, v.target!, dy.loss!, classIndexOptions(a)) }),
});

const ints = (values: number[]): Tensor => tensor([values.length], values, 'int64');

interface Variant {
  id: string;
  rule: { mean: string; sum: string };
  description: string;
  features: Feature[];
  dtype?: 'float32';
  /** ignore_index when the case sets it; left out, the default −100 applies. */
  ignoreIndex?: number;
  data(rng: Prng): { logits: Tensor; target: Tensor; seed?: number };
}

const random = (batch: number, classes: number, seed?: number) => (rng: Prng) => ({
  logits: randn(rng, [batch, classes], { std: 2 }),
  target: randomClasses(rng, batch, classes),
  ...(seed === undefined ? {} : { seed }),
});

const variants: Variant[] = [
  {
    // The logits and classes of cross_entropy/readable-2x3 (one-hot rows [0,0,1], [1,0,0]): same values.
    id: 'readable-2x3',
    rule: { mean: 'f2', sum: 'f1' },
    description: 'the 2×3 logits of cross_entropy/readable-2x3 with classes [2, 0]',
    features: ['readable'],
    data: () => ({ logits: tensor([2, 3], [1, 2, 3, 0.5, -1, 0]), target: ints([2, 0]) }),
  },
  {
    id: 'ignore-index-readable-4x3',
    rule: { mean: 'f3', sum: 'b1' },
    description: 'rows 1 and 3 have target −100 (ignore_index): mean divides by the 2 rows kept',
    features: ['readable', 'ignore-index'],
    ignoreIndex: -100,
    data: () => ({ logits: tensor([4, 3], [1, 2, 3, 0.5, -1, 0, -2, 0, 2, 3, 1, -1]), target: ints([2, -100, 0, -100]) }),
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
    description: 'random 5×7 logits (odd class count), random classes',
    features: ['odd-shape'],
    data: random(5, 7),
  },
  {
    id: 'square-4x4-seeded',
    rule: { mean: 's4', sum: 's4' },
    description: 'B = C = 4 and a loss seed of −2.5 (a wrong-axis broadcast or a dropped seed shows)',
    features: ['square', 'non-unit-seed'],
    data: random(4, 4, -2.5),
  },
  {
    id: 'extreme-logits',
    rule: { mean: 's1', sum: 's1' },
    description: '±1e3 logits: one row confidently right, one confidently wrong (loss ≈ 2000)',
    features: ['extreme-values', 'confident-prediction'],
    data: () => ({ logits: tensor([3, 3], [1000, -1000, 0, -1000, 1000, -1000, 1000, 999, -1000]), target: ints([0, 0, 1]) }),
  },
  {
    id: 'random-4x6-float32',
    rule: { mean: 'b2', sum: 'b1' },
    description: 'float32 variant: random 4×6 logits, random classes',
    features: [],
    dtype: 'float32',
    data: random(4, 6),
  },
  {
    id: 'square-5x5-seeded-float32',
    rule: { mean: 's4', sum: 's4' },
    description: 'float32 variant: B = C = 5, one row ignored, loss seed 0.5',
    features: ['square', 'non-unit-seed', 'ignore-index'],
    dtype: 'float32',
    data: (rng) => ({ logits: randn(rng, [5, 5], { std: 2 }), target: ints([3, 0, -100, 4, 1]), seed: 0.5 }),
  },
];

for (const reduction of ['mean', 'sum'] as const) {
  for (const v of variants) {
    const ignore: Record<string, number> = typeof v.ignoreIndex === 'number' ? { ignore_index: v.ignoreIndex } : {};
    crossEntropyIndex.expect({
      id: `${v.id.replace(/-float32$/, '')}-${reduction}${v.dtype ? '-float32' : ''}`,
      rule: v.rule[reduction],
      description: `${v.description}; reduction ${reduction}`,
      features: [...v.features, `reduction-${reduction}`],
      dtype: v.dtype,
      attributes: { reduction, ...ignore },
      data: (rng) => {
        const { logits, target, seed } = v.data(rng);
        return { inputs: { logits, target }, ...(seed === undefined ? {} : { grad_output: { loss: scalar(seed) } }) };
      },
    });
  }
}

crossEntropyIndex.expect({
  id: 'large-64x10-mean',
  rule: 'b2',
  description: 'random logits, batch 64, 10 classes, every eighth row ignored; reduction mean',
  features: ['large', 'ignore-index', 'reduction-mean'],
  attributes: { reduction: 'mean', ignore_index: -100 },
  data: (rng) => {
    const logits = randn(rng, [64, 10], { std: 2 });
    const classes = randomClasses(rng, 64, 10);
    return { inputs: { logits, target: ints(Array.from(classes.data, (c, i) => (i % 8 === 3 ? -100 : c))) } };
  },
});

crossEntropyIndex.expect({
  id: 'ignore-index-default',
  rule: 'f3',
  description: 'no ignore_index attribute: the default −100 applies to row 1',
  features: ['readable', 'ignore-index', 'reduction-mean'],
  attributes: { reduction: 'mean' },
  data: () => ({ inputs: { logits: tensor([3, 3], [1, 2, 3, 0.5, -1, 0, -2, 0, 2]), target: ints([2, -100, 1]) } }),
});

crossEntropyIndex.expect({
  id: 'ignore-index-valid-class',
  rule: 'f3',
  description: 'ignore_index 1 is a valid class: rows with target 1 are left out all the same',
  features: ['readable', 'ignore-index', 'reduction-mean'],
  attributes: { reduction: 'mean', ignore_index: 1 },
  data: () => ({ inputs: { logits: tensor([4, 3], [1, 2, 3, 0.5, -1, 0, -2, 0, 2, 3, 1, -1]), target: ints([1, 0, 1, 2]) } }),
});

crossEntropyIndex.expect({
  id: 'all-ignored-sum',
  rule: 's3',
  description: 'every row ignored, reduction sum: loss 0 and a zero gradient',
  features: ['readable', 'ignore-index', 'exact-zero', 'reduction-sum'],
  attributes: { reduction: 'sum', ignore_index: -100 },
  data: () => ({ inputs: { logits: tensor([2, 3], [1, 2, 3, 0.5, -1, 0]), target: ints([-100, -100]) } }),
});

// s3: 0/0 is NaN, as PyTorch. Forward only: no finite difference of a NaN loss can check a gradient.
crossEntropyIndex.expect({
  id: 'all-ignored-mean',
  rule: 's3',
  description: 'every row ignored, reduction mean: the loss is 0/0 = NaN, as PyTorch',
  features: ['readable', 'ignore-index', 'reduction-mean'],
  attributes: { reduction: 'mean', ignore_index: -100 },
  backward: false,
  data: () => ({ inputs: { logits: tensor([2, 3], [1, 2, 3, 0.5, -1, 0]), target: ints([-100, -100]) } }),
});

// No attributes at all: the spec's defaults (reduction mean, ignore_index −100) must apply. Every other
// case names its reduction, so a wrong default passed them all (a mutant of src's default survived).
crossEntropyIndex.expect({
  id: 'default-attributes',
  rule: 'f3',
  description: 'no attributes: reduction mean and ignore_index −100 by default; row 1 has target −100',
  features: ['readable', 'ignore-index', 'reduction-mean'],
  attributes: {},
  data: () => ({ inputs: { logits: tensor([3, 2], [0.5, -1, 2, 0.125, -0.25, 1.5]), target: ints([1, -100, 0]) } }),
});

export default crossEntropyIndex;

// Cases for spec/ops/nll.md. Each expect() writes fixtures/nll/<id>.json.
// log_probs are inputs, so they are drawn here: random logits' log-softmax (computed in the case file,
// as any input is), which is what an nll_loss usually receives; the loss does not require it.
import { opCases } from '../define-op';
import { reductionRules } from '../rules';
import { classIndexOptions, nllBackward, nllForward } from '../formulas/class-index';
import { randn, randomClasses, scalar, tensor, type Tensor } from '../tensor';
import type { Prng } from '../prng';

const nll = opCases('nll', {
  rules: reductionRules('log_probs'),
  // f1–f3: −Σ_kept log_probs[b, t_b]; ÷ rows kept for mean.
  forward: (g, v, a) => ({ loss: nllForward(g, v.log_probs!, v.target!, classIndexOptions(a)) }),
  // b1, b2: −one_hot(t) · g on kept rows (÷ rows kept for mean), 0 on ignored rows.
  backward: (g, v, dy, a) => ({ log_probs: nllBackward(g, v.log_probs!, v.target!, dy.loss!, classIndexOptions(a)) }),
});

const ints = (values: number[]): Tensor => tensor([values.length], values, 'int64');

/** Row-wise log-softmax of N(0, 2²) logits: each row's exp sums to 1. */
function randomLogProbs(rng: Prng, batch: number, classes: number): Tensor {
  const z = randn(rng, [batch, classes], { std: 2 });
  const out = new Float64Array(z.data.length);
  for (let r = 0; r < batch; r++) {
    const row = z.data.subarray(r * classes, (r + 1) * classes);
    const m = Math.max(...row);
    const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
    row.forEach((v, c) => (out[r * classes + c] = v - lse));
  }
  return tensor([batch, classes], out);
}

nll.expect({
  id: 'readable-2x3-mean',
  rule: 'f2',
  description: 'log-probabilities of a 2×3 batch, classes [2, 0]; reduction mean',
  features: ['readable', 'reduction-mean'],
  attributes: { reduction: 'mean' },
  data: () => ({ inputs: { log_probs: tensor([2, 3], [-2.5, -1.5, -0.25, -0.5, -2, -1.25]), target: ints([2, 0]) } }),
});

nll.expect({
  id: 'readable-2x3-sum',
  rule: 'f1',
  description: 'log-probabilities of a 2×3 batch, classes [2, 0]; reduction sum',
  features: ['readable', 'reduction-sum'],
  attributes: { reduction: 'sum' },
  data: () => ({ inputs: { log_probs: tensor([2, 3], [-2.5, -1.5, -0.25, -0.5, -2, -1.25]), target: ints([2, 0]) } }),
});

for (const reduction of ['mean', 'sum'] as const) {
  nll.expect({
    id: `ignore-index-readable-4x3-${reduction}`,
    rule: reduction === 'mean' ? 'f3' : 'b1',
    description: `rows 0 and 2 have target −100 (ignore_index), the rest are kept; reduction ${reduction}`,
    features: ['readable', 'ignore-index', `reduction-${reduction}`],
    attributes: { reduction, ignore_index: -100 },
    data: () => ({
      inputs: { log_probs: tensor([4, 3], [-1, -2, -0.5, -0.25, -3, -1.5, -2, -2, -0.125, -4, -0.75, -1]), target: ints([-100, 1, -100, 0]) },
    }),
  });
  nll.expect({
    id: `random-5x7-${reduction}`,
    rule: reduction === 'mean' ? 'b2' : 'b1',
    description: `log-softmax of random 5×7 logits, random classes; reduction ${reduction}`,
    features: ['odd-shape', `reduction-${reduction}`],
    attributes: { reduction },
    data: (rng) => ({ inputs: { log_probs: randomLogProbs(rng, 5, 7), target: randomClasses(rng, 5, 7) } }),
  });
  nll.expect({
    id: `seeded-3x3-${reduction}`,
    rule: 's4',
    description: `B = C = 3 with a loss seed of 4, one row ignored; reduction ${reduction}`,
    features: ['square', 'non-unit-seed', 'ignore-index', `reduction-${reduction}`],
    attributes: { reduction, ignore_index: -100 },
    data: (rng) => ({ inputs: { log_probs: randomLogProbs(rng, 3, 3), target: ints([1, -100, 2]) }, grad_output: { loss: scalar(4) } }),
  });
}

nll.expect({
  id: 'batch-1',
  rule: 's2',
  description: 'batch 1, 10 classes: mean and sum give the same loss and gradient',
  features: ['batch-1', 'reduction-mean'],
  attributes: { reduction: 'mean' },
  data: (rng) => ({ inputs: { log_probs: randomLogProbs(rng, 1, 10), target: randomClasses(rng, 1, 10) } }),
});

nll.expect({
  id: 'large-64x10-sum',
  rule: 'b1',
  description: 'log-softmax of random logits, batch 64, 10 classes; reduction sum',
  features: ['large', 'reduction-sum'],
  attributes: { reduction: 'sum' },
  data: (rng) => ({ inputs: { log_probs: randomLogProbs(rng, 64, 10), target: randomClasses(rng, 64, 10) } }),
});

nll.expect({
  id: 'ignore-index-valid-class',
  rule: 'f3',
  description: 'ignore_index 0 is a valid class: rows with target 0 are left out all the same',
  features: ['readable', 'ignore-index', 'reduction-mean'],
  attributes: { reduction: 'mean', ignore_index: 0 },
  data: () => ({ inputs: { log_probs: tensor([3, 2], [-0.5, -1, -2, -0.125, -0.25, -1.5]), target: ints([0, 1, 0]) } }),
});

nll.expect({
  id: 'extreme-log-probs',
  rule: 's1',
  description: 'picked log-probabilities of −1e3 and −1e-12: the loss is their negated mean, nothing overflows',
  features: ['extreme-values', 'confident-prediction', 'reduction-mean'],
  attributes: { reduction: 'mean' },
  data: () => ({ inputs: { log_probs: tensor([2, 3], [-1000, -1e-12, -2000, -1e-12, -1000, -1000]), target: ints([0, 0]) } }),
});

nll.expect({
  id: 'all-ignored-mean',
  rule: 's3',
  description: 'every row ignored, reduction mean: the loss is 0/0 = NaN, as PyTorch',
  features: ['readable', 'ignore-index', 'reduction-mean'],
  attributes: { reduction: 'mean' },
  backward: false,
  data: () => ({ inputs: { log_probs: tensor([2, 2], [-0.5, -1, -2, -0.125]), target: ints([-100, -100]) } }),
});

for (const reduction of ['mean', 'sum'] as const) {
  nll.expect({
    id: `random-4x6-${reduction}-float32`,
    rule: reduction === 'mean' ? 'b2' : 'b1',
    description: `float32 variant: log-softmax of random 4×6 logits, one row ignored, seed −1.5; reduction ${reduction}`,
    features: ['ignore-index', 'non-unit-seed', `reduction-${reduction}`],
    dtype: 'float32',
    attributes: { reduction, ignore_index: -100 },
    data: (rng) => ({
      inputs: { log_probs: randomLogProbs(rng, 4, 6), target: ints([5, 0, -100, 3]) },
      grad_output: { loss: scalar(-1.5) },
    }),
  });
}

// No attributes at all: the spec's defaults (reduction mean, ignore_index −100) must apply. Every other
// case names its reduction, so a wrong default passed them all (a mutant of src's default survived).
nll.expect({
  id: 'default-attributes',
  rule: 'f3',
  description: 'no attributes: reduction mean and ignore_index −100 by default; row 1 has target −100',
  features: ['readable', 'ignore-index', 'reduction-mean'],
  attributes: {},
  data: () => ({ inputs: { log_probs: tensor([3, 2], [-0.5, -1, -2, -0.125, -0.25, -1.5]), target: ints([1, -100, 0]) } }),
});

export default nll;

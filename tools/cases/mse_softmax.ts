// Cases for spec/ops/mse_softmax.md (the tutorial's MSES). Each expect() writes
// fixtures/mse_softmax/<id>.json.
import { opCases } from '../define-op';
import { mseSoftmaxBackward, mseSoftmaxForward } from '../formulas/losses';
import { randn, randomOneHot, tensor } from '../tensor';

const mseSoftmax = opCases('mse_softmax', {
  forward: (g, v) => ({ loss: mseSoftmaxForward(g, v.logits!, v.target!) }), // f1
  backward: (g, v, dy) => ({ logits: mseSoftmaxBackward(g, v.logits!, v.target!, dy.loss!) }), // b1
});

mseSoftmax.expect({
  id: 'readable-2x3',
  rule: 'f1',
  description: 'a 2×3 batch of small logits against one-hot targets',
  features: ['readable'],
  data: () => ({
    inputs: {
      logits: tensor([2, 3], [1, 2, 3, 0.5, -1, 0]),
      target: tensor([2, 3], [0, 0, 1, 1, 0, 0]),
    },
  }),
});

mseSoftmax.expect({
  id: 'seeded-grad-output',
  rule: 'b1',
  description: 'a scalar seed of 3 scales the gradient through the softmax Jacobian',
  features: ['readable'],
  data: () => ({
    inputs: { logits: tensor([2, 2], [0, 1, 2, -1]), target: tensor([2, 2], [1, 0, 0, 1]) },
    grad_output: { loss: tensor([], [3]) },
  }),
});

mseSoftmax.expect({
  id: 'single-class',
  rule: 's2',
  description: 'one class: softmax is 1, loss = mean (1 − t)², and the gradient is 0',
  features: ['odd-shape', 'exact-zero', 'readable'],
  data: () => ({ inputs: { logits: tensor([3, 1], [-2, 0.5, 4]), target: tensor([3, 1], [1, 0, 0.5]) } }),
});

mseSoftmax.expect({
  id: 'extreme-logits',
  rule: 's1',
  description: 'logits of ±1e3, confidently right and wrong rows, give a finite loss and gradient',
  features: ['extreme-values', 'confident-prediction'],
  data: () => ({
    inputs: {
      logits: tensor([3, 3], [1000, -1000, 0, -1000, 1000, -1000, 1000, 999, -1000]),
      target: tensor([3, 3], [1, 0, 0, 1, 0, 0, 0, 1, 0]),
    },
  }),
});

for (const [id, batch, classes, features] of [
  ['random-batch-1', 1, 10, ['batch-1']],
  ['random-5x7', 5, 7, ['odd-shape']],
  ['random-64x10', 64, 10, ['large']],
] as const) {
  mseSoftmax.expect({
    id,
    rule: 'b1',
    description: `random N(0, 2²) logits, ${batch}×${classes}, against random one-hot targets`,
    features: [...features],
    data: (rng) => ({ inputs: { logits: randn(rng, [batch, classes], { std: 2 }), target: randomOneHot(rng, batch, classes) } }),
  });
}

mseSoftmax.expect({
  id: 'random-4x6-float32',
  rule: 'b1',
  description: 'float32 variant: random 4×6 logits against one-hot targets',
  dtype: 'float32',
  data: (rng) => ({ inputs: { logits: randn(rng, [4, 6], { std: 2 }), target: randomOneHot(rng, 4, 6) } }),
});

mseSoftmax.expect({
  id: 'extreme-logits-float32',
  rule: 's1',
  description: 'float32 logits of ±1e3 stay finite',
  dtype: 'float32',
  features: ['extreme-values'],
  data: () => ({
    inputs: { logits: tensor([2, 3], [1000, 998, -1000, -1000, -1000, -997]), target: tensor([2, 3], [0, 1, 0, 1, 0, 0]) },
  }),
});

// s3: B = C. The Jacobian's row sum Σ_last(ds ⊙ s) taken over the batch axis instead gives the
// right shape only when the matrix is square; a non-unit seed rides along.
for (const [id, n, seed, dtype] of [
  ['square-4x4-seeded', 4, -2.5, 'float64'],
  ['square-3x3-seeded-float32', 3, 0.5, 'float32'],
] as const) {
  mseSoftmax.expect({
    id,
    rule: 's3',
    description: `${dtype === 'float32' ? 'float32 variant: ' : ''}B = C = ${n}, random logits and one-hot targets, loss seed ${seed}`,
    features: ['square', 'non-unit-seed'],
    dtype,
    data: (rng) => ({
      inputs: { logits: randn(rng, [n, n], { std: 2 }), target: randomOneHot(rng, n, n) },
      grad_output: { loss: tensor([], [seed]) },
    }),
  });
}

export default mseSoftmax;

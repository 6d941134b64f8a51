// Cases for spec/ops/mse.md. Each expect() writes fixtures/mse/<id>.json.
import { opCases } from '../define-op';
import { mseBackward, mseForward } from '../formulas/losses';
import { randn, tensor } from '../tensor';

const mse = opCases('mse', {
  forward: (g, v) => ({ loss: mseForward(g, v.prediction!, v.target!) }), // f1: Σ (p − t)² / N
  backward: (g, v, dy) => ({ prediction: mseBackward(g, v.prediction!, v.target!, dy.loss!) }), // b1
});

mse.expect({
  id: 'readable-2x3',
  rule: 'f1',
  description: 'a 2×3 prediction against a one-hot target: loss = Σ (p − t)² / 6',
  features: ['readable'],
  data: () => ({
    inputs: {
      prediction: tensor([2, 3], [0.5, 1, -1, 2, 0, 0.25]),
      target: tensor([2, 3], [0, 1, 0, 1, 0, 0]),
    },
  }),
});

mse.expect({
  id: 'seeded-grad-output',
  rule: 'b2',
  description: 'a scalar seed of −2.5 scales the gradient: dp = 2(p − t)/N · g',
  features: ['readable'],
  data: () => ({
    inputs: { prediction: tensor([2, 2], [1, -1, 3, 0.5]), target: tensor([2, 2], [0, 0, 1, 1]) },
    grad_output: { loss: tensor([], [-2.5]) },
  }),
});

mse.expect({
  id: 'prediction-equals-target',
  rule: 's1',
  description: 'prediction == target: the loss and every gradient element are exactly 0',
  features: ['exact-zero', 'readable'],
  data: () => {
    const same = tensor([2, 3], [0.1, -2, 3, 0, 7, -0.5]);
    return { inputs: { prediction: same, target: same } };
  },
});

for (const [id, shape, features] of [
  ['random-batch-1', [1, 10], ['batch-1']],
  ['random-1x1', [1, 1], ['batch-1', 'odd-shape']],
  ['random-3x5x7', [3, 5, 7], ['odd-shape']],
  ['random-64x10', [64, 10], ['large']],
] as const) {
  mse.expect({
    id,
    rule: shape[0] > 1 ? 'b1' : 'f1',
    description: `random N(0,1) prediction and target of shape ${shape.join('×')}, mean over all elements`,
    features: [...features],
    data: (rng) => ({ inputs: { prediction: randn(rng, [...shape]), target: randn(rng, [...shape]) } }),
  });
}

mse.expect({
  id: 'random-4x6-float32',
  rule: 'b1',
  description: 'float32 variant of a random 4×6 prediction and target',
  dtype: 'float32',
  data: (rng) => ({ inputs: { prediction: randn(rng, [4, 6]), target: randn(rng, [4, 6]) } }),
});

export default mse;

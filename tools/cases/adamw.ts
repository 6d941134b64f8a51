// Cases for spec/ops/adamw.md. Each expect() writes fixtures/adamw/<id>.json. The helpers and the
// graph are adam.ts's: AdamW differs from Adam only in where weight decay enters (f1).
import { adamCases, declare, firstStep, G, P, randomState, readableState } from './adam';
import { randn, tensor } from '../tensor';

const adamw = adamCases('adamw');
const base = { lr: 0.1, betas: [0.9, 0.999], eps: 1e-8 };

declare(adamw, [
  {
    id: 'first-step-readable',
    rule: 'f1',
    description: 'step 1, weight_decay 0.1: param·(1 − 0.01) first, then Adam on the raw grad',
    features: ['readable', 'adamw', 'weight-decay'],
    attributes: { ...base, weight_decay: 0.1, step: 1 },
    data: firstStep(P, G),
  },
  {
    id: 'step-3-readable',
    rule: 'f2',
    description: 'step 3 from a written-out state, weight_decay 0.1: the moments never see the decay',
    features: ['readable', 'adamw', 'weight-decay'],
    attributes: { ...base, weight_decay: 0.1, step: 3 },
    data: readableState,
  },
  {
    id: 'defaults',
    rule: 'f3',
    description: 'only lr and step given: weight_decay is 1e-2 (PyTorch AdamW), not 0',
    features: ['readable', 'adamw', 'weight-decay'],
    attributes: { lr: 0.1, step: 3 },
    data: readableState,
  },
  {
    id: 'zero-grad-decays',
    rule: 's1',
    description: 'grad 0 from zero moments: the param still shrinks by exactly (1 − lr·λ)',
    features: ['readable', 'adamw', 'weight-decay', 'exact-zero'],
    attributes: { ...base, weight_decay: 0.5, step: 1 },
    data: firstStep(P, tensor([2, 3], [0, 0, 0, 0, 0, 0])),
  },
  {
    id: 'large-784x50',
    rule: 'f2',
    description: 'random 784×50 (a first layer) at step 10, lr 1e-3, weight_decay 1e-2',
    features: ['large', 'non-square', 'adamw', 'weight-decay'],
    attributes: { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 1e-2, step: 10 },
    data: randomState([784, 50]),
  },
  {
    id: 'rank-3-3x5x7',
    rule: 'f2',
    description: 'random 3×5×7 at step 4, betas (0.8, 0.99), weight_decay 0.05',
    features: ['odd-shape', 'adamw', 'weight-decay'],
    attributes: { lr: 0.01, betas: [0.8, 0.99], eps: 1e-8, weight_decay: 0.05, step: 4 },
    data: randomState([3, 5, 7]),
  },
  {
    id: 'float32-5x7',
    rule: 'f4',
    description: 'float32 variant: random 5×7 at step 2, weight_decay 0.01, lr 0.01',
    features: ['odd-shape', 'non-square', 'adamw', 'weight-decay'],
    attributes: { lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0.01, step: 2 },
    dtype: 'float32',
    data: randomState([5, 7]),
  },
  {
    id: 'float32-first-step',
    rule: 'f4',
    description: 'float32 variant: step 1 from zero moments, 4×6, default weight_decay',
    features: ['non-square', 'adamw', 'weight-decay'],
    attributes: { lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, step: 1 },
    dtype: 'float32',
    data: (rng) => firstStep(randn(rng, [4, 6]), randn(rng, [4, 6]))(),
  },
]);

export default adamw;

// Cases for spec/ops/adam.md and spec/ops/adamw.md (the two share their cases' shape; each op file
// declares its own). Each expect() writes fixtures/<op>/<id>.json. The graph is the one every Adam
// and AdamW trajectory uses (tools/formulas/optimizers.ts); here the state is explicit.
import { opCases, type Attributes, type OpCases } from '../define-op';
import type { Feature } from '../../spec/types/fixture';
import { optimizerStep, singleStepConfig } from '../formulas/optimizers';
import type { Prng } from '../prng';
import { randn, tensor, uniform, type Tensor } from '../tensor';

/** The op's cases file: `adam` or `adamw`, forward = one step of tools/formulas/optimizers.ts. */
export function adamCases(op: 'adam' | 'adamw'): OpCases {
  return opCases(op, {
    forward: (g, v, a) => {
      const step = a.step;
      if (typeof step !== 'number' || !Number.isInteger(step) || step < 1) throw new Error(`${op}: attribute step must be an integer ≥ 1, got ${String(step)}`);
      const next = optimizerStep(g, singleStepConfig(op, a), {
        param: v.param!,
        grad: v.grad!,
        state: { exp_avg: v.exp_avg!, exp_avg_sq: v.exp_avg_sq! },
        step: g.constant(step, [], 'float64'),
      });
      return { param_next: next.param, exp_avg_next: next.state.exp_avg!, exp_avg_sq_next: next.state.exp_avg_sq! };
    },
  });
}

export interface AdamCase {
  id: string;
  rule: string;
  description: string;
  features: Feature[];
  attributes: Attributes;
  dtype?: 'float32';
  data(rng: Prng): { param: Tensor; grad: Tensor; exp_avg: Tensor; exp_avg_sq: Tensor };
}

export const P = tensor([2, 3], [1, -2, 0.5, 3, 0, -1]);
export const G = tensor([2, 3], [2, 1, -1, 0.5, -4, 2]);
const zeros = (shape: number[]) => tensor(shape, new Float64Array(shape.reduce((n, d) => n * d, 1)));

/** The state before the first step: both moments 0. */
export const firstStep = (param: Tensor, grad: Tensor) => () => ({ param, grad, exp_avg: zeros(param.shape), exp_avg_sq: zeros(param.shape) });

/** Random param and grad with a state as after some steps: m ~ N(0, 0.5²), v ~ U[0, 1). */
export const randomState = (shape: number[]) => (rng: Prng) => ({
  param: randn(rng, shape),
  grad: randn(rng, shape),
  exp_avg: randn(rng, shape, { std: 0.5 }),
  exp_avg_sq: uniform(rng, shape, 0, 1),
});

/** A readable step after some: a 2×3 state written out. */
export const readableState = () => ({
  param: P,
  grad: G,
  exp_avg: tensor([2, 3], [0.5, 0.25, -0.5, 0, -1, 0.75]),
  exp_avg_sq: tensor([2, 3], [1, 0.25, 0.5, 0.0625, 4, 2]),
});

export function declare(cases: OpCases, list: AdamCase[]): void {
  for (const c of list) {
    cases.expect({ id: c.id, rule: c.rule, description: c.description, features: c.features, dtype: c.dtype, attributes: c.attributes, data: (rng) => ({ inputs: c.data(rng) }) });
  }
}

const adam = adamCases('adam');
const base = { lr: 0.1, betas: [0.9, 0.999], eps: 1e-8 };

declare(adam, [
  {
    id: 'first-step-readable',
    rule: 'f3',
    description: 'step 1 from zero moments: the bias correction makes the step ≈ lr·sign(grad)',
    features: ['readable', 'adam'],
    attributes: { ...base, weight_decay: 0, step: 1 },
    data: firstStep(P, G),
  },
  {
    id: 'step-3-readable',
    rule: 'f2',
    description: 'step 3 from a written-out state: m and v decay, then the bias-corrected step',
    features: ['readable', 'adam'],
    attributes: { ...base, weight_decay: 0, step: 3 },
    data: readableState,
  },
  {
    id: 'weight-decay-readable',
    rule: 'f1',
    description: 'weight_decay 0.1 is coupled: grad + 0.1·param enters both moments',
    features: ['readable', 'adam', 'weight-decay'],
    attributes: { ...base, weight_decay: 0.1, step: 3 },
    data: readableState,
  },
  {
    id: 'defaults',
    rule: 'f5',
    description: 'only lr and step given: betas (0.9, 0.999), eps 1e-8, weight_decay 0',
    features: ['readable', 'adam'],
    attributes: { lr: 0.1, step: 3 },
    data: readableState,
  },
  {
    id: 'eps-outside-sqrt',
    rule: 's1',
    description: 'grad 1e-9 at step 1: √v̂ = 1e-9 ≪ ε = 1e-8, so ε outside the square root sets the step',
    features: ['readable', 'adam', 'extreme-values'],
    attributes: { ...base, weight_decay: 0, step: 1 },
    data: firstStep(tensor([3], [1, -1, 0.5]), tensor([3], [1e-9, -1e-9, 3e-10])),
  },
  {
    id: 'eps-after-correction-step-2',
    rule: 's1',
    description: 'tiny moments at step 2: ε is added after √v is divided by √(1 − β2^t), not before',
    features: ['readable', 'adam', 'extreme-values'],
    attributes: { ...base, weight_decay: 0, step: 2 },
    data: () => ({
      param: tensor([3], [1, -1, 0.5]),
      grad: tensor([3], [1e-9, -2e-9, 5e-10]),
      exp_avg: tensor([3], [1e-10, -1e-10, 0]),
      exp_avg_sq: tensor([3], [1e-21, 4e-21, 0]),
    }),
  },
  {
    id: 'zero-grad',
    rule: 's2',
    description: 'grad 0 from zero moments: m = v = 0 and the param is unchanged (0 / (0 + ε))',
    features: ['readable', 'adam', 'exact-zero'],
    attributes: { ...base, weight_decay: 0, step: 1 },
    data: firstStep(P, zeros([2, 3])),
  },
  {
    id: 'late-step-1000',
    rule: 'f3',
    description: 'step 1000: 1 − 0.9^t ≈ 1 but 1 − 0.999^t ≈ 0.632, so t must be the real step count',
    features: ['adam'],
    attributes: { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, step: 1000 },
    data: randomState([4, 3]),
  },
  {
    id: 'rank-3-3x5x7',
    rule: 'f2',
    description: 'random 3×5×7 param, grad and state at step 5, betas (0.8, 0.99), weight_decay 0.01',
    features: ['odd-shape', 'adam', 'weight-decay'],
    attributes: { lr: 0.01, betas: [0.8, 0.99], eps: 1e-8, weight_decay: 0.01, step: 5 },
    data: randomState([3, 5, 7]),
  },
  {
    id: 'large-784x50',
    rule: 'f2',
    description: 'random 784×50 (a first layer) at step 10, lr 1e-3',
    features: ['large', 'non-square', 'adam'],
    attributes: { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, step: 10 },
    data: randomState([784, 50]),
  },
  {
    id: 'float32-5x7',
    rule: 'f4',
    description: 'float32 variant: random 5×7 at step 2, weight_decay 0.01, lr 0.01',
    features: ['odd-shape', 'non-square', 'adam', 'weight-decay'],
    attributes: { lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0.01, step: 2 },
    dtype: 'float32',
    data: randomState([5, 7]),
  },
  {
    id: 'float32-first-step',
    rule: 'f4',
    description: 'float32 variant: step 1 from zero moments, 4×6',
    features: ['non-square', 'adam'],
    attributes: { lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, step: 1 },
    dtype: 'float32',
    data: (rng) => firstStep(randn(rng, [4, 6]), randn(rng, [4, 6]))(),
  },
]);

export default adam;

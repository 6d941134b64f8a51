// Cases for spec/ops/sgd_momentum.md. Each expect() writes fixtures/sgd_momentum/<id>.json.
// The graph is the one every momentum trajectory uses (tools/formulas/optimizers.ts); here the state is
// explicit: a first step has no momentum_buffer input, a later one has it, and both outputs are checked.
import { opCases, type Attributes } from '../define-op';
import type { Feature } from '../../spec/types/fixture';
import { optimizerStep, singleStepConfig } from '../formulas/optimizers';
import type { Prng } from '../prng';
import { randn, tensor, type Tensor } from '../tensor';

const sgdMomentum = opCases('sgd_momentum', {
  rules: (c) => (c.hasInput('momentum_buffer') ? {} : { 'forward.momentum_buffer_next': 'f2' }),
  // f1: d = grad + λ·param; f2: buf = d without a buffer (first step), f3: μ·buf + (1 − τ)·d with one;
  // f4: the step is buf, or d + μ·buf with nesterov; param_next = param − lr·step.
  forward: (g, v, a) => {
    const next = optimizerStep(g, singleStepConfig('sgd_momentum', a), {
      param: v.param!,
      grad: v.grad!,
      state: v.momentum_buffer === undefined ? {} : { momentum_buffer: v.momentum_buffer },
      step: '',
    });
    return { param_next: next.param, momentum_buffer_next: next.state.momentum_buffer! };
  },
});

const P = tensor([2, 3], [1, -2, 0.5, 3, 0, -1]);
const G = tensor([2, 3], [2, 1, -1, 0.5, -4, 2]);
const BUF = tensor([2, 3], [0.5, -1, 0, 2, 1, -0.25]);

interface Case {
  id: string;
  rule: string;
  description: string;
  features: Feature[];
  attributes: Attributes;
  dtype?: 'float32';
  data(rng: Prng): { param: Tensor; grad: Tensor; momentum_buffer?: Tensor };
}

const readable = (withBuffer: boolean) => () => ({ param: P, grad: G, ...(withBuffer ? { momentum_buffer: BUF } : {}) });
const random = (shape: number[], withBuffer = true) => (rng: Prng) => ({
  param: randn(rng, shape),
  grad: randn(rng, shape),
  ...(withBuffer ? { momentum_buffer: randn(rng, shape) } : {}),
});

const CASES: Case[] = [
  {
    id: 'first-step-dampening-readable',
    rule: 'f2',
    description: 'no buffer yet, dampening 0.5: the buffer becomes grad itself, not 0.5·grad',
    features: ['readable', 'momentum', 'dampening'],
    attributes: { lr: 0.5, momentum: 0.9, dampening: 0.5, nesterov: false, weight_decay: 0 },
    data: readable(false),
  },
  {
    id: 'readable-2x3',
    rule: 'f3',
    description: 'a buffer, momentum 0.9: buf ← 0.9·buf + grad, param ← param − 0.5·buf',
    features: ['readable', 'momentum'],
    attributes: { lr: 0.5, momentum: 0.9, dampening: 0, nesterov: false, weight_decay: 0 },
    data: readable(true),
  },
  {
    id: 'dampening-readable',
    rule: 'f3',
    description: 'a buffer, momentum 0.9, dampening 0.25: buf ← 0.9·buf + 0.75·grad',
    features: ['readable', 'momentum', 'dampening'],
    attributes: { lr: 0.5, momentum: 0.9, dampening: 0.25, nesterov: false, weight_decay: 0 },
    data: readable(true),
  },
  {
    id: 'nesterov-readable',
    rule: 'f4',
    description: 'nesterov: the step is grad + 0.9·buf (the updated buffer), not buf',
    features: ['readable', 'momentum', 'nesterov'],
    attributes: { lr: 0.5, momentum: 0.9, dampening: 0, nesterov: true, weight_decay: 0 },
    data: readable(true),
  },
  {
    id: 'nesterov-first-step',
    rule: 'f4',
    description: 'nesterov at the first step: buf = grad, the step is grad + 0.9·grad',
    features: ['readable', 'momentum', 'nesterov'],
    attributes: { lr: 0.5, momentum: 0.9, dampening: 0, nesterov: true, weight_decay: 0 },
    data: readable(false),
  },
  {
    id: 'weight-decay-readable',
    rule: 'f1',
    description: 'weight_decay 0.1 enters the buffer: d = grad + 0.1·param before the momentum',
    features: ['readable', 'momentum', 'weight-decay'],
    attributes: { lr: 0.5, momentum: 0.9, dampening: 0, nesterov: false, weight_decay: 0.1 },
    data: readable(true),
  },
  {
    id: 'defaults',
    rule: 'f5',
    description: 'only lr and momentum given: dampening 0, nesterov false, weight_decay 0',
    features: ['readable', 'momentum'],
    attributes: { lr: 0.5, momentum: 0.9 },
    data: readable(true),
  },
  {
    id: 'zero-grad-buffer-moves',
    rule: 's1',
    description: 'grad 0 with a buffer: the buffer decays to 0.9·buf and still moves the param',
    features: ['readable', 'momentum', 'exact-zero'],
    attributes: { lr: 0.5, momentum: 0.9, dampening: 0, nesterov: false, weight_decay: 0 },
    data: () => ({ param: P, grad: tensor([2, 3], [0, 0, 0, 0, 0, 0]), momentum_buffer: BUF }),
  },
  {
    id: 'bias-50',
    rule: 'f3',
    description: 'random N(0,1) param, grad and buffer of shape 50, momentum 0.9, dampening 0.1, lr 0.1',
    features: ['momentum', 'dampening'],
    attributes: { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: false, weight_decay: 0 },
    data: random([50]),
  },
  {
    id: 'rank-3-3x5x7-nesterov-weight-decay',
    rule: 'f4',
    description: 'random 3×5×7, nesterov, momentum 0.8, weight_decay 0.05, lr 0.05',
    features: ['odd-shape', 'momentum', 'nesterov', 'weight-decay'],
    attributes: { lr: 0.05, momentum: 0.8, dampening: 0, nesterov: true, weight_decay: 0.05 },
    data: random([3, 5, 7]),
  },
  {
    id: 'large-784x50',
    rule: 'f3',
    description: 'random 784×50 (a first layer), momentum 0.9, weight_decay 1e-4, lr 0.01',
    features: ['large', 'non-square', 'momentum', 'weight-decay'],
    attributes: { lr: 0.01, momentum: 0.9, dampening: 0, nesterov: false, weight_decay: 1e-4 },
    data: random([784, 50]),
  },
  {
    id: 'float32-5x7',
    rule: 'f6',
    description: 'float32 variant: random 5×7, momentum 0.9, dampening 0.1, weight_decay 0.01, lr 0.1',
    features: ['odd-shape', 'non-square', 'momentum', 'dampening', 'weight-decay'],
    attributes: { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: false, weight_decay: 0.01 },
    dtype: 'float32',
    data: random([5, 7]),
  },
  {
    id: 'float32-first-step-nesterov',
    rule: 'f6',
    description: 'float32 variant: first step (no buffer), nesterov, weight_decay 0.01, 4×6',
    features: ['non-square', 'momentum', 'nesterov', 'weight-decay'],
    attributes: { lr: 0.1, momentum: 0.9, dampening: 0, nesterov: true, weight_decay: 0.01 },
    dtype: 'float32',
    data: random([4, 6], false),
  },
];

for (const c of CASES) {
  sgdMomentum.expect({ id: c.id, rule: c.rule, description: c.description, features: c.features, dtype: c.dtype, attributes: c.attributes, data: (rng) => ({ inputs: c.data(rng) }) });
}

export default sgdMomentum;

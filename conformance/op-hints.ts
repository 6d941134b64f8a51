// What the hints know about particular ops, in one table: a new op needs an entry only when a
// failure of it has a known cause the generic evidence (a constant ratio, a sign flip, permuted axes,
// an unchanged param) does not name.
import type { Fixture } from '../spec/types/fixture';
import type { Stage } from './results';

type Attributes = Readonly<Record<string, unknown>>;

/**
 * How the op reduces, for naming a wrong reduction: `over` is the input whose shape gives B (its first
 * axis) and N (its elements) — the tensor the formula reduces, not the first input; `kind` is a mean or
 * a sum, over the batch or over all N elements (a layer's param gradients sum over the batch).
 */
export interface Reduction {
  over: string;
  kind: 'mean-batch' | 'mean-elements' | 'sum-batch' | 'sum-elements';
  /** The tensors it applies to (default all) at the stages listed (default all). */
  names?: RegExp;
  stages?: readonly Stage[];
}

/** A factor with a known cause: its value, as a formula (e.g. 'N/B') with its symbols' values (e.g. ['N = 12', 'B = 4']). */
export interface KnownFactor {
  value: number;
  formula: string;
  symbols: string[];
  cause: string;
}

export interface OpHintFacts {
  /** The forward calls exp: NaN/Infinity where a finite value is due is an overflow (or a log of an underflow). */
  exp?: true;
  /** Forward outputs that are one step away from an input (output → input): scale and sign hints look at the step. */
  stepsFrom?: Readonly<Record<string, string>>;
  /** The op's reduction, when its value or gradients are a sum or a mean (attributes may choose it). */
  reduction?: (attributes: Attributes) => Reduction | undefined;
  /** A squared error: a factor of 2 (or 1/2) in a gradient has a known cause. */
  squaredError?: (attributes: Attributes) => boolean;
  /** The derivative where x ≤ 0 is this slope (attributes may set it): a wrong slope on the negative inputs is named. */
  negativeSlope?: (attributes: Attributes) => number;
  /** What the rule says at x = 0, for a gradient that is wrong exactly there. */
  atZero?: string;
  /** Scale factors of the op itself, e.g. dropout's 1/(1 − p). */
  ownFactors?: (attributes: Attributes) => KnownFactor[];
  /** The forward output normalises along the last axis: a sum of 1 (softmax) or a log-sum-exp of 0 (log_softmax). */
  normalises?: 'sum' | 'logsumexp';
  /** Why a tensor of this op may be non-zero exactly where the expected is 0. */
  extraNonZero?: string;
  /** Why this op's tensors may come out transposed, for the tensors named (default all) at the stages listed (default all). */
  transposed?: { names?: RegExp; stages?: readonly Stage[]; note: string };
}

const WEIGHT_LAYOUT = { names: /^W\d*$/, note: 'weight layout is (in, out), dW = xᵀ·dy' };
/** A loss op (reduction 'mean' or 'sum' over `per`): its value, its gradients and the steps from them. */
const lossOver = (over: string, per: 'batch' | 'elements') => (a: Attributes): Reduction => ({ over, kind: `${a.reduction === 'sum' ? 'sum' : 'mean'}-${per}` });
/** A layer's param gradients (and the steps from them) sum over the batch of `over`. */
const paramsSumOver = (over: string, names: RegExp) => (): Reduction => ({ over, kind: 'sum-batch', names, stages: ['backward', 'update'] });
const squaredLoss = (a: Attributes): boolean => a.loss === 'mse' || a.loss === 'mse_softmax';
/** mlp, cnn: the loss reduces the logits, which have the target's shape; the logits themselves are not reduced. */
const network = (a: Attributes): Reduction => ({ ...lossOver('target', squaredLoss(a) ? 'elements' : 'batch')(a), names: /^(?!logits$)/ });

export const OP_HINTS: Readonly<Partial<Record<Fixture['op'], OpHintFacts>>> = {
  matmul: { transposed: { stages: ['backward'], note: 'for y = a·b: da = dy·bᵀ, db = aᵀ·dy' } },
  linear: { transposed: WEIGHT_LAYOUT, reduction: paramsSumOver('x', /^(W|b)$/) },
  conv2d: { reduction: paramsSumOver('x', /^(W|b)$/) },
  batch_norm: { reduction: paramsSumOver('x', /^(gamma|beta)$/) },
  layer_norm: { reduction: paramsSumOver('x', /^(gamma|beta)$/) },
  relu: { negativeSlope: () => 0, atZero: "ReLU'(0) must be 0: where x = 0 the gradient is 0, not grad_output" },
  leaky_relu: {
    negativeSlope: (a) => (typeof a.alpha === 'number' ? a.alpha : 0.01),
    atZero: 'at x = 0 (and −0) the slope is alpha: dx = alpha·dy there, not dy',
  },
  max_pool2d: { extraNonZero: 'a window passes its gradient to one element only, the first maximum in row-major order, not to every tied maximum' },
  dropout: {
    ownFactors: (a) => {
      const p = typeof a.p === 'number' ? a.p : 0.5;
      const symbols = [`p = ${p}`];
      if (a.training === false || p === 0) return [];
      return [
        { value: 1 - p, formula: '1 − p', symbols, cause: 'the 1/(1 − p) scale of the kept elements is missing' },
        { value: 1 / (1 - p), formula: '1/(1 − p)', symbols, cause: 'the 1/(1 − p) scale is applied twice' },
      ];
    },
  },
  softmax: { exp: true, normalises: 'sum' },
  log_softmax: { exp: true, normalises: 'logsumexp' },
  mse: { reduction: lossOver('prediction', 'elements'), squaredError: () => true },
  mse_softmax: { exp: true, reduction: lossOver('logits', 'elements'), squaredError: () => true },
  cross_entropy: { exp: true, reduction: lossOver('logits', 'batch') },
  cross_entropy_index: { exp: true, reduction: lossOver('logits', 'batch') },
  nll: { reduction: lossOver('log_probs', 'batch') },
  binary_cross_entropy_with_logits: { exp: true, reduction: lossOver('logits', 'elements') },
  sgd: { stepsFrom: { param_next: 'param' } },
  mlp: { exp: true, transposed: WEIGHT_LAYOUT, reduction: network, squaredError: squaredLoss },
  cnn: { exp: true, reduction: network },
};

export function opHints(op: string): OpHintFacts {
  return (OP_HINTS as Partial<Record<string, OpHintFacts>>)[op] ?? {};
}

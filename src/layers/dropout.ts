// dropout (spec/ops/dropout.md), inverted: in training y = x·mask/(1 − p) and dx = dy·mask/(1 − p)
// with the same mask; in eval y = x and dx = dy. The mask (1 = keep, 0 = drop) comes from the
// caller — the suite's cases pass it in — or from a seeded generator; the layer keeps the mask of
// its last forward for backward.
import { expectSameDType, expectShape } from '../checks';
import type { Rng } from '../random';
import { Tensor, formatIndex } from '../tensor';
import { type Layer, type Parameter, backwardBeforeForward } from './layer';

/** f3: PyTorch's default drop probability. */
export const DEFAULT_DROPOUT_P = 0.5;

export interface DropoutOptions {
  /** The drop probability, 0 ≤ p < 1; default 0.5. */
  p?: number;
  /** False: eval mode, the identity; default true. */
  training?: boolean;
  /** Draws a mask for a forward that was given none (training only); see bernoulliMasks. */
  masks?: (shape: readonly number[], dtype: Tensor['dtype']) => Tensor;
}

function checkedP(p: number): number {
  if (typeof p !== 'number' || !(p >= 0 && p < 1)) throw new Error(`dropout: p must be in [0, 1), got ${String(p)}`);
  return p;
}

/** Throws unless `mask` fits `like` and holds only 0 and 1: `dropout: mask holds 0.5 at [1,2]; …`. */
function checkMask(mask: Tensor, like: Tensor, likeName: string): void {
  expectShape('dropout', mask, 'mask', like.shape, likeName);
  expectSameDType('dropout', mask, 'mask', like, likeName);
  for (let i = 0; i < mask.size; i++) {
    const m = mask.data[i]!;
    if (m !== 0 && m !== 1) throw new Error(`dropout: mask holds ${m} at ${formatIndex(i, mask.shape)}; every element must be 0 (drop) or 1 (keep)`);
  }
}

/** t·mask·1/(1 − p): f1 for x, b1 for dy — the same mask and the same scale. */
function throughMask(t: Tensor, mask: Tensor, p: number): Tensor {
  const scale = 1 / (1 - checkedP(p));
  const out = Tensor.zeros(t.shape, t.dtype);
  // Stryker disable next-line EqualityOperator: `<=` adds one pass past the end of the typed arrays: its writes are dropped and its reads feed only them
  for (let i = 0; i < t.size; i++) out.data[i] = t.data[i]! * mask.data[i]! * scale;
  return out;
}

/** Training-mode dropout of `x` with the given mask (f1). */
export function dropout(x: Tensor, mask: Tensor, p = DEFAULT_DROPOUT_P): Tensor {
  checkMask(mask, x, 'x');
  return throughMask(x, mask, p);
}

/** dL/dx of training-mode dropout given its mask and dL/dy (b1). */
export function dropoutBackward(mask: Tensor, gradOutput: Tensor, p = DEFAULT_DROPOUT_P): Tensor {
  checkMask(mask, gradOutput, 'gradOutput');
  return throughMask(gradOutput, mask, p);
}

/** A mask generator for training: each element kept (1) with probability 1 − p, from a seeded Rng. */
export function bernoulliMasks(rng: Rng, p: number): NonNullable<DropoutOptions['masks']> {
  checkedP(p);
  return (shape, dtype) => {
    const mask = Tensor.zeros(shape, dtype);
    // Stryker disable next-line ConditionalExpression,EqualityOperator,UpdateOperator,ArithmeticOperator: training API no op calls: the Bernoulli mask generator (the contract passes the mask in)
    for (let i = 0; i < mask.size; i++) mask.data[i] = rng.uniform() < 1 - p ? 1 : 0;
    return mask;
  };
}

export class Dropout implements Layer {
  readonly p: number;
  /** Set to false for evaluation (f2, b2): forward and backward are then the identity. */
  training: boolean;
  private readonly masks: DropoutOptions['masks'];
  private nextMask: Tensor | null = null;
  private mask: Tensor | null = null;
  // Stryker disable next-line BooleanLiteral: only the backward-before-forward guard (an argument check) reads it
  private forwardRan = false;

  constructor(options: DropoutOptions = {}) {
    this.p = checkedP(options.p ?? DEFAULT_DROPOUT_P);
    this.training = options.training ?? true;
    this.masks = options.masks;
  }

  /** The mask the next training forward uses (instead of drawing one). */
  useMask(mask: Tensor): this {
    this.nextMask = mask;
    return this;
  }

  forward(x: Tensor): Tensor {
    this.forwardRan = true;
    if (!this.training) {
      this.mask = null;
      this.nextMask = null;
      return x.clone();
    }
    const mask = this.nextMask ?? this.masks?.(x.shape, x.dtype);
    if (!mask) throw new Error('dropout: no mask for a training forward: call useMask(mask) first, or pass a masks generator (bernoulliMasks)');
    this.nextMask = null;
    const y = dropout(x, mask, this.p);
    this.mask = mask;
    return y;
  }

  backward(gradOutput: Tensor): Tensor {
    if (!this.forwardRan) throw backwardBeforeForward('dropout');
    return this.mask ? dropoutBackward(this.mask, gradOutput, this.p) : gradOutput.clone();
  }

  parameters(): Parameter[] {
    return [];
  }
}

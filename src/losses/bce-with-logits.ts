// binary_cross_entropy_with_logits (spec/ops/binary_cross_entropy_with_logits.md): logits z, targets
// t in [0, 1] of the same shape, an optional pos_weight p of shape (C) for the last axis.
// ℓ = (1 − t)·z + lw·(log(1 + e^−|z|) + max(−z, 0)), lw = 1 + (p − 1)·t (= max(z,0) − z·t + log(1 + e^−|z|)
// without p); L = Σ ℓ, divided by the number of elements N for 'mean' (not the batch).
// dL/dz = (lw·σ(z) − p·t) · seed (÷ N for mean); σ(z) − t without p.
import { expectFinite, expectFiniteNumber, expectSameDType, expectShape } from '../checks';
import { backwardBeforeForward } from '../layers/layer';
import { sigmoid } from '../layers/sigmoid';
import { Tensor, formatShape } from '../tensor';
import type { Loss } from './loss';
import { checkLossPair } from './mse';

export interface BCEWithLogitsOptions {
  /** 'mean' (default) averages over every element; 'sum' adds them. */
  reduction?: 'mean' | 'sum';
  /** One weight per class (the last axis) for the positive term; default none (every weight 1). */
  posWeight?: Tensor;
}

/** Binary cross-entropy on logits, in the form that never overflows, as torch.nn.BCEWithLogitsLoss. */
export class BCEWithLogits implements Loss {
  readonly reduction: 'mean' | 'sum';
  readonly posWeight: Tensor | null;
  private cache: { logits: Tensor; target: Tensor } | null = null;

  constructor(options: BCEWithLogitsOptions = {}) {
    const { reduction = 'mean', posWeight = null } = options;
    if (reduction !== 'mean' && reduction !== 'sum') {
      throw new Error(`binary_cross_entropy_with_logits: reduction must be 'mean' or 'sum', got '${String(reduction)}'`);
    }
    this.reduction = reduction;
    this.posWeight = posWeight;
  }

  /** p_c for the element at flat index i (1 without pos_weight). */
  private weightAt(i: number, classes: number): number {
    return this.posWeight ? this.posWeight.data[i % classes]! : 1;
  }

  forward(logits: Tensor, target: Tensor): number {
    checkLossPair('binary_cross_entropy_with_logits', logits, 'logits', target);
    const classes = logits.shape[logits.shape.length - 1] ?? 1;
    if (this.posWeight) {
      expectShape('binary_cross_entropy_with_logits', this.posWeight, 'pos_weight', [classes], `the last axis of logits ${formatShape(logits.shape)}`);
      expectSameDType('binary_cross_entropy_with_logits', this.posWeight, 'pos_weight', logits, 'logits');
      expectFinite('binary_cross_entropy_with_logits', this.posWeight, 'pos_weight');
    }
    this.cache = { logits, target };
    let sum = 0;
    for (let i = 0; i < logits.size; i++) {
      const z = logits.data[i]!;
      const t = target.data[i]!;
      const lw = 1 + (this.weightAt(i, classes) - 1) * t;
      sum += (1 - t) * z + lw * (Math.log1p(Math.exp(-Math.abs(z))) + Math.max(-z, 0));
    }
    return this.reduction === 'mean' ? sum / logits.size : sum;
  }

  /** dL/dz = seed · (lw·σ(z) − p·t), divided by N for 'mean'. */
  backward(gradOutput = 1): Tensor {
    if (this.cache === null) throw backwardBeforeForward('binary_cross_entropy_with_logits');
    expectFiniteNumber('binary_cross_entropy_with_logits', gradOutput, 'gradOutput');
    const { logits, target } = this.cache;
    const classes = logits.shape[logits.shape.length - 1] ?? 1;
    const scale = this.reduction === 'mean' ? gradOutput / logits.size : gradOutput;
    const s = sigmoid(logits);
    const grad = Tensor.zeros(logits.shape, logits.dtype);
    // Stryker disable next-line EqualityOperator: `<=` adds one pass past the end of the typed arrays: its writes are dropped and its reads feed only them
    for (let i = 0; i < grad.size; i++) {
      const t = target.data[i]!;
      const p = this.weightAt(i, classes);
      grad.data[i] = scale * ((1 + (p - 1) * t) * s.data[i]! - p * t);
    }
    return grad;
  }
}

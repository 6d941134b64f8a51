// cross_entropy (spec/ops/cross_entropy.md): logits z (batch×classes), one-hot targets t.
// L = −Σ t·log_softmax(z), divided by the batch for reduction 'mean' (the default) or not for 'sum';
// dL/dz = softmax(z) − t, divided by the batch for 'mean' — the same reduction in both directions.
import { expectFiniteNumber, expectRank, expectTensor } from '../checks';
import { backwardBeforeForward } from '../layers/layer';
import { type RowLogSums, normalizeRows, rowLogSums } from '../ops/softmax';
import { Tensor } from '../tensor';
import type { Loss } from './loss';
import { checkLossPair } from './mse';

export interface CrossEntropyOptions {
  /** 'mean' (default) averages over the batch; 'sum' adds the per-row losses. */
  reduction?: 'mean' | 'sum';
}

/** Throws unless each row of `target` holds a single 1 and 0 elsewhere, naming the first bad row. */
function expectOneHotRows(target: Tensor): void {
  const [batch, classes] = target.shape as [number, number];
  for (let row = 0; row < batch; row++) {
    let sum = 0;
    let stray = -1;
    for (let c = 0; c < classes; c++) {
      const v = target.data[row * classes + c]!;
      sum += v;
      if (v !== 0 && v !== 1 && stray < 0) stray = c;
    }
    if (sum !== 1 || stray >= 0) {
      const detail = stray >= 0 ? ` and holds ${target.data[row * classes + stray]} at column ${stray}` : '';
      throw new Error(`cross_entropy: target row ${row} is not one-hot: it sums to ${sum}${detail}`);
    }
  }
}

/** Softmax cross-entropy with one-hot targets. */
export class CrossEntropy implements Loss {
  readonly reduction: 'mean' | 'sum';
  /** The last forward's logits and target, and its logits' row sums: backward's softmax reuses them (the same bits as softmax(logits)). */
  private cache: { logits: Tensor; target: Tensor; sums: RowLogSums } | null = null;

  constructor(options: CrossEntropyOptions = {}) {
    const { reduction = 'mean' } = options;
    if (reduction !== 'mean' && reduction !== 'sum') {
      throw new Error(`cross_entropy: reduction must be 'mean' or 'sum', got '${String(reduction)}'`);
    }
    this.reduction = reduction;
  }

  forward(logits: Tensor, target: Tensor): number {
    expectTensor('cross_entropy', logits, 'logits');
    expectTensor('cross_entropy', target, 'target', '; pass one-hot rows (batch×classes), or use CrossEntropyIndex for class indices');
    expectRank('cross_entropy', logits, 2, '2-D logits (batch×classes)');
    checkLossPair('cross_entropy', logits, 'logits', target);
    expectOneHotRows(target);
    // Stryker disable next-line StringLiteral: an op name used only in error messages; no valid case throws
    const sums = rowLogSums('cross_entropy', logits);
    this.cache = { logits, target, sums };
    const logProbabilities = normalizeRows(logits, sums, false);
    let sum = 0;
    for (let i = 0; i < target.size; i++) sum -= target.data[i]! * logProbabilities.data[i]!;
    return this.reduction === 'mean' ? sum / logits.shape[0]! : sum;
  }

  /** dL/dlogits = seed · (softmax(z) − t), divided by the batch for 'mean'. */
  backward(gradOutput = 1): Tensor {
    if (this.cache === null) throw backwardBeforeForward('cross_entropy');
    expectFiniteNumber('cross_entropy', gradOutput, 'gradOutput');
    const { logits, target, sums } = this.cache;
    const scale = this.reduction === 'mean' ? gradOutput / logits.shape[0]! : gradOutput;
    const probabilities = normalizeRows(logits, sums, true);
    const grad = Tensor.zeros(logits.shape, logits.dtype);
    // Stryker disable next-line EqualityOperator: `<=` adds one pass past the end of the typed arrays: its writes are dropped and its reads feed only them
    for (let i = 0; i < grad.size; i++) grad.data[i] = scale * (probabilities.data[i]! - target.data[i]!);
    return grad;
  }
}

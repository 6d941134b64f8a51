// log_softmax (spec/ops/log_softmax.md) over the last axis: y = (x − m) − log Σ exp(x − m) (the op
// is logSoftmax in ops/softmax.ts); dx = dy − exp(y) ⊙ Σ_last dy. The layer caches its output.
import { expectSameDType, expectShape } from '../checks';
import { logSoftmax } from '../ops/softmax';
import { Tensor, formatShape } from '../tensor';
import { OutputCachingLayer } from './layer';

/** dL/dx given the forward output `y` = log_softmax(x) and dL/dy: dy − softmax(x)·Σ_last dy, softmax(x) = exp(y). */
export function logSoftmaxBackward(y: Tensor, gradOutput: Tensor): Tensor {
  if (y.shape.length === 0) throw new Error(`log_softmax: expected a tensor with at least 1 axis, got ${formatShape(y.shape)}`);
  expectShape('log_softmax', gradOutput, 'gradOutput', y.shape, 'output');
  expectSameDType('log_softmax', gradOutput, 'gradOutput', y, 'output');
  const width = y.shape[y.shape.length - 1]!;
  const dx = Tensor.zeros(y.shape, y.dtype);
  // Stryker disable next-line EqualityOperator: `<=` adds one pass past the end of the typed arrays: its writes are dropped and its reads feed only them
  for (let start = 0; start < y.size; start += width) {
    let total = 0;
    for (let j = start; j < start + width; j++) total += gradOutput.data[j]!;
    // Stryker disable next-line EqualityOperator: `<=` writes one element of the next row, which that row's own pass then overwrites (past the end for the last row)
    for (let j = start; j < start + width; j++) dx.data[j] = gradOutput.data[j]! - Math.exp(y.data[j]!) * total;
  }
  return dx;
}

export class LogSoftmax extends OutputCachingLayer {
  constructor() {
    // Stryker disable next-line StringLiteral: an op name used only in error messages; no valid case throws
    super('log_softmax', logSoftmax, logSoftmaxBackward);
  }
}

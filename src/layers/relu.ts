// The ReLU layer: ops/relu.ts plus the cached input its backward needs.
import { expectSameDType, expectShape } from '../checks';
import { reluBackwardInto, reluInto } from '../kernels/elementwise';
import { relu, reluBackward } from '../ops/relu';
import { Tensor } from '../tensor';
import { type Layer, type Parameter, backwardBeforeForward } from './layer';

/** y = max(x, 0); backward passes dy where x > 0 and 0 elsewhere (ReLU'(0) = 0). */
export class ReLU implements Layer {
  private input: Tensor | null = null;
  /**
   * Set by train() for its steps: forward and backward then write into the same two arrays every
   * step (the same values), so a result is valid only until the next call. Default false: new tensors.
   */
  // Stryker disable next-line BooleanLiteral: train()'s buffer reuse, which no case reaches (the reference adapter never turns it on); test/train/step-buffers.test.ts checks it
  reuseBuffers = false;
  private readonly reused: { output: Tensor | null; gradInput: Tensor | null } = { output: null, gradInput: null };

  forward(x: Tensor): Tensor {
    this.input = x;
    // Stryker disable next-line BooleanLiteral,ConditionalExpression: train()'s buffer reuse, which no case reaches (the reference adapter never turns it on); test/train/step-buffers.test.ts checks it
    if (!this.reuseBuffers) return relu(x);
    const y = this.buffer('output', x);
    reluInto(y.data, x.data);
    return y;
  }

  backward(gradOutput: Tensor): Tensor {
    if (this.input === null) throw backwardBeforeForward('relu');
    // Stryker disable next-line BooleanLiteral: train()'s buffer reuse, which no case reaches (the reference adapter never turns it on); test/train/step-buffers.test.ts checks it
    if (!this.reuseBuffers) return reluBackward(this.input, gradOutput);
    expectShape('relu', gradOutput, 'gradOutput', this.input.shape, 'input');
    expectSameDType('relu', gradOutput, 'gradOutput', this.input, 'input');
    const dx = this.buffer('gradInput', this.input);
    reluBackwardInto(dx.data, this.input.data, gradOutput.data);
    return dx;
  }

  parameters(): Parameter[] {
    return [];
  }

  /** The reused tensor `slot`, remade when `like`'s shape or dtype differs (the last, partial batch). */
  private buffer(slot: 'output' | 'gradInput', like: Tensor): Tensor {
    const t = this.reused[slot];
    // Stryker disable next-line ConditionalExpression,EqualityOperator,MethodExpression,ArrowFunction: train()'s buffer reuse, which no case reaches (the reference adapter never turns it on); test/train/step-buffers.test.ts checks it
    if (t !== null && t.dtype === like.dtype && t.shape.length === like.shape.length && t.shape.every((d, i) => d === like.shape[i])) return t;
    return (this.reused[slot] = Tensor.zeros(like.shape, like.dtype));
  }
}

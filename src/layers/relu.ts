// The ReLU layer: ops/relu.ts plus the cached input its backward needs.
import { expectSameDType, expectShape } from '../checks';
import { reluBackwardInto, reluInto } from '../kernels/elementwise';
import { relu, reluBackward } from '../ops/relu';
import { Tensor } from '../tensor';
import { type Layer, type Parameter, backwardBeforeForward } from './layer';
import { ReusedTensors } from './reused';

/** y = max(x, 0); backward passes dy where x > 0 and 0 elsewhere (ReLU'(0) = 0). */
export class ReLU implements Layer {
  private input: Tensor | null = null;
  /**
   * Set by train() for its steps: forward and backward then write into the same two arrays every
   * step (the same values), so a result is valid only until the next call. Default false: new tensors.
   */
  // Stryker disable next-line BooleanLiteral: train()'s buffer reuse, which no case reaches (the reference adapter never turns it on); test/train/step-buffers.test.ts checks it
  reuseBuffers = false;
  private readonly reused = new ReusedTensors<'output' | 'gradInput'>();

  forward(x: Tensor): Tensor {
    this.input = x;
    // Stryker disable next-line BooleanLiteral,ConditionalExpression: train()'s buffer reuse, which no case reaches (the reference adapter never turns it on); test/train/step-buffers.test.ts checks it
    if (!this.reuseBuffers) return relu(x);
    const y = this.reused.get('output', x.shape, x.dtype);
    reluInto(y.data, x.data);
    return y;
  }

  backward(gradOutput: Tensor): Tensor {
    if (this.input === null) throw backwardBeforeForward('relu');
    // Stryker disable next-line BooleanLiteral: train()'s buffer reuse, which no case reaches (the reference adapter never turns it on); test/train/step-buffers.test.ts checks it
    if (!this.reuseBuffers) return reluBackward(this.input, gradOutput);
    expectShape('relu', gradOutput, 'gradOutput', this.input.shape, 'input');
    expectSameDType('relu', gradOutput, 'gradOutput', this.input, 'input');
    const dx = this.reused.get('gradInput', this.input.shape, this.input.dtype);
    reluBackwardInto(dx.data, this.input.data, gradOutput.data);
    return dx;
  }

  parameters(): Parameter[] {
    return [];
  }
}

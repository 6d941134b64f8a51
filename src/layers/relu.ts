// The ReLU layer: ops/relu.ts plus the cached input its backward needs.
import { relu, reluBackward } from '../ops/relu';
import type { Tensor } from '../tensor';
import { type Layer, type Parameter, backwardBeforeForward } from './layer';

/** y = max(x, 0); backward passes dy where x > 0 and 0 elsewhere (ReLU'(0) = 0). */
export class ReLU implements Layer {
  private input: Tensor | null = null;

  forward(x: Tensor): Tensor {
    this.input = x;
    return relu(x);
  }

  backward(gradOutput: Tensor): Tensor {
    if (this.input === null) throw backwardBeforeForward('relu');
    return reluBackward(this.input, gradOutput);
  }

  parameters(): Parameter[] {
    return [];
  }
}

// The Softmax layer: ops/softmax.ts plus the cached output its backward needs.
import { softmax, softmaxBackward } from '../ops/softmax';
import type { Tensor } from '../tensor';
import { type Layer, type Parameter, backwardBeforeForward } from './layer';

/** Softmax over the last axis; backward dx = y ⊙ (dy − Σ_last(dy ⊙ y)). */
export class Softmax implements Layer {
  private output: Tensor | null = null;

  forward(x: Tensor): Tensor {
    this.output = softmax(x);
    return this.output;
  }

  backward(gradOutput: Tensor): Tensor {
    if (this.output === null) throw backwardBeforeForward('softmax');
    return softmaxBackward(this.output, gradOutput);
  }

  parameters(): Parameter[] {
    return [];
  }
}

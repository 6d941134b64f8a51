// The Flatten layer: ops/flatten.ts plus the input shape its backward restores.
import { flatten, flattenBackward } from '../ops/flatten';
import type { Tensor } from '../tensor';
import { type Layer, type Parameter, backwardBeforeForward } from './layer';

/** Merges the axes from `startAxis` (default 1, as nn.Flatten) to the last. */
export class Flatten implements Layer {
  private inputShape: readonly number[] | null = null;

  constructor(readonly startAxis = 1) {}

  forward(x: Tensor): Tensor {
    const y = flatten(x, this.startAxis);
    this.inputShape = x.shape;
    return y;
  }

  backward(gradOutput: Tensor): Tensor {
    if (this.inputShape === null) throw backwardBeforeForward('flatten');
    return flattenBackward(this.inputShape, gradOutput);
  }

  parameters(): Parameter[] {
    return [];
  }
}

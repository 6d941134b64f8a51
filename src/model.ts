// A sequential model: forward through the layers in order, backward in reverse, plain SGD update.
import type { Layer, Parameter } from './layers/layer';
import { SGD } from './optim/sgd';
import type { Tensor } from './tensor';

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

  /** Each layer's backward, last to first; returns dL/dinput and leaves the parameters' gradients set. */
  backward(gradOutput: Tensor): Tensor {
    return this.layers.reduceRight((g, layer) => layer.backward(g), gradOutput);
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

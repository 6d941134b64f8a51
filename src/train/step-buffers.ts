// train() owns every forward output and input gradient of its steps: each is used within the step,
// then forgotten, as its batches are. So during its steps (not its evaluations or the caller's
// callbacks) the ReLU layers of a Model write them into the same arrays every step: a fresh array
// per step costs more here than ReLU's own loop (an off-heap allocation, zero-filled, later swept),
// and the values are the same.
import { ReLU } from '../layers/relu';
import { Model } from '../model';

function reluLayers(layer: unknown): ReLU[] {
  if (layer instanceof ReLU) return [layer];
  if (layer instanceof Model) return layer.layers.flatMap(reluLayers);
  return [];
}

/** Switches reuseBuffers of `model`'s ReLU layers that have it off (the caller's own choice is left alone). */
export class StepBuffers {
  private readonly layers: ReLU[];

  constructor(model: unknown) {
    this.layers = reluLayers(model).filter((layer) => !layer.reuseBuffers);
  }

  /** From here to off(), every result of those layers is valid until their next call. */
  on(): void {
    for (const layer of this.layers) layer.reuseBuffers = true;
  }

  off(): void {
    for (const layer of this.layers) layer.reuseBuffers = false;
  }
}

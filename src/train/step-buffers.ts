// train() owns every forward output and input gradient of its steps: each is used within the step,
// then forgotten, as its batches are. So during its steps (not its evaluations or the caller's
// callbacks) the Linear and ReLU layers of a Model write them into the same arrays every step: a
// fresh array per step costs more here than ReLU's own loop (an off-heap allocation, zero-filled,
// later swept), and the values are the same. Those arrays live in the kernel's memory, where matmul
// writes a Linear's output in place and ReLU runs in WebAssembly (~20 µs less each way per MNIST step).
import { Linear } from '../layers/linear';
import { ReLU } from '../layers/relu';
import { Model } from '../model';

type Reusing = Linear | ReLU;

function reusingLayers(layer: unknown): Reusing[] {
  if (layer instanceof ReLU || layer instanceof Linear) return [layer];
  if (layer instanceof Model) return layer.layers.flatMap(reusingLayers);
  return [];
}

/** Switches reuseBuffers of `model`'s Linear and ReLU layers that have it off (the caller's own choice is left alone). */
export class StepBuffers {
  private readonly layers: Reusing[];

  constructor(model: unknown) {
    this.layers = reusingLayers(model).filter((layer) => !layer.reuseBuffers);
  }

  /** From here to off(), every result of those layers is valid until their next call. */
  on(): void {
    for (const layer of this.layers) layer.reuseBuffers = true;
  }

  off(): void {
    for (const layer of this.layers) layer.reuseBuffers = false;
  }
}

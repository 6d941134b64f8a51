// train()'s own plain SGD step for a Model: the same arithmetic as Model.update (optim/sgd.ts,
// p ← p − lr·∇p through subtractScaled, so the same bits), without allocating per step. A 784×50
// float64 weight is 300 KB, and a fresh array of that size costs ~100 µs of page faults on Linux:
// more than the batch's own matrix products. So each parameter keeps a spare tensor; a step writes
// into the spare and swaps it in, and the replaced value becomes the next spare. As optim/sgd.ts,
// a step never writes into the current value; it writes into the value of two steps ago, which the
// layers no longer hold (their caches are refreshed by every forward pass).
// The previous step's gradients, replaced by the backward pass about to run, go back to matmul.
// Large parameters (a first layer's weights) and their gradients live in the matrix kernel's memory
// (kernels/arena.ts), where matmul reads and writes them without copying.
import { expectFiniteNumber, expectSameDType, expectShape } from '../checks';
import { isKernelArray, kernelArray } from '../kernels/arena';
import { subtractScaled } from '../kernels/elementwise';
import { recycle } from '../kernels/recycle';
import type { Parameter } from '../layers/layer';
import { Model } from '../model';
import { Tensor } from '../tensor';

/** Parameters at least this large get their spare and gradient arrays in the kernel's memory. */
const KERNEL_MEMORY_MIN = 4096;

export class RecyclingStep {
  private readonly spares = new Map<Parameter, Tensor>();

  /** A stepper for `model` when it is a Model whose update is the plain SGD step, else null. */
  static for(model: unknown): RecyclingStep | null {
    return model instanceof Model && model.update === Model.prototype.update ? new RecyclingStep(model.parameters()) : null;
  }

  private constructor(private readonly parameters: Parameter[]) {
    // Gradient arrays in the kernel's memory, for matmul to take as its first gradient outputs.
    for (const p of parameters) if (p.value.size >= KERNEL_MEMORY_MIN) recycle(kernelArray(p.value.dtype, p.value.size));
  }

  /** Call just before backward: the gradients it is about to replace are recycled for its products. */
  releaseGradients(): void {
    for (const p of this.parameters) if (p.grad !== null) recycle(p.grad.data);
  }

  /** p.value ← p.value − lr·p.grad for every parameter, as Model.update(lr). */
  update(lr: number): void {
    expectFiniteNumber('sgd', lr, 'learning rate');
    for (const p of this.parameters) {
      if (p.grad === null) throw new Error(`sgd: parameter '${p.name}' has no gradient; call backward before step`);
      expectShape('sgd', p.grad, 'grad', p.value.shape, 'param');
      expectSameDType('sgd', p.grad, 'grad', p.value, 'param');
      let next = this.spares.get(p);
      if (next === undefined || next.dtype !== p.value.dtype || next.size !== p.value.size) {
        next = p.value.size >= KERNEL_MEMORY_MIN ? new Tensor(kernelArray(p.value.dtype, p.value.size), p.value.shape) : Tensor.zeros(p.value.shape, p.value.dtype);
      }
      subtractScaled(next.data, p.value.data, lr, p.grad.data);
      // The replaced value is the next spare, unless it is a large one outside the kernel's memory
      // (the layer's initial weights): then a kernel array takes its place, so every later step runs there.
      const large = p.value.size >= KERNEL_MEMORY_MIN;
      this.spares.set(p, large && !isKernelArray(p.value.data) ? new Tensor(kernelArray(p.value.dtype, p.value.size), p.value.shape) : p.value);
      p.value = next.shape === p.value.shape ? next : new Tensor(next.data, p.value.shape);
    }
  }
}

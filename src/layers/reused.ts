// The arrays a layer reuses during train()'s steps (train/step-buffers.ts): one tensor per slot,
// remade only when the shape or dtype changes (the last, partial batch). They live in the matrix
// kernel's memory where it runs (kernels/arena.ts), so that matmul writes them in place and ReLU runs
// on them in WebAssembly; elsewhere they are plain arrays.
import { kernelArray } from '../kernels/arena';
import { type DType, Tensor, sizeOf } from '../tensor';

export class ReusedTensors<Slot extends string> {
  private readonly tensors = new Map<Slot, Tensor>();

  /** The tensor of `slot`, zero-filled when new; its values are whatever its last user left. */
  get(slot: Slot, shape: readonly number[], dtype: DType): Tensor {
    const t = this.tensors.get(slot);
    // Stryker disable next-line ConditionalExpression,EqualityOperator,MethodExpression,ArrowFunction,LogicalOperator: train()'s buffer reuse, which no case reaches (the reference adapter never turns it on); test/train/step-buffers.test.ts checks it
    if (t !== undefined && t.dtype === dtype && t.shape.length === shape.length && t.shape.every((d, i) => d === shape[i])) return t;
    const fresh = new Tensor(kernelArray(dtype, sizeOf(shape)), shape);
    this.tensors.set(slot, fresh);
    return fresh;
  }
}

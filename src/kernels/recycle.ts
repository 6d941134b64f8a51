// A few arrays handed back by their owner for the next product of the same size. train() hands back
// the previous step's weight gradients just before the backward pass that replaces them, and
// matmul's gradients take them instead of allocating: a 784×50 float64 gradient is 300 KB, and on
// Linux a fresh allocation of that size costs ~100 µs of page faults, more than the product itself.
import type { DType, TensorData } from '../tensor';

/** At most this many arrays wait; beyond, they are left to the garbage collector. */
const CAPACITY = 8;
const waiting: TensorData[] = [];

/** Hands `data` back: its owner promises never to read or write it again. */
export function recycle(data: TensorData): void {
  if (waiting.length < CAPACITY && !waiting.includes(data)) waiting.push(data);
}

/** An array of `size` elements of `dtype` with unspecified contents: a recycled one, or a new one. */
export function takeArray(dtype: DType, size: number): TensorData {
  const i = waiting.findIndex((d) => d.length === size && (d instanceof Float32Array) === (dtype === 'float32'));
  if (i >= 0) return waiting.splice(i, 1)[0]!;
  return dtype === 'float32' ? new Float32Array(size) : new Float64Array(size);
}

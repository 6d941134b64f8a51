// Arrays that live in the matrix kernel's own memory, so gemm reads and writes them in place
// instead of copying them in and out. train() puts in them what every step multiplies: the batch,
// the first layer's weights, their gradient — about a megabyte of copies per step otherwise.
// A block is freed by release(), or when its array is garbage collected (a FinalizationRegistry:
// after the synchronous code that dropped it has returned). Scratch for a product lives above the
// highest block (scratchBase).
import { type DType, type TensorData } from '../tensor';
import { ensureBytes, kernelInstance } from './wasm-instance';

interface Block {
  start: number;
  end: number;
}

/** Live blocks, sorted by start. */
const blocks: Block[] = [];
const byArray = new WeakMap<TensorData, Block>();
const finalizer = new FinalizationRegistry<Block>((block) => free(block));

const align = (bytes: number): number => Math.ceil(bytes / 64) * 64;

function free(block: Block): void {
  const i = blocks.indexOf(block);
  if (i >= 0) blocks.splice(i, 1);
}

/**
 * A zero-filled array of `length` elements of `dtype` in the kernel's memory, or a plain array where
 * the kernel cannot run or its memory is full. Either way, an array like any other.
 */
export function kernelArray(dtype: DType, length: number): TensorData {
  return kernelArrayOrNull(dtype, length) ?? (dtype === 'float32' ? new Float32Array(length) : new Float64Array(length));
}

/** kernelArray's array in the kernel's memory, or null where there is none (rather than a plain array). */
export function kernelArrayOrNull(dtype: DType, length: number): TensorData | null {
  const k = kernelInstance();
  const bytes = align(length * (dtype === 'float32' ? 4 : 8));
  if (k && bytes > 0) {
    let start = 64; // address 0 stays unused: a product's scratch starts at scratchBase(), never 0
    let at = 0;
    for (; at < blocks.length && blocks[at]!.start - start < bytes; at++) start = blocks[at]!.end; // first fit
    if (ensureBytes(k, start + bytes)) {
      const block = { start, end: start + bytes };
      blocks.splice(at, 0, block);
      const buffer = k.memory.buffer;
      const data = dtype === 'float32' ? new Float32Array(buffer, start, length) : new Float64Array(buffer, start, length);
      k.zero(start, bytes); // a freed block holds old values
      byArray.set(data, block);
      finalizer.register(data, block, data);
      return data;
    }
  }
  return null;
}

/** Whether `data` is an array from kernelArray() (not released). */
export function isKernelArray(data: TensorData): boolean {
  return byArray.has(data);
}

/** Frees `data`'s block now, if it has one; the array must not be used again. */
export function releaseKernelArray(data: TensorData): void {
  const block = byArray.get(data);
  if (!block) return;
  byArray.delete(data);
  finalizer.unregister(data);
  free(block);
}

/** The first byte above every live block: where a product's scratch may start. */
export function scratchBase(): number {
  return align(blocks.length ? blocks[blocks.length - 1]!.end : 64);
}

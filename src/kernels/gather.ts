// DataLoader's batch gather in WebAssembly, for a dataset that lives in the kernel's memory: one
// memcpy per row. Writing a batch into that (shared) memory from JavaScript takes V8's slow path.
import type { TensorData } from '../tensor';
import { addressOf, kernelInstance } from './wasm-instance';

/** Whether `source` lives in the kernel's memory, where gatherRowsInKernel can read it. */
export function livesInKernelMemory(source: TensorData): boolean {
  const k = kernelInstance();
  return k !== null && addressOf(k, source) >= 0;
}

/**
 * out[r·width ..] = source[indices[r]·width ..] for every r, when out, source and indices all live
 * in the kernel's memory and out and source have one dtype; false (nothing written) otherwise.
 * Every index must be a row of source: the copy checks only the memory's end.
 */
export function gatherRowsInKernel(out: TensorData, source: TensorData, width: number, indices: Int32Array): boolean {
  const k = kernelInstance();
  if (!k || out.BYTES_PER_ELEMENT !== source.BYTES_PER_ELEMENT || indices.length * width > out.length) return false;
  const dst = addressOf(k, out), src = addressOf(k, source), idx = addressOf(k, indices);
  if (dst < 0 || src < 0 || idx < 0) return false;
  k.gatherRows(dst, src, width * source.BYTES_PER_ELEMENT, idx, indices.length);
  return true;
}

// Operand staging for kernels/matmul.ts: float64 views of the operands, copying only what cannot be
// read in place (a float32 operand, a transposed or too-wide B), into work buffers reused across
// calls, so a training step allocates nothing here after its first batch.
import type { TensorData } from '../tensor';

/** One growable buffer per role ('a', 'b', 'c'). gemm never re-enters itself, so reuse is safe. */
const work = new Map<string, Float64Array>();

/** A float64 buffer of exactly `size` elements for `role`, contents unspecified. */
export function workBuffer(role: string, size: number): Float64Array {
  let buffer = work.get(role);
  if (buffer === undefined || buffer.length < size) {
    buffer = new Float64Array(size);
    work.set(role, buffer);
  }
  return buffer.subarray(0, size);
}

/** `x` itself when it is float64, else its values converted into the `role` work buffer. */
export function asFloat64(x: TensorData, role: string): Float64Array {
  if (x instanceof Float64Array) return x;
  const copy = workBuffer(role, x.length);
  copy.set(x);
  return copy;
}

/** panel[p·nc + j] = op(B)[pc + p, jc + j] in the 'b' work buffer; loops run along the stored rows of B. */
export function packPanel(b: TensorData, transB: boolean, n: number, k: number, pc: number, kc: number, jc: number, nc: number): Float64Array {
  const panel = workBuffer('b', kc * nc);
  if (transB) {
    for (let j = 0; j < nc; j++) for (let p = 0; p < kc; p++) panel[p * nc + j] = b[(jc + j) * k + pc + p]!;
  } else {
    for (let p = 0; p < kc; p++) for (let j = 0; j < nc; j++) panel[p * nc + j] = b[(pc + p) * n + jc + j]!;
  }
  return panel;
}

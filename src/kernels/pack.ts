// Packing for kernels/matmul.ts: copies one block of op(A) or op(B) into a contiguous float64
// buffer, so the inner loops read memory in order whatever the transposition and dtype.
import type { TensorData } from '../tensor';

/** aStrip[r·kc + p] = op(A)[i + r, pc + p]. */
export function packA(a: TensorData, transA: boolean, m: number, k: number, i: number, rows: number, pc: number, kc: number, aStrip: Float64Array): void {
  for (let r = 0; r < rows; r++) {
    for (let p = 0; p < kc; p++) aStrip[r * kc + p] = transA ? a[(pc + p) * m + i + r]! : a[(i + r) * k + pc + p]!;
  }
}

/** bPanel[p·nc + j] = op(B)[pc + p, jc + j]; loops run along the stored rows of B. */
export function packB(b: TensorData, transB: boolean, n: number, k: number, pc: number, kc: number, jc: number, nc: number, bPanel: Float64Array): void {
  if (transB) {
    for (let j = 0; j < nc; j++) for (let p = 0; p < kc; p++) bPanel[p * nc + j] = b[(jc + j) * k + pc + p]!;
  } else {
    for (let p = 0; p < kc; p++) for (let j = 0; j < nc; j++) bPanel[p * nc + j] = b[(pc + p) * n + jc + j]!;
  }
}

// The fast matrix product behind every matmul in src/: cache blocking, operand packing and a
// 4-row × 8-deep unrolled i-k-j inner loop. The ops stay readable; the speed lives here.
import type { TensorData } from '../tensor';
import { packA, packB } from './pack';

/** Depth (k) × width (n) of one block: a packed B panel of KC × NC float64s (256 KiB) stays in L2. */
const KC = 128, NC = 256;
/** Rows of op(A) per inner loop: four rows of C share every load of B. */
const MR = 4;

/**
 * Sets `out` (m×n) to op(A)·op(B), where op(A) is m×k and op(B) is k×n, all row-major.
 * With `transA`, `a` holds A stored k×m and op(A) = Aᵀ; with `transB`, `b` holds B stored n×k.
 * Products accumulate in float64 whatever the dtypes; a float32 `out` is rounded once at the end.
 * Allocates two small packing buffers per call (and an m×n float64 buffer for float32 output).
 */
export function gemm(m: number, n: number, k: number, a: TensorData, transA: boolean, b: TensorData, transB: boolean, out: TensorData): void {
  const c = out instanceof Float64Array ? out : new Float64Array(m * n);
  c.fill(0);
  const bPanel = new Float64Array(Math.min(KC, k) * Math.min(NC, n));
  const aStrip = new Float64Array(MR * Math.min(KC, k));
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      packB(b, transB, n, k, pc, kc, jc, nc, bPanel);
      for (let i = 0; i < m; i += MR) {
        const rows = Math.min(MR, m - i);
        packA(a, transA, m, k, i, rows, pc, kc, aStrip);
        if (rows === MR) fourRows(aStrip, bPanel, c, i * n + jc, n, kc, nc);
        else for (let r = 0; r < rows; r++) oneRow(aStrip, r * kc, bPanel, c, (i + r) * n + jc, kc, nc);
      }
    }
  }
  if (c !== out) out.set(c);
}

/** C[4 rows from c0, nc columns] += aStrip (4×kc) · bPanel (kc×nc), eight k-steps per pass over j. */
function fourRows(A: Float64Array, B: Float64Array, C: Float64Array, c0: number, n: number, kc: number, nc: number): void {
  const c1 = c0 + n, c2 = c1 + n, c3 = c2 + n;
  const r1 = kc, r2 = 2 * kc, r3 = 3 * kc;
  let p = 0;
  // 32 A values held in locals; each loaded B value feeds 4 rows; each C update sums 8 products.
  for (; p + 8 <= kc; p += 8) {
    const a00 = A[p]!, a01 = A[p + 1]!, a02 = A[p + 2]!, a03 = A[p + 3]!;
    const a04 = A[p + 4]!, a05 = A[p + 5]!, a06 = A[p + 6]!, a07 = A[p + 7]!;
    const a10 = A[r1 + p]!, a11 = A[r1 + p + 1]!, a12 = A[r1 + p + 2]!, a13 = A[r1 + p + 3]!;
    const a14 = A[r1 + p + 4]!, a15 = A[r1 + p + 5]!, a16 = A[r1 + p + 6]!, a17 = A[r1 + p + 7]!;
    const a20 = A[r2 + p]!, a21 = A[r2 + p + 1]!, a22 = A[r2 + p + 2]!, a23 = A[r2 + p + 3]!;
    const a24 = A[r2 + p + 4]!, a25 = A[r2 + p + 5]!, a26 = A[r2 + p + 6]!, a27 = A[r2 + p + 7]!;
    const a30 = A[r3 + p]!, a31 = A[r3 + p + 1]!, a32 = A[r3 + p + 2]!, a33 = A[r3 + p + 3]!;
    const a34 = A[r3 + p + 4]!, a35 = A[r3 + p + 5]!, a36 = A[r3 + p + 6]!, a37 = A[r3 + p + 7]!;
    const b0 = p * nc, b1 = b0 + nc, b2 = b1 + nc, b3 = b2 + nc, b4 = b3 + nc, b5 = b4 + nc, b6 = b5 + nc, b7 = b6 + nc;
    for (let j = 0; j < nc; j++) {
      const v0 = B[b0 + j]!, v1 = B[b1 + j]!, v2 = B[b2 + j]!, v3 = B[b3 + j]!;
      const v4 = B[b4 + j]!, v5 = B[b5 + j]!, v6 = B[b6 + j]!, v7 = B[b7 + j]!;
      C[c0 + j] += a00 * v0 + a01 * v1 + a02 * v2 + a03 * v3 + a04 * v4 + a05 * v5 + a06 * v6 + a07 * v7;
      C[c1 + j] += a10 * v0 + a11 * v1 + a12 * v2 + a13 * v3 + a14 * v4 + a15 * v5 + a16 * v6 + a17 * v7;
      C[c2 + j] += a20 * v0 + a21 * v1 + a22 * v2 + a23 * v3 + a24 * v4 + a25 * v5 + a26 * v6 + a27 * v7;
      C[c3 + j] += a30 * v0 + a31 * v1 + a32 * v2 + a33 * v3 + a34 * v4 + a35 * v5 + a36 * v6 + a37 * v7;
    }
  }
  for (; p < kc; p++) {
    const a0 = A[p]!, a1 = A[r1 + p]!, a2 = A[r2 + p]!, a3 = A[r3 + p]!;
    const b = p * nc;
    for (let j = 0; j < nc; j++) {
      const v = B[b + j]!;
      C[c0 + j] += a0 * v;
      C[c1 + j] += a1 * v;
      C[c2 + j] += a2 * v;
      C[c3 + j] += a3 * v;
    }
  }
}

/** C[one row from c0, nc columns] += aStrip row (from a0) · bPanel: the leftover rows when m % 4 ≠ 0. */
function oneRow(A: Float64Array, a0: number, B: Float64Array, C: Float64Array, c0: number, kc: number, nc: number): void {
  for (let p = 0; p < kc; p++) {
    const a = A[a0 + p]!, b = p * nc;
    for (let j = 0; j < nc; j++) C[c0 + j] += a * B[b + j]!;
  }
}

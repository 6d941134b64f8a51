// The fast matrix product behind every matmul in src/: cache blocking, operand packing and a
// 4-row × 4-deep unrolled i-k-j inner loop. The ops stay readable; the speed lives here.
import type { TensorData } from '../tensor';

/** Depth (k) of one block: a packed B panel is KC × NC float64s (256 KiB), sized for L2. */
const KC = 128;
/** Width (n) of one block. */
const NC = 256;
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

/** aStrip[r·kc + p] = op(A)[i + r, pc + p]. */
function packA(a: TensorData, transA: boolean, m: number, k: number, i: number, rows: number, pc: number, kc: number, aStrip: Float64Array): void {
  for (let r = 0; r < rows; r++) {
    for (let p = 0; p < kc; p++) aStrip[r * kc + p] = transA ? a[(pc + p) * m + i + r]! : a[(i + r) * k + pc + p]!;
  }
}

/** bPanel[p·nc + j] = op(B)[pc + p, jc + j]; loops run along the stored rows of B. */
function packB(b: TensorData, transB: boolean, n: number, k: number, pc: number, kc: number, jc: number, nc: number, bPanel: Float64Array): void {
  if (transB) {
    for (let j = 0; j < nc; j++) for (let p = 0; p < kc; p++) bPanel[p * nc + j] = b[(jc + j) * k + pc + p]!;
  } else {
    for (let p = 0; p < kc; p++) for (let j = 0; j < nc; j++) bPanel[p * nc + j] = b[(pc + p) * n + jc + j]!;
  }
}

/** C[4 rows from c0, nc columns] += aStrip (4×kc) · bPanel (kc×nc), four k-steps per pass over j. */
function fourRows(A: Float64Array, B: Float64Array, C: Float64Array, c0: number, n: number, kc: number, nc: number): void {
  const c1 = c0 + n, c2 = c1 + n, c3 = c2 + n;
  const r1 = kc, r2 = 2 * kc, r3 = 3 * kc;
  let p = 0;
  for (; p + 4 <= kc; p += 4) {
    const a00 = A[p]!, a01 = A[p + 1]!, a02 = A[p + 2]!, a03 = A[p + 3]!;
    const a10 = A[r1 + p]!, a11 = A[r1 + p + 1]!, a12 = A[r1 + p + 2]!, a13 = A[r1 + p + 3]!;
    const a20 = A[r2 + p]!, a21 = A[r2 + p + 1]!, a22 = A[r2 + p + 2]!, a23 = A[r2 + p + 3]!;
    const a30 = A[r3 + p]!, a31 = A[r3 + p + 1]!, a32 = A[r3 + p + 2]!, a33 = A[r3 + p + 3]!;
    const b0 = p * nc, b1 = b0 + nc, b2 = b1 + nc, b3 = b2 + nc;
    for (let j = 0; j < nc; j++) {
      const v0 = B[b0 + j]!, v1 = B[b1 + j]!, v2 = B[b2 + j]!, v3 = B[b3 + j]!;
      C[c0 + j] += a00 * v0 + a01 * v1 + a02 * v2 + a03 * v3;
      C[c1 + j] += a10 * v0 + a11 * v1 + a12 * v2 + a13 * v3;
      C[c2 + j] += a20 * v0 + a21 * v1 + a22 * v2 + a23 * v3;
      C[c3 + j] += a30 * v0 + a31 * v1 + a32 * v2 + a33 * v3;
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

// The plain-TypeScript matrix product: the fallback where WebAssembly SIMD is missing, and the oracle
// the WebAssembly kernel is tested against (test/src/kernel-*.test.ts). k-blocks and a 4-row × 8-deep
// unrolled i-k-j inner loop. Operands are read in place when they can be (A through strides in either orientation,
// B when a k-block of it is one contiguous slab: not transposed and at most NC wide), which is what
// keeps skinny training shapes such as (64×784)·(784×50) from paying for copies. The ops stay readable.
import type { TensorData } from '../tensor';
import { asFloat64, packPanel, workBuffer } from './pack';

/** Depth (k) × width (n) of one block of B: a KC × NC float64 panel (256 KiB) stays in L2. */
const KC = 128, NC = 256;
/** Rows of op(A) per inner loop: four rows of C share every load of B. */
const MR = 4;

/**
 * Sets `out` (m×n) to op(A)·op(B), where op(A) is m×k and op(B) is k×n, all row-major.
 * With `transA`, `a` holds A stored k×m and op(A) = Aᵀ; with `transB`, `b` holds B stored n×k.
 * Products accumulate in float64 whatever the dtypes; a float32 `out` is rounded once at the end.
 */
export function gemmPlain(m: number, n: number, k: number, a: TensorData, transA: boolean, b: TensorData, transB: boolean, out: TensorData): void {
  const c = out instanceof Float64Array ? out : workBuffer('c', m * n);
  c.fill(0);
  const A = asFloat64(a, 'a');
  const rowStride = transA ? 1 : k, colStride = transA ? m : 1; // op(A)[i, p] = A[i·rowStride + p·colStride]
  const bInPlace = !transB && n <= NC;
  const wholeB = bInPlace ? asFloat64(b, 'b') : null;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      // Row p of this k-block starts at B[b0 + p·nc]: all of B read in place (there nc = n), or a packed panel.
      const B = wholeB ?? packPanel(b, transB, n, k, pc, kc, jc, nc);
      const b0 = wholeB ? pc * n : 0;
      let i = 0;
      for (; i + MR <= m; i += MR) fourRows(A, i * rowStride + pc * colStride, rowStride, colStride, B, b0, c, i * n + jc, n, kc, nc);
      for (; i < m; i++) oneRow(A, i * rowStride + pc * colStride, colStride, B, b0, c, i * n + jc, kc, nc);
    }
  }
  if (c !== out) out.set(c);
}

/** C[4 rows from c0, nc columns] += op(A)[4 rows from a0, kc] · B[kc rows from b0, nc]; eight k-steps per pass over j. */
function fourRows(A: Float64Array, a0: number, rs: number, cs: number, B: Float64Array, b0: number, C: Float64Array, c0: number, n: number, kc: number, nc: number): void {
  const c1 = c0 + n, c2 = c1 + n, c3 = c2 + n;
  const r1 = a0 + rs, r2 = r1 + rs, r3 = r2 + rs;
  let p = 0;
  // 32 A values held in locals; each loaded B value feeds 4 rows; each C update sums 8 products.
  for (; p + 8 <= kc; p += 8) {
    const q0 = p * cs, q1 = q0 + cs, q2 = q1 + cs, q3 = q2 + cs, q4 = q3 + cs, q5 = q4 + cs, q6 = q5 + cs, q7 = q6 + cs;
    const a00 = A[a0 + q0]!, a01 = A[a0 + q1]!, a02 = A[a0 + q2]!, a03 = A[a0 + q3]!;
    const a04 = A[a0 + q4]!, a05 = A[a0 + q5]!, a06 = A[a0 + q6]!, a07 = A[a0 + q7]!;
    const a10 = A[r1 + q0]!, a11 = A[r1 + q1]!, a12 = A[r1 + q2]!, a13 = A[r1 + q3]!;
    const a14 = A[r1 + q4]!, a15 = A[r1 + q5]!, a16 = A[r1 + q6]!, a17 = A[r1 + q7]!;
    const a20 = A[r2 + q0]!, a21 = A[r2 + q1]!, a22 = A[r2 + q2]!, a23 = A[r2 + q3]!;
    const a24 = A[r2 + q4]!, a25 = A[r2 + q5]!, a26 = A[r2 + q6]!, a27 = A[r2 + q7]!;
    const a30 = A[r3 + q0]!, a31 = A[r3 + q1]!, a32 = A[r3 + q2]!, a33 = A[r3 + q3]!;
    const a34 = A[r3 + q4]!, a35 = A[r3 + q5]!, a36 = A[r3 + q6]!, a37 = A[r3 + q7]!;
    const b0_ = b0 + p * nc, b1 = b0_ + nc, b2 = b1 + nc, b3 = b2 + nc, b4 = b3 + nc, b5 = b4 + nc, b6 = b5 + nc, b7 = b6 + nc;
    for (let j = 0; j < nc; j++) {
      const v0 = B[b0_ + j]!, v1 = B[b1 + j]!, v2 = B[b2 + j]!, v3 = B[b3 + j]!;
      const v4 = B[b4 + j]!, v5 = B[b5 + j]!, v6 = B[b6 + j]!, v7 = B[b7 + j]!;
      C[c0 + j]! += a00 * v0 + a01 * v1 + a02 * v2 + a03 * v3 + a04 * v4 + a05 * v5 + a06 * v6 + a07 * v7;
      C[c1 + j]! += a10 * v0 + a11 * v1 + a12 * v2 + a13 * v3 + a14 * v4 + a15 * v5 + a16 * v6 + a17 * v7;
      C[c2 + j]! += a20 * v0 + a21 * v1 + a22 * v2 + a23 * v3 + a24 * v4 + a25 * v5 + a26 * v6 + a27 * v7;
      C[c3 + j]! += a30 * v0 + a31 * v1 + a32 * v2 + a33 * v3 + a34 * v4 + a35 * v5 + a36 * v6 + a37 * v7;
    }
  }
  for (; p < kc; p++) {
    const q = p * cs, a0v = A[a0 + q]!, a1 = A[r1 + q]!, a2 = A[r2 + q]!, a3 = A[r3 + q]!;
    const b = b0 + p * nc;
    for (let j = 0; j < nc; j++) {
      const v = B[b + j]!;
      C[c0 + j]! += a0v * v;
      C[c1 + j]! += a1 * v;
      C[c2 + j]! += a2 * v;
      C[c3 + j]! += a3 * v;
    }
  }
}

/** C[one row from c0, nc columns] += op(A)[one row from a0, kc] · B block: the leftover rows when m % 4 ≠ 0. */
function oneRow(A: Float64Array, a0: number, cs: number, B: Float64Array, b0: number, C: Float64Array, c0: number, kc: number, nc: number): void {
  for (let p = 0; p < kc; p++) {
    const a = A[a0 + p * cs]!, b = b0 + p * nc;
    for (let j = 0; j < nc; j++) C[c0 + j]! += a * B[b + j]!;
  }
}

// The plain-TypeScript kernel against a naive triple loop (a kernel unit test; conformance uses ORT
// values). It is the fallback and the oracle of the WebAssembly kernel's tests (kernel-wasm.test.ts).
import { normalPool } from './helpers/normal-pool';
import { gemmPlain as gemm } from '../../src/kernels/matmul';

/** op(A)·op(B) by the definition, with op(X) = Xᵀ when transposed. */
function naive(m: number, n: number, k: number, a: ArrayLike<number>, transA: boolean, b: ArrayLike<number>, transB: boolean): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (transA ? a[p * m + i]! : a[i * k + p]!) * (transB ? b[j * k + p]! : b[p * n + j]!);
      c[i * n + j] = s;
    }
  }
  return c;
}

/** max |actual − expected| / (1 + |expected|); NaN (a slot never written) counts as Infinity. */
function worstRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.abs(actual[i]! - expected[i]!) / (1 + Math.abs(expected[i]!));
    worst = Number.isNaN(e) ? Infinity : Math.max(worst, e);
  }
  return worst;
}

const random = normalPool(7); // operands: copies of slices of one pool of normal values

// Sizes around the block sizes (KC = 128, NC = 256, 4 rows per strip) and below them: B is read in
// place when not transposed and n ≤ NC, packed otherwise.
const sizes: [number, number, number][] = [[1, 1, 1], [3, 5, 7], [4, 4, 4], [5, 1, 9], [1, 9, 5], [13, 17, 130], [6, 257, 129], [9, 300, 260], [37, 3, 2]];

describe('gemmPlain', () => {
  for (const [m, n, k] of sizes) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        test(`${m}×${k} · ${k}×${n}, transA=${transA} transB=${transB}`, () => {
          const a = random(m * k), b = random(k * n);
          const expected = naive(m, n, k, a, transA, b, transB);
          const out = new Float64Array(m * n).fill(NaN); // gemm must overwrite, not accumulate
          gemm(m, n, k, a, transA, b, transB, out);
          expect(worstRelativeError(out, expected)).toBeLessThan(1e-13 * k);
        });
      }
    }
  }

  test('float32 operands and output: accumulated in float64, rounded once', () => {
    const [m, n, k] = [7, 11, 300];
    const a = Float32Array.from(random(m * k)), b = Float32Array.from(random(k * n));
    const expected = naive(m, n, k, a, false, b, true);
    const out = new Float32Array(m * n);
    gemm(m, n, k, a, false, b, true, out);
    expect(worstRelativeError(out, expected)).toBeLessThan(1e-7); // one float32 rounding (≤ 6e-8), not 300
  });

  test('float32 in every orientation, B read in place (n ≤ 256) or packed, buffers reused across calls', () => {
    // Alternating sizes and dtypes: a work buffer left from a larger call must not leak into a smaller one.
    for (const [m, n, k] of [[9, 300, 260], [5, 7, 3], [64, 50, 140], [2, 3, 1]] as [number, number, number][]) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          const a = Float32Array.from(random(m * k)), b = Float32Array.from(random(k * n));
          const out = new Float32Array(m * n).fill(NaN);
          gemm(m, n, k, a, transA, b, transB, out);
          expect(worstRelativeError(out, naive(m, n, k, a, transA, b, transB))).toBeLessThan(1e-7);
          const out64 = new Float64Array(m * n);
          gemm(m, n, k, Float64Array.from(a), transA, b, transB, out64); // mixed operand dtypes too
          expect(worstRelativeError(out64, naive(m, n, k, a, transA, b, transB))).toBeLessThan(1e-13 * k);
        }
      }
    }
  });

  test('k = 0 gives zeros', () => {
    const out = new Float64Array(6).fill(5);
    gemm(2, 3, 0, new Float64Array(0), false, new Float64Array(0), false, out);
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 0, 0]);
  });
});

// The WebAssembly kernel (gemm.wat) against the plain-TypeScript kernel, its oracle.
// The bound is the textbook one for a dot product of k terms summed in any order:
//   |computed − exact| ≤ γ_k · (|A|·|B|)[i, j],  γ_k = k·u / (1 − k·u),
// u = 2⁻⁵³ for float64 and 2⁻²⁴ for float32 (the WebAssembly kernel sums float32 in float32).
// Both kernels obey it, so they differ by at most the sum of their two bounds: never flaky, and tight
// enough that a wrong index, a missing block or a dropped term fails by orders of magnitude.
import { normalPool } from './helpers/normal-pool';
import { configureMatmul, gemm, gemmPlain, matmulStatus } from '../../src/kernels/matmul';

const U64 = 2 ** -53, U32 = 2 ** -24;
const gamma = (k: number, u: number): number => (k * u) / (1 - k * u);

const random = normalPool(15); // operands: copies of slices of one pool of normal values

/** |op(A)|·|op(B)| in float64: the scale of each element's rounding error. */
function magnitudes(m: number, n: number, k: number, a: ArrayLike<number>, transA: boolean, b: ArrayLike<number>, transB: boolean): Float64Array {
  const abs = (x: ArrayLike<number>): Float64Array => {
    const y = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) y[i] = Math.abs(x[i]!);
    return y;
  };
  const out = new Float64Array(m * n);
  gemmPlain(m, n, k, abs(a), transA, abs(b), transB, out);
  return out;
}

/** The first element where |actual − expected| > bound·scale, as a message, or null. */
function firstViolation(actual: ArrayLike<number>, expected: ArrayLike<number>, scale: ArrayLike<number>, bound: number): string | null {
  for (let i = 0; i < expected.length; i++) {
    const diff = Math.abs(actual[i]! - expected[i]!);
    if (!(diff <= bound * scale[i]!)) return `element ${i}: ${actual[i]} vs ${expected[i]}, |Δ| ${diff} > ${bound} · ${scale[i]}`;
  }
  return null;
}

beforeAll(() => {
  if (matmulStatus().wasmUnavailable !== null) throw new Error(`the WebAssembly kernel cannot run here: ${matmulStatus().wasmUnavailable}`);
  configureMatmul({ kernel: 'wasm', threads: 1 }); // the pool has its own test (kernel-pool.test.ts)
});

// Around the kernel's tiles (4×4 float64, 4×8 float32) and blocks (k: 256 float64 / 512 float32;
// n: 256), below and across them, plus the shapes of MNIST training (784 inputs, 50 hidden units) with fewer rows.
const shapes: [number, number, number][] = [
  [1, 1, 1], [3, 5, 7], [4, 4, 4], [8, 8, 8], [5, 1, 9], [1, 9, 5], [37, 3, 2], [13, 17, 130],
  [6, 257, 129], [5, 260, 520], [33, 20, 513], [21, 50, 784], [301, 50, 64], [2, 3, 1],
];

describe.each(['float64', 'float32'] as const)('gemm, WebAssembly, %s', (dtype) => {
  const f32 = dtype === 'float32';
  const make = (x: Float64Array): Float64Array | Float32Array => (f32 ? Float32Array.from(x) : x);

  for (const [m, n, k] of shapes) {
    test(`${m}×${k} · ${k}×${n}, all four orientations, within the rounding bound of the plain kernel`, () => {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          const a = make(random(m * k)), b = make(random(k * n));
          const expected = new Float64Array(m * n);
          gemmPlain(m, n, k, a, transA, b, transB, expected); // float64 sums of the same (float32) values
          const out = f32 ? new Float32Array(m * n) : new Float64Array(m * n);
          out.fill(NaN); // gemm must overwrite every element, not accumulate
          gemm(m, n, k, a, transA, b, transB, out);
          // float32: the kernel's float32 sums, plus the reference's own float64 sums.
          const bound = f32 ? gamma(k, U32) + gamma(k, U64) : 2 * gamma(k, U64);
          const where = firstViolation(out, expected, magnitudes(m, n, k, a, transA, b, transB), bound);
          expect(where === null ? 'ok' : `transA=${transA} transB=${transB}: ${where}`).toBe('ok');
        }
      }
    });
  }

  test('NaN and ±∞ reach exactly the elements they reach in the plain kernel', () => {
    const [m, n, k] = [9, 13, 11];
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const a = make(random(m * k)), b = make(random(k * n));
        a[5] = NaN;
        a[17] = Infinity;
        a[30] = -Infinity;
        b[3] = Infinity;
        b[40] = 0; // ∞·0 is NaN
        b[41] = NaN;
        const expected = new Float64Array(m * n), out = f32 ? new Float32Array(m * n) : new Float64Array(m * n);
        gemmPlain(m, n, k, a, transA, b, transB, expected);
        gemm(m, n, k, a, transA, b, transB, out);
        const kind = (x: number): string => (Number.isNaN(x) ? 'NaN' : x === Infinity ? '+∞' : x === -Infinity ? '−∞' : 'finite');
        expect(Array.from(out, kind)).toEqual(Array.from(expected, kind));
        expect(Array.from(out, kind)).toContain('NaN');
      }
    }
  });

  test('empty products: k = 0 gives zeros, m = 0 or n = 0 gives nothing', () => {
    const out = make(new Float64Array(6).fill(5));
    gemm(2, 3, 0, make(new Float64Array(0)), false, make(new Float64Array(0)), false, out);
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(() => gemm(0, 3, 2, make(new Float64Array(0)), false, make(random(6)), false, make(new Float64Array(0)))).not.toThrow();
    expect(() => gemm(3, 0, 2, make(random(6)), false, make(new Float64Array(0)), false, make(new Float64Array(0)))).not.toThrow();
  });

  test('large operands then small ones: nothing of an earlier call leaks into a later one', () => {
    for (const [m, n, k] of [[70, 300, 520], [3, 2, 5], [65, 9, 300], [1, 1, 1]] as [number, number, number][]) {
      const a = make(random(m * k)), b = make(random(k * n));
      const expected = new Float64Array(m * n), out = f32 ? new Float32Array(m * n) : new Float64Array(m * n);
      gemmPlain(m, n, k, a, false, b, false, expected);
      gemm(m, n, k, a, false, b, false, out);
      const bound = f32 ? gamma(k, U32) + gamma(k, U64) : 2 * gamma(k, U64);
      expect(firstViolation(out, expected, magnitudes(m, n, k, a, false, b, false), bound)).toBeNull();
    }
  });
});

describe('gemm, WebAssembly, dtypes', () => {
  test('float32 sums in float32, in k order: 1 + 2⁻²⁴ + 2⁻²⁴ stays 1 (float64 sums would give 1 + 2⁻²³)', () => {
    const a = Float32Array.of(1, 2 ** -24, 2 ** -24), b = Float32Array.of(1, 1, 1);
    const out = new Float32Array(1);
    gemm(1, 1, 3, a, false, b, false, out);
    expect(out[0]).toBe(1);
    const plain = new Float32Array(1);
    gemmPlain(1, 1, 3, a, false, b, false, plain);
    expect(plain[0]).toBe(Math.fround(1 + 2 ** -23)); // the plain kernel sums in float64, rounds once
  });

  test('mixed dtypes are computed in float64 (a float32 operand is exact in float64)', () => {
    const [m, n, k] = [7, 11, 300];
    const a = random(m * k), b = Float32Array.from(random(k * n));
    const out = new Float64Array(m * n), expected = new Float64Array(m * n);
    gemm(m, n, k, a, false, b, true, out);
    gemmPlain(m, n, k, a, false, b, true, expected);
    expect(firstViolation(out, expected, magnitudes(m, n, k, a, false, b, true), 2 * gamma(k, U64))).toBeNull();
  });

  test("configureMatmul({ kernel: 'plain' }) runs the plain kernel, bit for bit", () => {
    const [m, n, k] = [5, 6, 7];
    const a = random(m * k), b = random(k * n);
    const plain = new Float64Array(m * n), viaGemm = new Float64Array(m * n);
    gemmPlain(m, n, k, a, false, b, false, plain);
    configureMatmul({ kernel: 'plain' });
    try {
      gemm(m, n, k, a, false, b, false, viaGemm);
    } finally {
      configureMatmul({ kernel: 'wasm' });
    }
    expect(Array.from(viaGemm)).toEqual(Array.from(plain));
  });

  test('configureMatmul rejects what it cannot do, in one sentence', () => {
    expect(() => configureMatmul({ threads: 0 })).toThrow(/^matmul: threads must be a positive integer, got 0$/);
    expect(() => configureMatmul({ kernel: 'gpu' as 'wasm' })).toThrow(/^matmul: unknown kernel 'gpu'; expected 'wasm' or 'plain'$/);
  });
});

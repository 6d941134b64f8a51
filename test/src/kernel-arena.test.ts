// Arrays in the kernel's own memory (kernels/arena.ts): read and written in place by gemm and the
// SGD step, with exactly the bits of the same work on ordinary arrays.
import { Rng } from '../../src';
import { kernelArray, releaseKernelArray, scratchBase } from '../../src/kernels/arena';
import { subtractScaled } from '../../src/kernels/elementwise';
import { configureMatmul, gemm } from '../../src/kernels/matmul';
import { addressOf, kernelInstance } from '../../src/kernels/wasm-instance';
import { bytesOf } from './helpers/bytes';

const rng = new Rng(5);
const fill = <T extends Float64Array | Float32Array>(x: T): T => {
  for (let i = 0; i < x.length; i++) x[i] = rng.normal() * 3;
  return x;
};

beforeAll(() => configureMatmul({ kernel: 'wasm', threads: 1 }));

describe('kernel arrays', () => {
  test('live in the kernel memory, start zeroed, and are reused once released', () => {
    const k = kernelInstance()!;
    const a = kernelArray('float64', 1000);
    expect(addressOf(k, a)).toBeGreaterThan(0);
    expect(scratchBase()).toBeGreaterThanOrEqual(addressOf(k, a) + 8000);
    a.fill(7);
    const at = addressOf(k, a);
    releaseKernelArray(a);
    const b = kernelArray('float64', 1000);
    expect(addressOf(k, b)).toBe(at); // first fit: the freed block
    expect(Array.from(b).every((v) => v === 0)).toBe(true);
    releaseKernelArray(b);
  });

  test.each(['float64', 'float32'] as const)('%s: gemm in place gives the bits of gemm on ordinary arrays, in every orientation', (dtype) => {
    const [m, n, k] = [37, 29, 301];
    const plain = (size: number) => fill(dtype === 'float32' ? new Float32Array(size) : new Float64Array(size));
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const a = plain(m * k), b = plain(k * n);
        const ka = kernelArray(dtype, m * k), kb = kernelArray(dtype, k * n), kout = kernelArray(dtype, m * n);
        ka.set(a);
        kb.set(b);
        const out = dtype === 'float32' ? new Float32Array(m * n) : new Float64Array(m * n);
        gemm(m, n, k, a, transA, b, transB, out);
        gemm(m, n, k, ka, transA, kb, transB, kout);
        expect(bytesOf(kout).equals(bytesOf(out))).toBe(true);
        for (const x of [ka, kb, kout]) releaseKernelArray(x);
      }
    }
  });

  test('an output that overlaps an operand is computed aside, then copied: never read while being zeroed', () => {
    const [m, k] = [8, 8]; // C = A·B with C stored over A itself
    const a = fill(new Float64Array(m * k)), b = fill(new Float64Array(k * k));
    const expected = new Float64Array(m * k);
    gemm(m, k, k, a, false, b, false, expected);
    const shared = kernelArray('float64', m * k);
    shared.set(a);
    gemm(m, k, k, shared, false, b, false, shared);
    expect(bytesOf(shared).equals(bytesOf(expected))).toBe(true);
    releaseKernelArray(shared);
  });

  test.each(['float64', 'float32'] as const)('%s: the SGD step in the kernel gives the bits of the JavaScript loop', (dtype) => {
    for (const n of [1024, 1025, 4099]) {
      const make = () => fill(dtype === 'float32' ? new Float32Array(n) : new Float64Array(n));
      const x = make(), y = make();
      y[3] = Infinity;
      x[5] = NaN;
      const expected = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
      subtractScaled(expected, x, 0.1, y); // ordinary arrays: the JavaScript loop
      const [kx, ky, kout] = [kernelArray(dtype, n), kernelArray(dtype, n), kernelArray(dtype, n)];
      kx.set(x);
      ky.set(y);
      subtractScaled(kout, kx, 0.1, ky); // all three in the kernel: WebAssembly
      expect(bytesOf(kout).equals(bytesOf(expected))).toBe(true);
      for (const a of [kx, ky, kout]) releaseKernelArray(a);
    }
  });
});

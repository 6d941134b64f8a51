// The unrolled whole-array loops behind expectFinite and the SGD step, at every length mod 4; ReLU's
// WebAssembly loops against its JavaScript ones.
import { kernelArray } from '../../src/kernels/arena';
import { allFinite, reluBackwardInto, reluInto, subtractScaled } from '../../src/kernels/elementwise';
import { kernelInstance } from '../../src/kernels/wasm-instance';
import { bytesOf } from './helpers/bytes';

const lengths = [0, 1, 2, 3, 4, 5, 7, 8, 9];

describe('allFinite', () => {
  test('true for finite values (±0, extremes); false for one NaN or ±Infinity anywhere', () => {
    for (const n of lengths) {
      const data = Float64Array.from({ length: n }, (_, i) => [-0, 1.5, -Number.MAX_VALUE, Number.MIN_VALUE][i % 4]!);
      expect(allFinite(data)).toBe(true);
      expect(allFinite(Float32Array.from({ length: n }, (_, i) => [-0, 1.5, -3.4e38, 1e-45][i % 4]!))).toBe(true);
      for (let i = 0; i < n; i++) {
        for (const bad of [NaN, Infinity, -Infinity]) {
          const copy = data.slice();
          copy[i] = bad;
          expect(allFinite(copy)).toBe(false);
        }
      }
    }
  });
});

describe('subtractScaled', () => {
  test('out[i] = x[i] − s·y[i] for every i, float64 and float32', () => {
    for (const n of lengths) {
      const x = Float64Array.from({ length: n }, (_, i) => i + 0.5), y = Float64Array.from({ length: n }, (_, i) => 2 * i - 3);
      const out = new Float64Array(n).fill(NaN);
      subtractScaled(out, x, 0.1, y);
      expect(Array.from(out)).toEqual(Array.from(x, (v, i) => v - 0.1 * y[i]!));
      const out32 = new Float32Array(n);
      subtractScaled(out32, Float32Array.from(x), 0.1, Float32Array.from(y));
      expect(Array.from(out32)).toEqual(Array.from(Float32Array.from(x, (v, i) => v - 0.1 * y[i]!)));
    }
  });
});

describe('ReLU in WebAssembly (arrays in the kernel\'s memory)', () => {
  const special = [-0, 0, NaN, Infinity, -Infinity, 1e-300, -1e-300, 1e-40, -1e-40, 2.5, -2.5];

  test.each(['float64', 'float32'] as const)('%s: the bits of the JavaScript loops (−0, NaN, ±∞, tiny values in the vector part and the tail), at every length mod 4', (dtype) => {
    const k = kernelInstance()!;
    const forward = jest.spyOn(k.relu, dtype), backward = jest.spyOn(k.reluBackward, dtype);
    try {
      for (const n of [1024, 1025, 1026, 1027, 1028, 1031]) {
        const x = kernelArray(dtype, n), dy = kernelArray(dtype, n);
        for (let i = 0; i < n; i++) {
          x[i] = i < special.length ? special[i]! : n - i <= special.length ? special[n - i - 1]! : Math.sin(i) * 3;
          dy[i] = i % 7 === 3 ? NaN : i % 5 === 1 ? -0 : Math.cos(i);
        }
        const plainX = x.slice(), plainDy = dy.slice(); // not in the kernel's memory: the JavaScript loops
        const out = kernelArray(dtype, n).fill(7), plainOut = plainX.slice().fill(7);
        reluInto(out, x);
        reluInto(plainOut, plainX);
        expect(bytesOf(out).equals(bytesOf(plainOut))).toBe(true);
        reluBackwardInto(out, x, dy);
        reluBackwardInto(plainOut, plainX, plainDy);
        expect(bytesOf(out).equals(bytesOf(plainOut))).toBe(true);
      }
      expect(forward).toHaveBeenCalledTimes(6); // the kernel arrays took the WebAssembly path, the plain ones did not
      expect(backward).toHaveBeenCalledTimes(6);
    } finally {
      forward.mockRestore();
      backward.mockRestore();
    }
  });
});

// The unrolled whole-array loops behind expectFinite and the SGD step, at every length mod 4.
import { allFinite, subtractScaled } from '../../src/kernels/elementwise';

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

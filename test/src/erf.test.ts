// src/ops/erf.ts against values of C's erf (Python's math.erf), on both sides of the series /
// continued-fraction switch at 1.5, in the tails and at the edges.
import { erf } from '../../src';

test('matches C erf to a few ulps on both sides of |x| = 1.5', () => {
  const known: [number, number][] = [
    [0.5, 0.5204998778130465],
    [1, 0.8427007929497149],
    [1.5, 0.9661051464753108],
    [2, 0.9953222650189527],
    [3, 0.9999779095030014],
    [-1.2, -0.9103139782296353],
    [5.9, 0.9999999999999999],
  ];
  for (const [x, expected] of known) expect({ x, error: Math.abs(erf(x) - expected) < 4e-16 }).toEqual({ x, error: true });
});

test('odd, saturating, and NaN-preserving', () => {
  expect(erf(0)).toBe(0);
  expect(erf(-0.7)).toBe(-erf(0.7));
  expect(erf(40)).toBe(1);
  expect(erf(-1e3)).toBe(-1);
  expect(erf(Infinity)).toBe(1);
  expect(Number.isNaN(erf(NaN))).toBe(true);
});

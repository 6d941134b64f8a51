// Test helpers: random tensors, central finite differences, closeness with a readable failure.
import { Rng, Tensor } from '../../../src';

export function randomTensor(rng: Rng, shape: number[], dtype: 'float64' | 'float32' = 'float64'): Tensor {
  const t = Tensor.zeros(shape, dtype);
  for (let i = 0; i < t.size; i++) t.data[i] = rng.normal();
  return t;
}

/** Central differences of the scalar f at x, one element at a time (x is copied, never written). */
export function numericGradient(f: (x: Tensor) => number, x: Tensor, h = 1e-6): Tensor {
  const grad = Tensor.zeros(x.shape);
  for (let i = 0; i < x.size; i++) {
    const plus = x.clone(), minus = x.clone();
    plus.data[i] = plus.data[i]! + h;
    minus.data[i] = minus.data[i]! - h;
    grad.data[i] = (f(plus) - f(minus)) / (2 * h);
  }
  return grad;
}

/** Σ w ⊙ t: turns a tensor output into a scalar whose gradient with respect to the output is w. */
export function dot(w: Tensor, t: Tensor): number {
  let s = 0;
  for (let i = 0; i < t.size; i++) s += w.data[i]! * t.data[i]!;
  return s;
}

/** Fails with the worst index unless |actual − expected| ≤ atol + rtol·|expected| everywhere. */
export function expectClose(actual: Tensor, expected: Tensor, atol = 1e-7, rtol = 1e-6): void {
  expect(actual.shape).toEqual(expected.shape);
  let worst = -1, worstExcess = 0;
  for (let i = 0; i < actual.size; i++) {
    const excess = Math.abs(actual.data[i]! - expected.data[i]!) - (atol + rtol * Math.abs(expected.data[i]!));
    if (!(excess <= worstExcess)) { worst = i; worstExcess = excess; }
  }
  if (worst >= 0) throw new Error(`element ${worst}: ${actual.data[worst]} vs expected ${expected.data[worst]}`);
}

// erf, which JavaScript's Math lacks, for gelu (spec/ops/gelu.md). CPython's portable algorithm:
// a power series below |x| = 1.5, a continued fraction for erfc above (erfc = 0 from |x| = 30 on),
// within a few ulps of C's erf — gelu's float64 cases need about 1e-9.

const SQRT_PI = 1.772453850905516;

/** erf(x) = 2/√π · x · e^(−x²) · Σ_k (2x²)^k / (1·3·…·(2k+1)), 25 terms, summed from the last. */
function erfSeries(x: number): number {
  const x2 = x * x;
  let acc = 0;
  for (let i = 0, fk = 25.5; i < 25; i++, fk--) acc = 2 + (x2 * acc) / fk;
  return (acc * x * Math.exp(-x2)) / SQRT_PI;
}

/** erfc(x) for x ≥ 1.5: x·e^(−x²)/√π · 1/(0.5 + x² − 0.5/(2.5 + x² − 3/(4.5 + x² − …))), 50 terms. */
function erfcContinuedFraction(x: number): number {
  // Stryker disable next-line ConditionalExpression,EqualityOperator: erfc(x) < 1e-391 from x = 30 on: the continued fraction's e^(−x²) underflows to 0 there too, so the shortcut changes no value
  if (x >= 30) return 0;
  const x2 = x * x;
  let a = 0;
  let da = 0.5;
  let p = 1;
  let pLast = 0;
  let q = da + x2;
  let qLast = 1;
  // Stryker disable next-line EqualityOperator: a 51st term of the continued fraction, converged for x ≥ 1.5 long before: erf moves by far less than the float64 tolerance
  for (let i = 0; i < 50; i++) {
    a += da;
    da += 2;
    const b = da + x2;
    [p, pLast] = [b * p - a * pLast, p];
    [q, qLast] = [b * q - a * qLast, q];
  }
  return ((p / q) * x * Math.exp(-x2)) / SQRT_PI;
}

/** The error function erf(x) = 2/√π ∫₀ˣ e^(−t²) dt; NaN stays NaN. */
export function erf(x: number): number {
  // Stryker disable next-line ConditionalExpression: without the shortcut NaN still comes out NaN: every path propagates it
  if (Number.isNaN(x)) return x;
  const abs = Math.abs(x);
  // Stryker disable next-line EqualityOperator: `abs <= 1.5` moves only |x| = 1.5 to the series, which agrees there with the continued fraction to a few ulps (both converged), far inside the tolerance
  if (abs < 1.5) return erfSeries(x);
  const tail = erfcContinuedFraction(abs);
  // Stryker disable next-line EqualityOperator: `x >= 0` differs only at x = 0, which never gets here (|x| ≥ 1.5)
  return x > 0 ? 1 - tail : tail - 1;
}

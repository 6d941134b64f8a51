// erf as an ONNX graph, for gelu (spec/ops/gelu.md). ONNX Runtime registers Erf for float32 only,
// so a float64 graph spells erf out from Mul, Div, Exp and Where: CPython's portable math.erf
// algorithm (a 25-term power series below |z| = 1.5, a 50-term continued fraction for erfc above,
// erfc = 0 from |z| = 30), within 3.3e-16 of C's erf on [−8, 8] (measured in steps of 0.01 when
// written). Independent checks: every gelu gradcheck holds it to its derivative
// 2/√π·e^(−z²) to 1e-7, and the Python examples, whose erf is C's, pass every float64 gelu case.
import type { Graph } from '../onnx/graph';

const SQRT_PI = 1.772453850905516;
const SERIES_CUTOFF = 1.5;
const SERIES_TERMS = 25;
const CONTFRAC_CUTOFF = 30;
const CONTFRAC_TERMS = 50;

/** erf(z) = 2/√π · z · e^(−z²) · Σ_k (2z²)^k / (1·3·…·(2k+1)), by Horner from the last term. */
function erfSeries(g: Graph, z: string): string {
  const z2 = g.op('Mul', [z, z]);
  let acc = g.constant(0);
  for (let i = 0, fk = SERIES_TERMS + 0.5; i < SERIES_TERMS; i++, fk--) {
    acc = g.op('Add', [g.constant(2), g.op('Div', [g.op('Mul', [z2, acc]), g.constant(fk)])]);
  }
  return g.op('Div', [g.op('Mul', [g.op('Mul', [acc, z]), g.op('Exp', [g.op('Neg', [z2])])]), g.constant(SQRT_PI)]);
}

/** erfc(t) for t ≥ 1.5: z·e^(−z²)/√π · 1/(0.5 + z² − 0.5/(2.5 + z² − 3/(4.5 + z² − …))), as p/q. */
function erfcContinuedFraction(g: Graph, t: string): string {
  const t2 = g.op('Mul', [t, t]);
  let a = 0;
  let da = 0.5;
  let p = g.constant(1);
  let pLast = g.constant(0);
  let q = g.op('Add', [g.constant(da), t2]);
  let qLast = g.constant(1);
  for (let i = 0; i < CONTFRAC_TERMS; i++) {
    a += da;
    da += 2;
    const b = g.op('Add', [g.constant(da), t2]);
    [p, pLast] = [g.op('Sub', [g.op('Mul', [b, p]), g.op('Mul', [g.constant(a), pLast])]), p];
    [q, qLast] = [g.op('Sub', [g.op('Mul', [b, q]), g.op('Mul', [g.constant(a), qLast])]), q];
  }
  const ratio = g.op('Mul', [g.op('Div', [p, q]), t]);
  return g.op('Div', [g.op('Mul', [ratio, g.op('Exp', [g.op('Neg', [t2])])]), g.constant(SQRT_PI)]);
}

/** erf(z), elementwise. Each branch runs on z clamped to its range, so the unused one never overflows. */
export function erf(g: Graph, z: string): string {
  if (g.dtype === 'float32') return g.op('Erf', [z]);
  const clamp = (v: string, lo: number, hi: number) => g.op('Max', [g.op('Min', [v, g.constant(hi)]), g.constant(lo)]);
  const abs = g.op('Abs', [z]);
  const series = erfSeries(g, clamp(z, -SERIES_CUTOFF, SERIES_CUTOFF));
  const cf = g.op('Where', [
    g.op('Less', [abs, g.constant(CONTFRAC_CUTOFF)]),
    erfcContinuedFraction(g, clamp(abs, SERIES_CUTOFF, CONTFRAC_CUTOFF)),
    g.constant(0),
  ]);
  const tail = g.op('Where', [g.op('Greater', [z, g.constant(0)]), g.op('Sub', [g.constant(1), cf]), g.op('Sub', [cf, g.constant(1)])]);
  return g.op('Where', [g.op('Less', [abs, g.constant(SERIES_CUTOFF)]), series, tail]);
}

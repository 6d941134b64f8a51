// Central finite differences of the ORT forward graph (float64), compared with the analytic
// backward graph's gradients. A fixture whose error exceeds the bound is not written.
import type { Gradcheck } from '../spec/types/fixture';
import type { OrtSession } from './onnx/session';
import type { Prng } from './prng';
import { numel, type Tensor } from './tensor';

export const GRADCHECK_STEP = 1e-5;
export const GRADCHECK_BOUND = 1e-7;
/** Up to this many differentiable elements in all, every element is checked. */
const EXHAUSTIVE_LIMIT = 2048;
const SAMPLED_PER_TENSOR = 64;
const SAMPLED_DIRECTIONS = 8;

export interface GradcheckInput {
  forward: OrtSession; // float64 forward graph
  feeds: Record<string, Tensor>; // float64 inputs and params
  seeds: Record<string, Tensor>; // grad_output, float64
  analytic: Record<string, Tensor>; // float64 gradient per differentiable tensor
  kinks: Record<string, number[]>;
  /** Flat indices per tensor where the op is not differentiable (tied maxima): skipped like a kink. */
  kinkElements?: Record<string, number[]>;
  rng: Prng;
}

/**
 * The scalar objective whose gradient the backward graph computes: Σ seed ⊙ output. An infinite output
 * (max_pool2d's window of −∞, whose inputs are skipped as ties) is left out: it has no derivative, and
 * it would make every difference ∞ − ∞.
 */
async function objective(forward: OrtSession, feeds: Record<string, Tensor>, seeds: Record<string, Tensor>): Promise<number> {
  const outputs = await forward.run(feeds);
  let sum = 0;
  for (const [name, seed] of Object.entries(seeds)) {
    const out = outputs[name]!.data;
    for (let i = 0; i < out.length; i++) if (Math.abs(out[i]!) !== Infinity) sum += seed.data[i]! * out[i]!;
  }
  return sum;
}

/** `feeds` with element i of one tensor set to `value`; only that tensor is copied. */
function withElement(feeds: Record<string, Tensor>, name: string, i: number, value: number): Record<string, Tensor> {
  const base = feeds[name]!;
  const data = base.data.slice();
  data[i] = value;
  return { ...feeds, [name]: { ...base, data } };
}

function perturbed(feeds: Record<string, Tensor>, delta: Record<string, Float64Array>, scale: number): Record<string, Tensor> {
  const out: Record<string, Tensor> = { ...feeds };
  for (const [name, d] of Object.entries(delta)) {
    const base = feeds[name]!;
    const data = Float64Array.from(base.data, (v, i) => v + scale * d[i]!);
    out[name] = { ...base, data };
  }
  return out;
}

export async function gradcheck(input: GradcheckInput): Promise<Gradcheck> {
  const { forward, feeds, seeds, analytic, kinks, rng } = input;
  const h = GRADCHECK_STEP;
  const atKink = (name: string, i: number): boolean =>
    (kinks[name] ?? []).some((k) => Math.abs(feeds[name]!.data[i]! - k) < 2 * h) || (input.kinkElements?.[name] ?? []).includes(i);
  const names = Object.keys(analytic);
  const total = names.reduce((n, name) => n + numel(feeds[name]!.shape), 0);
  const exhaustive = total <= EXHAUSTIVE_LIMIT;
  let checked = 0;
  let skipped = 0;
  let maxError = 0;

  const compare = (numeric: number, exact: number): void => {
    maxError = Math.max(maxError, Math.abs(numeric - exact) / Math.max(1, Math.abs(exact)));
    checked++;
  };

  for (const name of names) {
    const base = feeds[name]!;
    const n = base.data.length;
    const indices = exhaustive ? Array.from({ length: n }, (_, i) => i) : sampleIndices(rng, n, SAMPLED_PER_TENSOR);
    for (const i of indices) {
      const x = base.data[i]!;
      if (atKink(name, i)) {
        skipped++;
        continue;
      }
      const plus = await objective(forward, withElement(feeds, name, i, x + h), seeds);
      const minus = await objective(forward, withElement(feeds, name, i, x - h), seeds);
      compare((plus - minus) / (2 * h), analytic[name]!.data[i]!);
    }
  }

  if (!exhaustive) {
    // Random unit directions through all differentiable tensors at once catch errors that
    // sampled coordinates could miss (a gradient wrong in only a few elements).
    for (let k = 0; k < SAMPLED_DIRECTIONS; k++) {
      const direction: Record<string, Float64Array> = {};
      let norm = 0;
      for (const name of names) {
        const tied = new Set(input.kinkElements?.[name] ?? []);
        const d = Float64Array.from({ length: feeds[name]!.data.length }, (_, i) => {
          const v = rng.normal(); // drawn for every element, so a skipped one leaves the stream as it was
          return tied.has(i) ? 0 : v;
        });
        for (const v of d) norm += v * v;
        direction[name] = d;
      }
      norm = Math.sqrt(norm);
      let exact = 0;
      for (const name of names) {
        const d = direction[name]!;
        for (let i = 0; i < d.length; i++) {
          d[i] = d[i]! / norm;
          exact += d[i]! * analytic[name]!.data[i]!;
        }
      }
      const plus = await objective(forward, perturbed(feeds, direction, h), seeds);
      const minus = await objective(forward, perturbed(feeds, direction, -h), seeds);
      compare((plus - minus) / (2 * h), exact);
    }
  }

  return {
    method: exhaustive ? 'exhaustive' : 'sampled',
    step: h,
    checked,
    skipped_at_kinks: skipped,
    max_error: maxError,
    bound: GRADCHECK_BOUND,
  };
}

function sampleIndices(rng: Prng, n: number, k: number): number[] {
  if (n <= k) return Array.from({ length: n }, (_, i) => i);
  const chosen = new Set<number>();
  while (chosen.size < k) chosen.add(rng.int(n));
  return [...chosen].sort((a, b) => a - b);
}

// The facts about a failing tensor that a hint may state as its evidence, computed once from the
// expected and actual values (and, for a step, the tensor it steps from): is the ratio actual/expected
// one constant, and which; is the step zero; which elements fail, and do they sit where the input is
// negative, zero, or on the diagonal; is the result the expected with its axes permuted; what is not
// finite. Pure arithmetic, no wording: hints.ts turns the facts into text.
import type { Tolerance } from '../spec/types/fixture';
import type { Tensor } from './implementation';

export interface NonFinite {
  nan: number;
  posInf: number;
  negInf: number;
}

export interface Evidence {
  /** actual ≈ ratio·expected in every element (for a step: of the step), when one constant fits. */
  ratio?: number;
  /** Every element of the step is 0: the tensor equals what it steps from. */
  unchanged: boolean;
  /** Elements that are 0 where the expected value is not. */
  zeroWhereExpected: number;
  /** Elements that are non-zero where the expected value is 0. */
  nonZeroWhereZero: number;
  /** Flat indices of the failing elements (by the fixture's tolerance). */
  failing: number[];
  total: number;
  /** NaN and ±Infinity in the actual where the expected value is finite. */
  nonFinite: NonFinite;
}

/** The loose slack of a pattern match (0.1 %, and 10× the tolerance): a plain wrong value is no near-exact pattern. */
export function slack(target: number, e: number, tol: Tolerance, scale = 1): number {
  return 1e-3 * Math.abs(target) + 10 * (tol.atol + tol.rtol * Math.abs(e)) * Math.max(1, Math.abs(scale));
}

export function passes(a: number, e: number, tol: Tolerance): boolean {
  return Math.abs(a - e) <= tol.atol + tol.rtol * Math.abs(e);
}

/**
 * The facts about `actual` against `expected`; with `base`, scale and zero facts are about the step
 * actual − base against expected − base (an update, an sgd step).
 */
export function evidenceOf(expected: Tensor, actual: Tensor, tol: Tolerance, base?: Tensor): Evidence {
  const E = expected.data;
  const A = actual.data;
  const nonFinite: NonFinite = { nan: 0, posInf: 0, negInf: 0 };
  const failing: number[] = [];
  let zeroWhereExpected = 0;
  let nonZeroWhereZero = 0;
  for (let i = 0; i < E.length; i++) {
    const e = E[i]!;
    const a = A[i]!;
    if (Number.isFinite(e) && !Number.isFinite(a)) {
      if (Number.isNaN(a)) nonFinite.nan++;
      else if (a > 0) nonFinite.posInf++;
      else nonFinite.negInf++;
    }
    if (a === 0 && e !== 0 && Number.isFinite(e)) zeroWhereExpected++;
    if (e === 0 && a !== 0 && !passes(a, e, tol)) nonZeroWhereZero++;
    if (!(Number.isNaN(e) ? Number.isNaN(a) : passes(a, e, tol))) failing.push(i);
  }
  const stepped = base && base.data.length === E.length;
  const e = stepped ? Float64Array.from(E, (v, i) => v - base.data[i]!) : E;
  const a = stepped ? Float64Array.from(A, (v, i) => v - base.data[i]!) : A;
  const unchanged = Boolean(stepped) && failing.length > 0 && Array.prototype.every.call(a, (v: number) => v === 0);
  const ratio = unchanged ? undefined : constantRatio(a, e, tol);
  return { ...(ratio === undefined ? {} : { ratio }), unchanged, zeroWhereExpected, nonZeroWhereZero, failing, total: E.length, nonFinite };
}

/**
 * The r with a ≈ r·e in every element of `at` (default all), read off the largest |e| and then checked
 * everywhere; undefined when none fits or every e is 0 there (any r would fit).
 */
export function constantRatio(a: ArrayLike<number>, e: ArrayLike<number>, tol: Tolerance, at?: readonly number[]): number | undefined {
  const indices = at ?? Array.from({ length: e.length }, (_, i) => i);
  let pivot = -1;
  for (const i of indices) {
    if (!Number.isFinite(e[i]!) || !Number.isFinite(a[i]!)) return undefined;
    if (pivot < 0 || Math.abs(e[i]!) > Math.abs(e[pivot]!)) pivot = i;
  }
  if (pivot < 0 || e[pivot] === 0) return undefined;
  const r = a[pivot]! / e[pivot]!;
  for (const i of indices) if (Math.abs(a[i]! - r * e[i]!) > slack(r * e[i]!, e[i]!, tol, r)) return undefined;
  return r;
}

/** s and r agree to 0.1 %. */
export function sameFactor(r: number, s: number): boolean {
  return Math.abs(r - s) <= 1e-3 * Math.abs(s);
}

/** a ≈ b everywhere, with the slack of a pattern match. */
export function close(a: ArrayLike<number>, b: ArrayLike<number>, tol: Tolerance): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < b.length; i++) if (!(Math.abs(a[i]! - b[i]!) <= slack(b[i]!, b[i]!, tol))) return false;
  return true;
}

/** Where the failing elements sit, against an input of the same size: which of x < 0, x = 0, the diagonal they are exactly. */
export type Where = 'negative' | 'non-positive' | 'zero' | 'diagonal';

export function whereFailing(failing: readonly number[], total: number, x: Tensor | undefined, shape: readonly number[]): Where | undefined {
  if (failing.length === 0 || failing.length === total) return undefined;
  const exactly = (pick: (i: number) => boolean): boolean => {
    let n = 0;
    for (let i = 0; i < total; i++) if (pick(i)) n++;
    return n === failing.length && failing.every(pick);
  };
  if (x && x.data.length === total) {
    const X = x.data;
    if (exactly((i) => X[i]! < 0)) return 'negative';
    if (exactly((i) => X[i]! <= 0)) return 'non-positive';
    if (exactly((i) => X[i] === 0)) return 'zero';
  }
  const [rows, cols] = shape;
  if (shape.length === 2 && rows === cols && rows! > 1 && exactly((i) => Math.floor(i / cols!) === i % cols!)) return 'diagonal';
  return undefined;
}

/** The axis permutation (not the identity) that takes expected's data to actual's, if any; rank 2 to 4. */
export function permutationOf(expected: Tensor, actual: Tensor, tol: Tolerance): number[] | undefined {
  const rank = expected.shape.length;
  if (rank < 2 || rank > 4 || actual.shape.length !== rank || expected.data.length !== actual.data.length) return undefined;
  for (const p of permutations(rank)) {
    if (p.every((k, i) => k === i)) continue;
    // The permuted shape, or the expected shape holding the permuted data (a transpose written into the original layout).
    const sameShape = actual.shape.every((d, i) => d === expected.shape[i]);
    if (!sameShape && !p.every((k, i) => actual.shape[i] === expected.shape[k])) continue;
    const moved = permute(expected, p);
    if (close(actual.data, moved, tol) && !close(expected.data, moved, tol)) return p;
  }
  return undefined;
}

function permutations(n: number): number[][] {
  if (n === 1) return [[0]];
  const out: number[][] = [];
  for (const rest of permutations(n - 1)) for (let at = 0; at < n; at++) out.push([...rest.slice(0, at), n - 1, ...rest.slice(at)]);
  return out;
}

/** The tensor with axis i of the result being axis p[i] of t. */
function permute(t: Tensor, p: readonly number[]): Float64Array {
  const shape = t.shape;
  const strides = shape.map((_, k) => shape.slice(k + 1).reduce((m, d) => m * d, 1));
  const outShape = p.map((k) => shape[k]!);
  const out = new Float64Array(t.data.length);
  const index = new Array<number>(p.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let i = 0; i < p.length; i++) src += index[i]! * strides[p[i]!]!;
    out[o] = t.data[src]!;
    for (let i = p.length - 1; i >= 0; i--) {
      if (++index[i]! < outShape[i]!) break;
      index[i] = 0;
    }
  }
  return out;
}

// Hints from where the failing elements sit and what they hold: only where x < 0 (a slope), only at
// x = 0 (a kink), only on the diagonal; zeros where values are due; NaN/∞ (an exp that overflowed, or
// a log of a softmax that underflowed); a softmax normalised along another axis; a bias gradient
// summed over the wrong axes. Each states its evidence.
import type { Tolerance } from '../spec/types/fixture';
import { close, constantRatio, whereFailing, type Evidence } from './evidence';
import type { Tensor, TensorMap } from './implementation';
import { fmt } from './messages';
import { opHints } from './op-hints';
import type { Role } from './factor-hints';
import type { TensorPlace } from './results';

export interface PatternCase {
  op: string;
  attributes: Readonly<Record<string, unknown>>;
  inputs: TensorMap;
  gradOutput?: TensorMap;
  /** The case has a backward stage, and these of its tensors failed (labels), once the whole reply is compared. */
  hasBackward?: boolean;
  failed?: readonly string[];
}

const count = (k: number, n: number): string => `${k} of ${n} element${n === 1 ? '' : 's'}`;

/** Wrong only where the input is negative, zero, or on the diagonal. */
export function elementHint(ev: Evidence, expected: Tensor, actual: Tensor, tol: Tolerance, place: TensorPlace, c: PatternCase): string | undefined {
  const x = c.inputs[place.name]?.data.length === ev.total ? c.inputs[place.name] : c.inputs.x;
  const where = whereFailing(ev.failing, ev.total, x, expected.shape);
  if (!where) return undefined;
  const facts = opHints(c.op);
  const { label } = place;
  const k = count(ev.failing.length, ev.total);
  if (where === 'zero') {
    if (facts.atZero && place.stage === 'backward') return `${facts.atZero} (${label} is wrong exactly where x = 0: ${k})`;
    return `${label} is wrong exactly where x = 0 (${k}), right elsewhere: the value at the kink x = 0 is wrong`;
  }
  if (where === 'diagonal') return `${label} is wrong exactly on the diagonal (${k}), right elsewhere: a term of the i = j elements is wrong`;
  const sign = where === 'negative' ? 'x < 0' : 'x ≤ 0';
  // The slope used there: actual against what a slope of 1 gives (dy in a backward, x in a forward).
  const unit = place.stage === 'backward' ? Object.values(c.gradOutput ?? {}).find((g) => g.data.length === ev.total) : x;
  const slope = unit ? constantRatio(actual.data, unit.data, tol, ev.failing) : undefined;
  const rule = facts.negativeSlope?.(c.attributes);
  const head = `${label} is wrong exactly where ${sign} (${k}), right elsewhere`;
  if (slope !== undefined) return `${head}: the slope there is ${fmt(slope)}${rule === undefined ? '' : `, the rule's is ${fmt(rule)}`}`;
  const r = constantRatio(actual.data, expected.data, tol, ev.failing);
  return r === undefined ? `${head}: the formula for ${sign} is wrong` : `${head}, ${fmt(r)}× the expected there: the slope for ${sign} is wrong`;
}

/** NaN/±∞ where finite values are due, in an op that exps. */
export function nonFiniteHint(ev: Evidence, actual: Tensor, place: TensorPlace, role: Role, c: PatternCase): string | undefined {
  const facts = opHints(c.op);
  if (!facts.exp) return undefined;
  const { nan, posInf, negInf } = ev.nonFinite;
  const found = [nan && `${nan} NaN`, posInf && `${posInf} +∞`, negInf && `${negInf} −∞`].filter(Boolean).join(', ');
  const direct = 'compute log-softmax directly (x − m − log Σ exp(x − m), m the row max)';
  if (role === 'loss' && posInf > 0 && nan === 0) {
    const gradientFailed = c.failed?.some((l) => l.startsWith('d'));
    if (c.hasBackward && !gradientFailed) return `+∞ loss with a finite gradient: log(softmax) underflowed to log 0; ${direct}`;
    return `+∞ loss (${found}): exp overflowed (subtract the row max before exp), or log(softmax) underflowed to log 0 (${direct})`;
  }
  if (facts.normalises === 'logsumexp' && negInf > 0 && nan === 0 && !someRowAll(actual, (v) => !Number.isFinite(v))) {
    return `−∞ at ${negInf} elements, but each row's max is finite: softmax underflowed to 0 before the log; ${direct}`;
  }
  return `overflow: subtract the row max before exp (${found} where finite values are due)`;
}

/** Some row along the last axis has every element passing `test`. */
function someRowAll(t: Tensor, test: (v: number) => boolean): boolean {
  const n = t.shape[t.shape.length - 1] ?? 1;
  for (let r = 0; r + n <= t.data.length && n > 0; r += n) {
    let all = true;
    for (let j = 0; j < n && all; j++) all = test(t.data[r + j]!);
    if (all) return true;
  }
  return false;
}

/** softmax / log_softmax normalised along another axis than the last. */
export function axisHint(actual: Tensor, tol: Tolerance, place: TensorPlace, c: PatternCase): string | undefined {
  const kind = opHints(c.op).normalises;
  const rank = actual.shape.length;
  if (!kind || place.stage !== 'forward' || rank < 2) return undefined;
  const sums = (k: number): Float64Array => reduceKeeping(actual, k, kind === 'sum' ? (v) => v : Math.exp, true);
  if (close(sums(rank - 1), new Float64Array(sums(rank - 1).length).fill(1), tol)) return undefined;
  for (let k = 0; k < rank - 1; k++) {
    const s = sums(k);
    if (close(s, new Float64Array(s.length).fill(1), tol)) {
      const what = kind === 'sum' ? 'sums to 1' : 'has a log-sum-exp of 0';
      return `${place.label} is normalised along axis ${k}, not the last axis: each slice along axis ${k} ${what}, the rows along axis ${rank - 1} do not`;
    }
  }
  return undefined;
}

/** A gradient of rank 1 that is grad_output summed over every axis but another one. */
export function summedAxisHint(expected: Tensor, actual: Tensor, tol: Tolerance, place: TensorPlace, c: PatternCase): string | undefined {
  if (place.stage !== 'backward' || actual.shape.length !== 1) return undefined;
  for (const [name, g] of Object.entries(c.gradOutput ?? {})) {
    if (g.shape.length < 2) continue;
    const kept = (t: Tensor): number | undefined => g.shape.findIndex((d, k) => d === t.data.length && close(t.data, reduceKeeping(g, k, (v) => v, false), tol));
    const used = kept(actual);
    if (used === undefined || used < 0) continue;
    const rule = kept(expected);
    const ruleText = rule !== undefined && rule >= 0 && rule !== used ? `; the rule keeps axis ${rule} (the channel/out axis) and sums over the others` : '';
    if (rule === used) continue;
    return `${place.label} is grad_output.${name} summed over every axis but axis ${used}${ruleText}`;
  }
  return undefined;
}

/**
 * Σ f(t) along axis `axis` (one value per slice of the other axes) when `along`, else over every axis
 * but `axis` (one value per index of it).
 */
function reduceKeeping(t: Tensor, axis: number, f: (v: number) => number, along: boolean): Float64Array {
  const shape = t.shape;
  const inner = shape.slice(axis + 1).reduce((m, d) => m * d, 1);
  const dim = shape[axis]!;
  const outer = t.data.length / (inner * dim);
  if (!along) {
    const out = new Float64Array(dim);
    for (let i = 0; i < t.data.length; i++) out[Math.floor(i / inner) % dim]! += f(t.data[i]!);
    return out;
  }
  const out = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) for (let j = 0; j < dim; j++) for (let i = 0; i < inner; i++) out[o * inner + i]! += f(t.data[(o * dim + j) * inner + i]!);
  return out;
}

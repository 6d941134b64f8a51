// Compares an implementation's reply with a fixture's expected tensors: shape, then dtype, then values.
// An element passes when |a − e| ≤ atol + rtol·|e| (the fixture's tolerance for the expected dtype and
// stage); ±0 are equal; NaN matches only an expected NaN; an unexpected NaN/Infinity always fails.
// Returns facts (counts, the worst element); hints.ts reads them and messages.ts renders them.
import type { Tolerance } from '../spec/types/fixture';
import type { CaseReply, Tensor, TensorMap } from './implementation';
import type { LoadedFixture } from './loader';
import type { MalformedReason, Stage, TensorMismatch, TensorPlace } from './results';
import { numel } from './tensor-codec';
import { ruleLink } from '../spec/rules';

const EXACT: Tolerance = { rtol: 0, atol: 0 };

/** Compares one tensor; undefined when it passes. */
export function compareTensor(expected: Tensor, actual: unknown, tolerance: Tolerance, place: TensorPlace): TensorMismatch | undefined {
  if (actual === undefined || actual === null) return { ...place, kind: 'missing', expected };
  const reason = malformed(actual);
  if (reason) return { ...place, kind: 'malformed', reason };
  const a = actual as Tensor;
  if (!sameShape(a.shape, expected.shape)) return { ...place, kind: 'shape', expected, actual: a };
  if (a.dtype !== expected.dtype) return { ...place, kind: 'dtype', expected, actual: a };

  const E = expected.data;
  const A = a.data;
  const { atol, rtol } = tolerance;
  let mismatched = 0;
  let unexpectedNonFinite = 0;
  let worstAt = -1;
  let worstScore = -1;
  for (let i = 0; i < E.length; i++) {
    const e = E[i]!;
    const v = A[i]!;
    let ok: boolean;
    let score: number;
    if (Number.isNaN(e)) {
      ok = Number.isNaN(v);
      score = Infinity;
    } else if (!Number.isFinite(e)) {
      ok = v === e;
      score = Infinity;
    } else if (!Number.isFinite(v)) {
      ok = false;
      unexpectedNonFinite++;
      score = Infinity;
    } else {
      // Signed zeros: |(−0) − 0| = 0, so they are equal by value.
      const d = Math.abs(v - e);
      const allowed = atol + rtol * Math.abs(e);
      ok = d <= allowed;
      score = allowed > 0 ? d / allowed : d > 0 ? Infinity : 0;
    }
    if (ok) continue;
    mismatched++;
    if (score > worstScore) {
      worstScore = score;
      worstAt = i;
    }
  }
  if (mismatched === 0) return undefined;

  const e = E[worstAt]!;
  const v = A[worstAt]!;
  const absError = Math.abs(v - e);
  const relError = Number.isFinite(absError) ? (e === 0 ? (absError === 0 ? 0 : Infinity) : absError / Math.abs(e)) : NaN;
  const worst = { index: unravel(worstAt, expected.shape), expected: e, actual: v, absError, relError };
  return { ...place, kind: 'values', expected, actual: a, tolerance, mismatched, total: E.length, unexpectedNonFinite, worst };
}

/**
 * Every expected tensor of the fixture against the reply, in stage order; extra tensors in the reply
 * are ignored. Each mismatch carries its wire key and the rule the fixture's `rules` gives it.
 */
export function compareReply(loaded: LoadedFixture, reply: CaseReply): TensorMismatch[] {
  const f = loaded.fixture;
  const found: TensorMismatch[] = [];
  const tol = (t: Tensor, stage: Stage): Tolerance => (t.dtype === 'int64' ? EXACT : (f.tolerance[t.dtype]?.[stage] ?? EXACT));
  /** `place` is where the tensor sits in the fixture ('backward.grad_params.b'); the reply's key drops the stage ('grad_params.b'). */
  const compareAt = (stage: Stage, place: string, expected: Tensor, actual: Tensor | undefined, at: Omit<TensorPlace, 'stage' | 'key' | 'rule'>) => {
    const key = stage === 'forward' ? place : place.slice(stage.length + 1);
    const rule = f.rules[place];
    const mismatch = compareTensor(expected, actual, tol(expected, stage), { stage, ...at, key, ...(rule ? { rule: ruleLink(rule) } : {}) });
    if (mismatch) found.push(mismatch);
  };
  const check = (stage: Stage, group: string, expectedMap: TensorMap, actualMap: TensorMap | undefined, label: (n: string) => string) => {
    for (const [name, expected] of Object.entries(expectedMap)) compareAt(stage, `${group}.${name}`, expected, actualMap?.[name], { label: label(name), name });
  };

  check('forward', 'forward', loaded.forward, reply.forward, (n) => n);
  if (loaded.backward) {
    check('backward', 'backward.grad_inputs', loaded.backward.grad_inputs, reply.grad_inputs, (n) => `d${n}`);
    check('backward', 'backward.grad_params', loaded.backward.grad_params, reply.grad_params, (n) => `d${n}`);
  }
  if (loaded.update) {
    check('update', 'update.params', loaded.update.params, reply.params, (n) => n);
    const losses = loaded.update.losses;
    if (losses) compareAt('update', 'update.losses', losses, reply.losses, { label: 'losses', name: 'losses' });
    // The optimizer state after the last step (spec/conventions.md#updates): a wrong state update is
    // caught even when it moves the params too little to see.
    for (const [stateKind, expectedMap] of Object.entries(loaded.update.state ?? {})) {
      for (const [name, expected] of Object.entries(expectedMap)) {
        compareAt('update', `update.state.${stateKind}.${name}`, expected, reply.state?.[stateKind]?.[name], { label: `${stateKind}.${name}`, name, stateKind });
      }
    }
  }
  return found;
}

function malformed(t: unknown): MalformedReason | undefined {
  if (typeof t !== 'object') return { problem: 'not-an-object', type: typeof t };
  const { dtype, shape, data } = t as Partial<Tensor>;
  if (dtype !== 'float64' && dtype !== 'float32' && dtype !== 'int64') return { problem: 'dtype', dtype };
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) return { problem: 'shape', shape };
  if (!(data instanceof Float64Array || data instanceof Float32Array)) return { problem: 'data-type' };
  const needs = numel(shape);
  if (data.length !== needs) return { problem: 'data-length', length: data.length, shape, needs };
  return undefined;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Flat row-major index → multi-index. */
export function unravel(flat: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let k = shape.length - 1; k >= 0; k--) {
    const d = shape[k]!;
    index[k] = flat % d;
    flat = Math.floor(flat / d);
  }
  return index;
}

// Compares an implementation's reply with a fixture's expected tensors: shape, then dtype, then values.
// An element passes when |a − e| ≤ atol + rtol·|e| (the fixture's tolerance for the expected dtype and
// stage); ±0 are equal; NaN matches only an expected NaN; an unexpected NaN/Infinity always fails.
import type { Tolerance } from '../spec/types/fixture';
import type { CaseReply, Tensor, TensorMap } from './implementation';
import type { LoadedFixture } from './loader';
import { optimizerStateHint, optimizerStepHint, shapeHint, valueHint, type HintContext } from './hints';

export type Stage = 'forward' | 'backward' | 'update';

export type FailureKind = 'missing' | 'malformed' | 'shape' | 'dtype' | 'values' | 'mutated';

export interface WorstElement {
  /** Multi-index into the tensor, e.g. [2, 1]; [] for a scalar. */
  index: number[];
  expected: number;
  actual: number;
  absError: number;
  /** |a − e| / |e| (Infinity when e = 0, NaN when not finite). */
  relError: number;
}

export interface TensorFailure {
  stage: Stage;
  /** As printed: 'y', 'dx', 'dW', 'W' (updated), 'losses'. */
  label: string;
  /** The tensor's key in the fixture map. */
  name: string;
  kind: FailureKind;
  /** One line, without the case id: '[backward] dW[2,1] = 0.7311, expected 0.2437 (...); 14/20 elements differ'. */
  detail: string;
  mismatched?: number;
  total?: number;
  /** Elements that are NaN/±Infinity in the actual where the expected value is finite. */
  unexpectedNonFinite?: number;
  worst?: WorstElement;
  tolerance?: Tolerance;
  hint?: string;
}

export interface Where {
  stage: Stage;
  label: string;
  name: string;
}

const EXACT: Tolerance = { rtol: 0, atol: 0 };

/** Compares one tensor; undefined when it passes. `hints` enables known-signature detection. */
export function compareTensor(
  expected: Tensor,
  actual: unknown,
  tolerance: Tolerance,
  where: Where,
  hints?: Omit<HintContext, keyof Where>,
): TensorFailure | undefined {
  const head = `[${where.stage}] ${where.label}`;
  const fail = (kind: FailureKind, detail: string, extra: Partial<TensorFailure> = {}): TensorFailure => ({
    ...where,
    kind,
    detail: `${head} ${detail}`,
    ...extra,
  });
  if (actual === undefined || actual === null) return fail('missing', 'is missing from the reply');
  const problem = malformed(actual);
  if (problem) return fail('malformed', `is not a valid tensor: ${problem}`);
  const a = actual as Tensor;
  const ctx: HintContext | undefined = hints && { ...hints, ...where };

  if (!sameShape(a.shape, expected.shape)) {
    const hint = ctx && shapeHint(expected, a, ctx);
    return fail('shape', `has shape ${fmtShape(a.shape)}, expected ${fmtShape(expected.shape)}${hint ? `; hint: ${hint}` : ''}`, hint ? { hint } : {});
  }
  if (a.dtype !== expected.dtype) return fail('dtype', `has dtype ${a.dtype}, expected ${expected.dtype}`);

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
  const worst: WorstElement = {
    index: unravel(worstAt, expected.shape),
    expected: e,
    actual: v,
    absError,
    relError: Number.isFinite(absError) ? (e === 0 ? (absError === 0 ? 0 : Infinity) : absError / Math.abs(e)) : NaN,
  };
  const hint = ctx && valueHint(expected, a, tolerance, ctx);
  const [shownActual, shownExpected] = fmtPair(v, e);
  let why: string;
  if (Number.isNaN(e)) why = 'expected NaN';
  else if (!Number.isFinite(e)) why = `expected ${e > 0 ? '+' : '−'}Infinity`;
  else if (!Number.isFinite(v)) why = 'actual is not finite';
  else why = `|Δ| ${fmt(absError, 3)} > atol ${fmt(atol)} + rtol ${fmt(rtol)}·|e|, rel ${fmt(worst.relError, 3)}`;
  const parts = [
    `${head}${fmtIndex(worst.index)} = ${shownActual}, expected ${shownExpected} (${why})`,
    `${mismatched}/${E.length} elements differ`,
  ];
  if (unexpectedNonFinite) parts.push(`${unexpectedNonFinite} NaN/Infinity where a finite value is expected`);
  if (hint) parts.push(`hint: ${hint}`);
  return {
    ...where,
    kind: 'values',
    detail: parts.join('; '),
    mismatched,
    total: E.length,
    ...(unexpectedNonFinite ? { unexpectedNonFinite } : {}),
    worst,
    tolerance,
    ...(hint ? { hint } : {}),
  };
}

/** Every expected tensor of the fixture against the reply; extra tensors in the reply are ignored. */
export function compareReply(loaded: LoadedFixture, reply: CaseReply): TensorFailure[] {
  const f = loaded.fixture;
  const failures: TensorFailure[] = [];
  const tol = (t: Tensor, stage: Stage): Tolerance => (t.dtype === 'int64' ? EXACT : (f.tolerance[t.dtype]?.[stage] ?? EXACT));
  const gradOutput = loaded.backward?.grad_output;
  const base = { op: loaded.op, inputs: loaded.inputs, ...(gradOutput ? { gradOutput } : {}) };
  const check = (stage: Stage, expectedMap: TensorMap, actualMap: TensorMap | undefined, label: (n: string) => string, baseline?: (n: string) => Tensor | undefined) => {
    for (const [name, expected] of Object.entries(expectedMap)) {
      const b = baseline?.(name);
      const failure = compareTensor(expected, actualMap?.[name], tol(expected, stage), { stage, label: label(name), name }, { ...base, ...(b ? { baseline: b } : {}) });
      if (failure) failures.push(failure);
    }
  };

  // sgd's output is a step away from its param input; scale and sign hints look at that step.
  const sgdBaseline = loaded.op === 'sgd' ? () => loaded.inputs.param : undefined;
  check('forward', loaded.forward, reply.forward, (n) => n, sgdBaseline);
  if (loaded.backward) {
    check('backward', loaded.backward.grad_inputs, reply.grad_inputs, (n) => `d${n}`);
    check('backward', loaded.backward.grad_params, reply.grad_params, (n) => `d${n}`);
  }
  if (loaded.update) {
    const { optimizer, state } = loaded.update;
    const single = optimizer.steps === 1;
    const paramsFrom = failures.length;
    check('update', loaded.update.params, reply.params, (n) => n, single && optimizer.type === 'sgd' && !state ? (n) => loaded.params[n] : undefined);
    const paramsTo = failures.length;
    if (loaded.update.losses) {
      const failure = compareTensor(loaded.update.losses, reply.losses, tol(loaded.update.losses, 'update'), { stage: 'update', label: 'losses', name: 'losses' }, base);
      if (failure) failures.push(failure);
    }
    // The state after the last step (spec/conventions.md#updates): a wrong state update is caught even
    // when it moves the params too little to see, and the comparison says which half is wrong.
    const stateFrom = failures.length;
    for (const [kind, expectedMap] of Object.entries(state ?? {})) check('update', expectedMap, reply.state?.[kind], (n) => `${kind}.${n}`);
    for (let i = stateFrom; i < failures.length; i++) failures[i] = withHint(failures[i]!, optimizerStateHint(optimizer, failures[i]!.label.split('.')[0]!));
    if (state && failures.length === stateFrom) {
      for (let i = paramsFrom; i < paramsTo; i++) failures[i] = withHint(failures[i]!, optimizerStepHint(optimizer));
    }
  }
  return failures;
}

/** A values failure without a hint of its own gets `hint` (a signature hint, when there is one, stays). */
function withHint(f: TensorFailure, hint: string): TensorFailure {
  if (f.hint !== undefined || f.kind !== 'values') return f;
  return { ...f, hint, detail: `${f.detail}; hint: ${hint}` };
}

function malformed(t: unknown): string | undefined {
  if (typeof t !== 'object') return `expected an object with dtype, shape and data, got ${typeof t}`;
  const { dtype, shape, data } = t as Partial<Tensor>;
  if (dtype !== 'float64' && dtype !== 'float32' && dtype !== 'int64') return `dtype ${JSON.stringify(dtype)} is not float64, float32 or int64`;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) return `shape ${JSON.stringify(shape)} is not a list of non-negative integers`;
  if (!(data instanceof Float64Array || data instanceof Float32Array)) return 'data is not a Float64Array or Float32Array';
  const n = shape.reduce((p, d) => p * d, 1);
  if (data.length !== n) return `data has ${data.length} values but shape ${fmtShape(shape)} needs ${n}`;
  return undefined;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
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

export function fmtIndex(index: readonly number[]): string {
  return index.length ? `[${index.join(',')}]` : '';
}

function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** A number with `digits` significant digits, trailing zeros dropped; exponent form when tiny or huge. */
export function fmt(v: number, digits = 4): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const abs = Math.abs(v);
  if (abs < 1e-4 || abs >= 1e6) {
    const [m, x] = v.toExponential(digits - 1).split('e');
    return `${trimZeros(m!)}e${Number(x)}`;
  }
  // toPrecision would switch to exponent form at 10^digits; an integer part reads better.
  if (abs >= 10 ** digits) return String(Math.round(v));
  return trimZeros(v.toPrecision(digits));
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** Actual and expected with enough digits to tell them apart (at least 4, at most 17). */
export function fmtPair(actual: number, expected: number): [string, string] {
  for (let d = 4; d < 17; d++) {
    const a = fmt(actual, d);
    const e = fmt(expected, d);
    if (a !== e) return [a, e];
  }
  return [fmt(actual, 17), fmt(expected, 17)];
}

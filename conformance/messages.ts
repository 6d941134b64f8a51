// The one place that turns the runner core's facts into text: a failing tensor's line ('[backward]
// grad_params.W (dW)[2,1] = 0.7311, expected 0.2437 (…); 14/20 elements differ; hint: …; rule: …'),
// named by its wire key and display name, and a case's message (its lines, then `spec: …` unless every
// line cites its rule). Numbers get just enough digits to tell actual from expected.
import type { Tensor } from './implementation';
import type { MalformedReason, TensorFailure, TensorMismatch } from './results';
import { formatShape } from './tensor-codec';

/** A failing tensor as reported: its facts without the tensors, and its line of text. */
export function failureReport(m: TensorMismatch, hint?: string): TensorFailure {
  const { stage, label, name, kind, key, rule } = m;
  const place = { stage, label, name, kind, ...(key ? { key } : {}), ...(rule ? { rule } : {}) };
  const hinted = hint ? { hint } : {};
  const shown = key === undefined || key === label ? label : `${key} (${label})`;
  const detail = (text: string): string => `[${stage}] ${shown}${text}${hint ? `; hint: ${hint}` : ''}${rule ? `; rule: ${rule}` : ''}`;
  switch (m.kind) {
    case 'missing':
      return { ...place, detail: detail(` is missing from the reply${key ? `: add ${replyShape(key, m.expected)}` : ''}`), ...hinted };
    case 'malformed':
      return { ...place, detail: detail(` is not a valid tensor: ${malformedText(m.reason)}`), ...hinted };
    case 'shape':
      return { ...place, detail: detail(` has shape ${formatShape(m.actual.shape)}, expected ${formatShape(m.expected.shape)}`), ...hinted };
    case 'dtype':
      return { ...place, detail: detail(` has dtype ${m.actual.dtype}, expected ${m.expected.dtype}`), ...hinted };
    case 'mutated':
      return { ...place, detail: detail(` ${mutationText(m)}`), ...hinted };
    case 'values': {
      const { worst, tolerance, mismatched, total, unexpectedNonFinite } = m;
      const { expected: e, actual: v } = worst;
      const [shownActual, shownExpected] = fmtPair(v, e);
      let why: string;
      if (Number.isNaN(e)) why = 'expected NaN';
      else if (!Number.isFinite(e)) why = `expected ${e > 0 ? '+' : '−'}Infinity`;
      else if (!Number.isFinite(v)) why = 'actual is not finite';
      else why = `|Δ| ${fmt(worst.absError, 3)} > atol ${fmt(tolerance.atol)} + rtol ${fmt(tolerance.rtol)}·|e|, rel ${fmt(worst.relError, 3)}`;
      const parts = [`${fmtIndex(worst.index)} = ${shownActual}, expected ${shownExpected} (${why})`, `${mismatched}/${total} elements differ`];
      if (unexpectedNonFinite) parts.push(`${unexpectedNonFinite} NaN/Infinity where a finite value is expected`);
      return {
        ...place,
        detail: detail(parts.join('; ')),
        mismatched,
        total,
        ...(unexpectedNonFinite ? { unexpectedNonFinite } : {}),
        worst,
        tolerance,
        ...hinted,
      };
    }
  }
}

/** What the reply must hold at `key`, e.g. `{"grad_inputs": {"x": {"dtype": "float64", "shape": [4, 3], "data": [12 numbers]}}}`. */
function replyShape(key: string, expected: Tensor): string {
  const n = expected.data.length;
  let json = `{"dtype": "${expected.dtype}", "shape": ${formatShape(expected.shape)}, "data": [${n} number${n === 1 ? '' : 's'}]}`;
  for (const part of key.split('.').reverse()) json = `{"${part}": ${json}}`;
  return json;
}

function malformedText(r: MalformedReason): string {
  switch (r.problem) {
    case 'not-an-object':
      return `expected an object with dtype, shape and data, got ${r.type}`;
    case 'dtype':
      return `dtype ${JSON.stringify(r.dtype)} is not float64, float32 or int64`;
    case 'shape':
      return `shape ${JSON.stringify(r.shape)} is not a list of non-negative integers`;
    case 'data-type':
      return 'data is not a Float64Array or Float32Array';
    case 'data-length':
      return `data has ${r.length} values but shape ${formatShape(r.shape)} needs ${r.needs}`;
  }
}

function mutationText(m: Extract<TensorMismatch, { kind: 'mutated' }>): string {
  switch (m.change) {
    case 'replaced':
      return 'was replaced in the request';
    case 'reshaped':
      return `had its shape changed to ${formatShape(m.shape)}`;
    case 'written': {
      const [now, was] = fmtPair(m.now, m.was);
      return `was written to: ${m.count}/${m.total} elements changed, e.g. ${m.label}${fmtIndex(m.index)} = ${now}, was ${was}`;
    }
    case 'edited':
      return m.label === 'attributes' ? 'were changed' : 'was changed';
  }
}

// A case's message: its lines, each led by the case id, then (for a judged case) the headline spec link.

export function caseMessage(lines: readonly string[], spec?: string): string {
  return (spec === undefined ? lines : [...lines, `spec: ${spec}`]).join('\n');
}

export const caseLine = {
  failure: (id: string, f: TensorFailure): string => `${id} ${f.detail}`,
  passed: (id: string, stages: readonly string[]): string => `${id} passed (${stages.join(', ')})`,
  error: (id: string, why: string): string => `${id} [error] ${why}`,
  notRun: (id: string, reason: string): string => `${id} [not run] ${reason}`,
  refused: (id: string, reason: string): string => `${id} [refused] ${reason}`,
  skip: (id: string, reason: string, source: string): string => `${id} [skip] ${reason} (${source})`,
  xpass: (id: string, reason: string, source: string): string => `${id} [xpass] passed, but ${source} expects it to fail (${reason}); remove or narrow that entry`,
  /** Leads the message of the failure the entry expected. */
  xfail: (id: string, reason: string, status: string): string => `${id} [xfail, expected: ${reason}] ${status}ed:`,
};

export function fmtIndex(index: readonly number[]): string {
  return index.length ? `[${index.join(',')}]` : '';
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

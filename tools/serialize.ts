// Fixture files: a fixed key order, one line per tensor's data, non-finite numbers as strings,
// and a content hash so a hand edit is told apart from a stale generator output.
import { createHash } from 'node:crypto';
import type { Fixture, Tensor as TensorJson, Scalar } from '../spec/types/fixture';
import { encodeScalar as encodeJsonScalar } from '../spec/format';
import type { Tensor } from './tensor';

/** The JSON scalar (spec/format.ts), float32 values written as their shortest round-tripping decimal; -0 kept. */
export function encodeScalar(v: number, dtype: Tensor['dtype'] = 'float64'): Scalar {
  return dtype === 'float32' && Number.isFinite(v) && v !== 0 ? shortestFloat32(v) : encodeJsonScalar(v);
}

/** The shortest decimal that rounds back to the same float32 (0.1, not 0.10000000149011612). */
function shortestFloat32(v: number): number {
  for (let digits = 1; digits < 17; digits++) {
    const candidate = Number(v.toPrecision(digits));
    if (Math.fround(candidate) === v) return candidate;
  }
  return v;
}

export function encodeTensor(t: Tensor): TensorJson {
  return { dtype: t.dtype, shape: [...t.shape], data: Array.from(t.data, (v) => encodeScalar(v, t.dtype)) };
}

export function encodeTensors(map: Record<string, Tensor>): Record<string, TensorJson> {
  const out: Record<string, TensorJson> = {};
  for (const [k, t] of Object.entries(map)) out[k] = encodeTensor(t);
  return out;
}

/** JSON with two-space indentation, but arrays of numbers and strings kept on one line. */
export function stringifyFixture(value: unknown): string {
  return `${format(value, '')}\n`;
}

function format(value: unknown, indent: string): string {
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== 'object' || v === null)) return `[${value.map(scalarText).join(', ')}]`;
    const inner = indent + '  ';
    return `[\n${value.map((v) => inner + format(v, inner)).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    const inner = indent + '  ';
    return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${format(v, inner)}`).join(',\n')}\n${indent}}`;
  }
  return scalarText(value);
}

/** JSON.stringify writes -0 as 0; JSON.parse reads -0 back as -0. */
function scalarText(v: unknown): string {
  return Object.is(v, -0) ? '-0' : JSON.stringify(v);
}

/** sha256 of the fixture's canonical text with provenance.content_sha256 emptied. */
export function contentHash(fixture: Fixture): string {
  const blank: Fixture = { ...fixture, provenance: { ...fixture.provenance, content_sha256: '' } };
  return createHash('sha256').update(stringifyFixture(blank)).digest('hex');
}

export function withContentHash(fixture: Fixture): Fixture {
  const hashed: Fixture = { ...fixture, provenance: { ...fixture.provenance, content_sha256: '0'.repeat(64) } };
  hashed.provenance.content_sha256 = contentHash(hashed);
  return hashed;
}

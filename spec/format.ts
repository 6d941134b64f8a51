// The corpus's file layout and the JSON encoding of numbers and shapes, shared by the generator
// (tools/, which writes fixtures) and the runner (conformance/, which reads them and speaks the
// protocol). Neither side may import the other; both import this.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Scalar } from './types/fixture';

/** A case id `<op>/<case>` → its file, relative to the fixtures folder. */
export function fixtureFile(id: string): string {
  return `${id}.json`;
}

/** A relative fixture file (either separator) → its id, or undefined when it is not `<op>/<case>.json`. */
export function fixtureId(file: string): string | undefined {
  const parts = file.split(/[\\/]/);
  if (parts.length !== 2 || !parts[1]!.endsWith('.json')) return undefined;
  return `${parts[0]}/${parts[1]!.slice(0, -'.json'.length)}`;
}

/** The op a case id names. */
export function opOfId(id: string): string {
  return id.split('/')[0]!;
}

/**
 * Every `<op>/<case>.json` under `dir` (relative, '/'-separated, sorted), limited to the given ops.
 * `strays: true` also lists `.json` entries at the top level, so a reader can report them.
 * Only directory entries are looked at here; whether a file is regular is the reader's check.
 */
export function listFixtureFiles(dir: string, options: { ops?: readonly string[]; strays?: boolean } = {}): string[] {
  if (!existsSync(dir)) return [];
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (options.ops && !options.ops.includes(entry.name)) continue;
      for (const f of readdirSync(join(dir, entry.name))) if (f.endsWith('.json')) files.push(`${entry.name}/${f}`);
    } else if (options.strays && entry.name.endsWith('.json')) {
      files.push(entry.name);
    }
  }
  return files.sort();
}

/** A number as JSON: non-finite values as the strings "NaN", "Infinity", "-Infinity"; -0 kept. */
export function encodeScalar(value: number): Scalar {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  return value;
}

/** The number a JSON scalar stands for, or undefined when it is neither a number nor a non-finite string. */
export function decodeScalar(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (value === 'NaN') return NaN;
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  return undefined;
}

/** The number of elements of a shape (1 for a scalar, shape []). */
export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** `[2, 3]`, `[]` for a scalar. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

const HASH_FIELD = /"content_sha256": "[0-9a-f]{64}"/;

/**
 * The sha256 a fixture file's `provenance.content_sha256` must hold: of the file's text with that
 * field emptied. The generator writes canonical text (tools/serialize.ts), so for an untouched file
 * this equals the hash of the canonical form; any edit, even reformatting, changes it. Undefined
 * when the text has no content_sha256 field.
 */
export function fixtureTextHash(text: string): string | undefined {
  if (!HASH_FIELD.test(text)) return undefined;
  return createHash('sha256').update(text.replace(HASH_FIELD, '"content_sha256": ""')).digest('hex');
}

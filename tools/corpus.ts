// The whole fixture corpus in memory: generated from the case files, written to disk, or compared
// with what is on disk (stale, missing, orphaned and hand-edited files).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Fixture } from '../spec/types/fixture';
import { buildFixture } from './build-fixture';
import type { OpCases } from './define-op';
import { contentHash, stringifyFixture } from './serialize';
import { fixtureFile, listFixtureFiles, opOfId } from '../spec/format';
import { isOpName, OP_NAMES } from '../spec/registry';

export interface GeneratedFixture {
  path: string; // relative to the fixtures folder: <op>/<case>.json
  fixture: Fixture;
  text: string;
}

export interface Progress {
  start(total: number): void;
  tick(id: string): void;
  stop(): void;
}

export async function generateCorpus(all: OpCases[], ops: string[] | undefined, progress?: Progress): Promise<GeneratedFixture[]> {
  const selected = all.filter((c) => !ops || ops.includes(c.definition.op));
  const total = selected.reduce((n, c) => n + c.cases.length, 0);
  progress?.start(total);
  const out: GeneratedFixture[] = [];
  try {
    for (const cases of selected) {
      for (const spec of cases.cases) {
        const fixture = await buildFixture(cases, spec);
        out.push({ path: fixtureFile(fixture.id), fixture, text: stringifyFixture(fixture) });
        progress?.tick(fixture.id);
      }
    }
  } finally {
    progress?.stop();
  }
  return out;
}

/**
 * Why `dir` is not a fixture corpus the generator may write into, or undefined when it is: a corpus
 * holds nothing but op folders (dotfiles aside), so pointing --dir at a project is refused before
 * anything is written or removed.
 */
export function notACorpus(dir: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  const strays = readdirSync(dir, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.') && !(e.isDirectory() && isOpName(e.name)))
    .map((e) => (e.isDirectory() ? `${e.name}/` : e.name));
  if (!strays.length) return undefined;
  const shown = strays.slice(0, 5).join(', ') + (strays.length > 5 ? `, … (${strays.length} in all)` : '');
  return `${dir} is not a fixture corpus: besides op folders (${OP_NAMES.slice(0, 3).join('/, ')}/, …) it holds ${shown}`;
}

/** A file the generator wrote: a JSON fixture whose provenance names its op folder's case file. */
function generatedHere(dir: string, file: string): boolean {
  try {
    const json = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { provenance?: { generator?: unknown } };
    return json.provenance?.generator === `tools/cases/${opOfId(file)}.ts`;
  } catch {
    return false;
  }
}

/**
 * Writes the corpus and deletes orphaned fixtures, so generating twice changes nothing. Only files
 * the generator made are removed (inside op folders, with its provenance); anything else is kept
 * and listed, and a `dir` that is not a corpus is refused before anything is touched.
 */
export function writeCorpus(dir: string, corpus: GeneratedFixture[], ops?: string[]): { written: number; removed: string[]; kept: string[] } {
  const refused = notACorpus(dir);
  if (refused) throw new Error(`fixtures: refusing to write: ${refused}`);
  const wanted = new Set(corpus.map((g) => g.path));
  const orphans = listFixtureFiles(dir, ops ? { ops } : {}).filter((p) => !wanted.has(p));
  const removed = orphans.filter((p) => generatedHere(dir, p));
  const kept = orphans.filter((p) => !removed.includes(p));
  for (const p of removed) rmSync(join(dir, p));
  let written = 0;
  for (const g of corpus) {
    const path = join(dir, g.path);
    if (existsSync(path) && readFileSync(path, 'utf8') === g.text) continue;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, g.text);
    written++;
  }
  return { written, removed, kept };
}

export interface CheckReport {
  stale: { path: string; where: string }[];
  missing: string[];
  orphaned: string[];
  handEdited: string[];
  unchanged: number;
}

export function checkCorpus(dir: string, corpus: GeneratedFixture[], ops?: string[]): CheckReport {
  const report: CheckReport = { stale: [], missing: [], orphaned: [], handEdited: [], unchanged: 0 };
  const wanted = new Set(corpus.map((g) => g.path));
  report.orphaned = listFixtureFiles(dir, ops ? { ops } : {}).filter((p) => !wanted.has(p));
  for (const g of corpus) {
    const path = join(dir, g.path);
    if (!existsSync(path)) {
      report.missing.push(g.path);
      continue;
    }
    let committed: Fixture;
    try {
      committed = JSON.parse(readFileSync(path, 'utf8')) as Fixture;
    } catch (err) {
      report.handEdited.push(g.path);
      report.stale.push({ path: g.path, where: `not valid JSON: ${(err as Error).message}` });
      continue;
    }
    if (committed.provenance?.content_sha256 !== contentHash(committed)) report.handEdited.push(g.path);
    const where = firstDifference(committed, g.fixture, '');
    if (where) report.stale.push({ path: g.path, where });
    else report.unchanged++;
  }
  return report;
}

export function isClean(r: CheckReport): boolean {
  return r.stale.length + r.missing.length + r.orphaned.length + r.handEdited.length === 0;
}

/**
 * The JSON path of the first difference, or undefined. Tensor values may differ by float noise
 * (another CPU's ORT kernels sum in another order): relative to the tensor's largest magnitude,
 * 1e-10 for float64 and 1e-5 for float32. The content hash is not compared (it follows the values).
 */
export function firstDifference(actual: unknown, expected: unknown, path: string): string | undefined {
  if (path === '.provenance.content_sha256') return undefined;
  if (path === '.provenance.gradcheck.max_error') {
    return Math.abs((actual as number) - (expected as number)) <= 1e-9 ? undefined : `${path}: ${actual} ≠ ${expected}`;
  }
  if (isTensor(expected) && isTensor(actual)) return tensorDifference(actual, expected, path);
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return `${path}: length differs`;
    for (let i = 0; i < expected.length; i++) {
      const d = firstDifference(actual[i], expected[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return `${path}: not an object`;
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const k of keys) {
      const d = firstDifference((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k], `${path}.${k}`);
      if (d) return d;
    }
    return undefined;
  }
  return Object.is(actual, expected) ? undefined : `${path}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)}`;
}

interface TensorLike {
  dtype: string;
  shape: number[];
  data: (number | string)[];
}

function isTensor(v: unknown): v is TensorLike {
  return v !== null && typeof v === 'object' && 'dtype' in v && 'shape' in v && 'data' in v;
}

function tensorDifference(actual: TensorLike, expected: TensorLike, path: string): string | undefined {
  if (actual.dtype !== expected.dtype) return `${path}.dtype: ${actual.dtype} ≠ ${expected.dtype}`;
  if (JSON.stringify(actual.shape) !== JSON.stringify(expected.shape)) return `${path}.shape: [${actual.shape}] ≠ [${expected.shape}]`;
  if (actual.data.length !== expected.data.length) return `${path}.data: length ${actual.data.length} ≠ ${expected.data.length}`;
  const rel = expected.dtype === 'float32' ? 1e-5 : 1e-10;
  let scale = 0;
  for (const v of expected.data) if (typeof v === 'number') scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < expected.data.length; i++) {
    const a = actual.data[i]!;
    const e = expected.data[i]!;
    if (typeof e === 'string' || typeof a === 'string') {
      if (a !== e) return `${path}.data[${i}]: ${a} ≠ ${e}`;
    } else if (Math.abs(a - e) > rel * scale) {
      return `${path}.data[${i}]: ${a} ≠ ${e}`;
    }
  }
  return undefined;
}

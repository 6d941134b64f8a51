// The whole fixture corpus in memory: generated from the case files, written to disk, or compared
// with what is on disk (stale, missing, orphaned and hand-edited files).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Fixture } from '../spec/types/fixture';
import { buildFixture } from './build-fixture';
import type { OpCases } from './define-op';
import { contentHash, stringifyFixture } from './serialize';
import { fixtureFile, listFixtureFiles as listCorpusFiles } from '../spec/format';

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

/** Every fixture file under `dir`, as <op>/<case>.json; limited to the given ops if any. */
export function listFixtureFiles(dir: string, ops?: string[]): string[] {
  return listCorpusFiles(dir, ops ? { ops } : {});
}

/** Writes the corpus and deletes orphaned files, so generating twice changes nothing. */
export function writeCorpus(dir: string, corpus: GeneratedFixture[], ops?: string[]): { written: number; removed: string[] } {
  const wanted = new Set(corpus.map((g) => g.path));
  const removed = listFixtureFiles(dir, ops).filter((p) => !wanted.has(p));
  for (const p of removed) rmSync(join(dir, p));
  let written = 0;
  for (const g of corpus) {
    const path = join(dir, g.path);
    if (existsSync(path) && readFileSync(path, 'utf8') === g.text) continue;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, g.text);
    written++;
  }
  return { written, removed };
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
  report.orphaned = listFixtureFiles(dir, ops).filter((p) => !wanted.has(p));
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

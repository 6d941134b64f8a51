// The fixture corpus a dashboard is checked against: each case id with the rule it cites and its
// features. Only the head of each file is read (the generator writes id, spec and features first), so
// indexing ~400 fixtures takes a fraction of a second instead of parsing 46 MB; a file whose head
// does not hold them is parsed whole.
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { fixtureId } from '../../spec/format';
import { BROKEN_FIXTURE_SPEC } from '../broken-fixture';
import { listFixtureFiles } from '../loader';

export interface CorpusCase {
  spec: string;
  features: string[];
}

const HEAD_BYTES = 4096;

/** Case id → spec and features, for every fixture under dir. */
export function readCorpus(dir: string): Map<string, CorpusCase> {
  const corpus = new Map<string, CorpusCase>();
  for (const rel of listFixtureFiles(dir)) {
    const file = join(dir, rel);
    // A malformed file is still a case of the corpus, under its path: gradspec run reports it as an error case.
    const meta = fromHead(readHead(file)) ?? fromWhole(file) ?? { id: fixtureId(rel) ?? rel.replace(/\.json$/, ''), spec: BROKEN_FIXTURE_SPEC, features: [] };
    corpus.set(meta.id, { spec: meta.spec, features: meta.features });
  }
  return corpus;
}

function readHead(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    return buffer.toString('utf8', 0, readSync(fd, buffer, 0, HEAD_BYTES, 0));
  } finally {
    closeSync(fd);
  }
}

type Meta = { id: string; spec: string; features: string[] };

function fromHead(head: string): Meta | undefined {
  const field = (key: string, value: string): unknown => {
    const m = new RegExp(`^  "${key}": (${value}),?$`, 'm').exec(head);
    return m ? JSON.parse(m[1]!) : undefined;
  };
  const string = '"(?:[^"\\\\]|\\\\.)*"';
  const meta = { id: field('id', string), spec: field('spec', string), features: field('features', `\\[(?:${string}(?:, )?)*\\]`) };
  return isMeta(meta) ? meta : undefined;
}

function fromWhole(file: string): Meta | undefined {
  try {
    const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const meta = { id: json.id, spec: json.spec, features: json.features };
    return isMeta(meta) ? meta : undefined;
  } catch {
    return undefined;
  }
}

function isMeta(m: Record<string, unknown>): m is Meta {
  return typeof m.id === 'string' && typeof m.spec === 'string' && Array.isArray(m.features) && m.features.every((f) => typeof f === 'string');
}

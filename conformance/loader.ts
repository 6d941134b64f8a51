// Reads fixtures/<op>/<case>.json: validates each file against spec/fixture.schema.json (ajv, strict),
// checks what the schema cannot say (id = path, data length = product of shape, a tolerance for every
// expected dtype, a rule for every expected tensor), decodes the tensors, and filters by op / feature / id glob.
import { readFileSync, existsSync, statSync } from 'node:fs';
import { join, relative, resolve, isAbsolute } from 'node:path';
import type { ErrorObject } from 'ajv';
import type { Fixture, Optimizer, Tensor as TensorJson } from '../spec/types/fixture';
import type { Tensor, TensorMap } from './implementation';
import { decodeStateMap, decodeTensor, decodeTensorMap, TensorFormatError } from './tensor-codec';
import { fixtureId, fixtureTextHash, listFixtureFiles as listCorpusFiles, numel, opOfId } from '../spec/format';
import { OPS, paramNames } from '../spec/registry';
import { globMatcher, matchesFilter, type FixtureFilter } from './filter';
import { ruleProblems } from './rules';
import { schemaValidator } from './schemas';

export const FIXTURES_DIR = join(__dirname, '..', 'fixtures');

/** The largest fixture today is a few MB; anything far larger is not one. */
const MAX_FIXTURE_BYTES = 64 * 1024 * 1024;

/** A validated fixture with its tensors decoded (the raw JSON is kept in `fixture`). */
export interface LoadedFixture {
  id: string;
  op: Fixture['op'];
  /** The file it came from (absolute). */
  file: string;
  fixture: Fixture;
  inputs: TensorMap;
  params: TensorMap;
  forward: TensorMap;
  backward?: { grad_output: TensorMap; grad_inputs: TensorMap; grad_params: TensorMap };
  update?: { optimizer: Optimizer; params: TensorMap; losses?: Tensor; state?: Record<string, TensorMap> };
}

export interface FixtureProblem {
  /** JSON pointer into the file (ajv's instancePath), '' for the whole document. */
  jsonPath: string;
  message: string;
}

/** A file that is not a valid fixture; the message names the file, the JSON path and what is wrong. */
export class FixtureError extends Error {
  constructor(
    readonly file: string,
    readonly problems: FixtureProblem[],
  ) {
    super(`${displayPath(file)}: ${problems.map((p) => `${p.jsonPath || '/'} ${p.message}`).join('; ')}`);
    this.name = 'FixtureError';
  }
}

export type { FixtureFilter } from './filter';
export { matchesFilter } from './filter';

export interface LoadOptions {
  /** The fixtures folder; default: the repository's fixtures/. */
  dir?: string;
  filter?: FixtureFilter;
}

export interface LoadResult {
  /** Sorted by id. */
  fixtures: LoadedFixture[];
  /** One per malformed file; the valid files load regardless. */
  errors: FixtureError[];
}

const validator = () => schemaValidator<Fixture>('fixture');

/** Loads every fixture under `dir` that passes the filter; malformed files are collected, not thrown. */
export function loadFixtures(options: LoadOptions = {}): LoadResult {
  const dir = resolve(options.dir ?? FIXTURES_DIR);
  const filter = options.filter ?? {};
  const idMatchers = filter.ids?.length ? filter.ids.map(globMatcher) : undefined;
  const fixtures: LoadedFixture[] = [];
  const errors: FixtureError[] = [];
  for (const rel of listFixtureFiles(dir)) {
    const pathId = fixtureId(rel) ?? rel.replace(/\.json$/, '');
    const op = opOfId(pathId);
    // Op and id filters use the path, so filtered-out files are not even read.
    if (filter.ops?.length && !filter.ops.includes(op)) continue;
    if (idMatchers && !idMatchers.some((m) => m(pathId))) continue;
    try {
      const loaded = loadFixtureFile(join(dir, rel), dir);
      if (matchesFilter(loaded, filter)) fixtures.push(loaded); // features and rules need the file
    } catch (e) {
      if (e instanceof FixtureError) errors.push(e);
      else throw e;
    }
  }
  fixtures.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { fixtures, errors };
}

/** Every <op>/<case>.json under dir (relative, '/'-separated, sorted); a .json outside an op folder is listed too, so it is reported. */
export function listFixtureFiles(dir: string): string[] {
  if (!existsSync(dir)) throw new Error(`fixtures folder not found: ${dir}`);
  return listCorpusFiles(dir, { strays: true });
}

/** Reads, validates and decodes one file; throws FixtureError when it is not a valid fixture. */
export function loadFixtureFile(file: string, root: string = FIXTURES_DIR): LoadedFixture {
  const abs = resolve(file);
  let json: unknown;
  let text: string;
  try {
    // A FIFO would block and /dev/zero never ends: read only regular files of a sane size.
    const stat = statSync(abs);
    if (!stat.isFile()) throw new FixtureError(abs, [{ jsonPath: '', message: 'is not a regular file' }]);
    if (stat.size > MAX_FIXTURE_BYTES) throw new FixtureError(abs, [{ jsonPath: '', message: `is ${stat.size} bytes, over the ${MAX_FIXTURE_BYTES}-byte limit for a fixture` }]);
    text = readFileSync(abs, 'utf8');
    json = JSON.parse(text);
  } catch (e) {
    if (e instanceof FixtureError) throw e;
    const why = e instanceof SyntaxError ? `is not valid JSON: ${e.message}` : `cannot be read: ${(e as Error).message}`;
    throw new FixtureError(abs, [{ jsonPath: '', message: why }]);
  }
  const fixture = validateFixture(json, abs);
  const rel = relative(resolve(root), abs);
  const expectedId = fixtureId(rel) ?? rel.split(/[\\/]/).join('/').replace(/\.json$/, '');
  const problems: FixtureProblem[] = [];
  if (fixture.id !== expectedId) {
    problems.push({ jsonPath: '/id', message: `is '${fixture.id}' but the file is at ${expectedId}.json (the id must equal the path <op>/<case>)` });
  }
  if (fixture.id.split('/')[0] !== fixture.op) {
    problems.push({ jsonPath: '/op', message: `is '${fixture.op}' but the id '${fixture.id}' names op '${fixture.id.split('/')[0]}'` });
  }
  if (fixtureTextHash(text) !== fixture.provenance.content_sha256) {
    problems.push({
      jsonPath: '/provenance/content_sha256',
      message: 'does not match the file: it was edited after it was generated, so it cannot be trusted as a judge (regenerate it with `npm run fixtures:generate`, or restore it)',
    });
  }
  problems.push(...semanticProblems(fixture));
  if (problems.length) throw new FixtureError(abs, problems);
  try {
    return decodeFixture(fixture, abs);
  } catch (e) {
    if (!(e instanceof TensorFormatError)) throw e;
    // The codec's message starts with where, e.g. 'inputs.x: data[3] = 1.5 is not an integer (dtype int64)'.
    const [where, ...rest] = e.message.split(': ');
    throw new FixtureError(abs, [{ jsonPath: `/${where!.split('.').join('/')}`, message: rest.join(': ') }]);
  }
}

/** Schema validation alone; throws FixtureError listing ajv's findings. */
export function validateFixture(json: unknown, file: string): Fixture {
  const validate = validator();
  if (validate(json)) return json;
  throw new FixtureError(file, describeAjvErrors(validate.errors ?? []));
}

function describeAjvErrors(errors: ErrorObject[]): FixtureProblem[] {
  // An anyOf failure repeats each branch's error: merge the branches at one path into one problem.
  const byPath = new Map<string, { messages: string[]; value: unknown; anyOf: boolean }>();
  for (const e of errors) {
    if (e.keyword === 'anyOf') continue;
    const p = e.params as Record<string, unknown>;
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'additionalProperties') message = `has unknown key '${String(p.additionalProperty)}'`;
    else if (e.keyword === 'required') message = `is missing required key '${String(p.missingProperty)}'`;
    else if (e.keyword === 'enum') message = `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    const anyOf = e.schemaPath.includes('/anyOf/');
    const key = anyOf ? e.instancePath : `${e.instancePath}\u0000${message}`;
    const entry = byPath.get(key) ?? { messages: [], value: e.data, anyOf };
    if (!entry.messages.includes(message)) entry.messages.push(message);
    byPath.set(key, entry);
  }
  const out: FixtureProblem[] = [];
  for (const [key, { messages, value, anyOf }] of byPath) {
    const jsonPath = key.split('\u0000')[0]!;
    const shown = anyOf && (value === null || typeof value !== 'object') ? `is ${JSON.stringify(value)}, but ` : '';
    out.push({ jsonPath, message: shown + messages.join(', or ') });
    if (out.length >= 8) break;
  }
  if (out.length === 0) out.push({ jsonPath: '', message: 'does not match the schema' });
  return out;
}

/**
 * What the schema cannot say: the expected tensors are exactly the ones the op's registry entry
 * names (a fixture that leaves one out would pass anything there), data length vs shape, the case
 * dtype on every float tensor, and a tolerance for it.
 */
function semanticProblems(f: Fixture): FixtureProblem[] {
  const problems: FixtureProblem[] = [];
  const entry = OPS[f.op];
  let params: string[] = [];
  try {
    params = paramNames(f.op, f.attributes);
  } catch (e) {
    problems.push({ jsonPath: '/attributes', message: (e as Error).message });
  }
  const names = (path: string, actual: Record<string, unknown> | undefined, expected: readonly string[]) => {
    const have = Object.keys(actual ?? {}).sort();
    const want = [...expected].sort();
    if (have.join() !== want.join()) problems.push({ jsonPath: path, message: `holds [${have.join(', ')}] but ${f.op} has [${want.join(', ')}] (spec/ops.json)` });
  };
  // An optional input (spec/ops.json `optional`) may be left out; then it has no gradient either.
  const present = entry.inputs.filter((n) => Object.prototype.hasOwnProperty.call(f.inputs, n) || !entry.optional?.includes(n));
  names('/inputs', f.inputs, present);
  names('/params', f.params, params);
  names('/forward', f.forward, entry.outputs);
  if (f.backward) {
    names('/backward/grad_output', f.backward.grad_output, entry.seeded ?? entry.outputs);
    names('/backward/grad_inputs', f.backward.grad_inputs, entry.differentiable.filter((n) => present.includes(n)));
    names('/backward/grad_params', f.backward.grad_params, params);
  }
  if (f.update) names('/update/params', f.update.params, params);
  problems.push(...ruleProblems(f));
  const each = (map: Record<string, TensorJson> | undefined, path: string, expected: boolean) => {
    for (const [name, t] of Object.entries(map ?? {})) visit(t, `${path}/${name}`, expected);
  };
  const visit = (t: TensorJson, path: string, expected: boolean) => {
    const n = numel(t.shape);
    if (t.data.length !== n) {
      problems.push({ jsonPath: `${path}/data`, message: `has ${t.data.length} values but shape [${t.shape.join(', ')}] needs ${n}` });
    }
    if (t.dtype !== 'int64' && t.dtype !== f.dtype) {
      problems.push({ jsonPath: `${path}/dtype`, message: `is ${t.dtype} but the case dtype is ${f.dtype}` });
    }
    if (expected && t.dtype !== 'int64' && !f.tolerance[t.dtype]) {
      problems.push({ jsonPath: '/tolerance', message: `has no entry for ${t.dtype}, which ${path} uses` });
    }
  };
  each(f.inputs, '/inputs', false);
  each(f.params, '/params', false);
  each(f.forward, '/forward', true);
  if (f.backward) {
    each(f.backward.grad_output, '/backward/grad_output', false);
    each(f.backward.grad_inputs, '/backward/grad_inputs', true);
    each(f.backward.grad_params, '/backward/grad_params', true);
  }
  if (f.update) {
    each(f.update.params, '/update/params', true);
    if (f.update.losses) visit(f.update.losses, '/update/losses', true);
    for (const [kind, map] of Object.entries(f.update.state ?? {})) each(map, `/update/state/${kind}`, true);
  }
  return problems;
}

function decodeFixture(fixture: Fixture, file: string): LoadedFixture {
  const loaded: LoadedFixture = {
    id: fixture.id,
    op: fixture.op,
    file,
    fixture,
    inputs: decodeTensorMap(fixture.inputs, 'inputs'),
    params: decodeTensorMap(fixture.params, 'params'),
    forward: decodeTensorMap(fixture.forward, 'forward'),
  };
  if (fixture.backward) {
    loaded.backward = {
      grad_output: decodeTensorMap(fixture.backward.grad_output, 'backward.grad_output'),
      grad_inputs: decodeTensorMap(fixture.backward.grad_inputs, 'backward.grad_inputs'),
      grad_params: decodeTensorMap(fixture.backward.grad_params, 'backward.grad_params'),
    };
  }
  if (fixture.update) {
    loaded.update = {
      optimizer: fixture.update.optimizer,
      params: decodeTensorMap(fixture.update.params, 'update.params'),
      ...(fixture.update.losses ? { losses: decodeTensor(fixture.update.losses, 'update.losses') } : {}),
      ...(fixture.update.state ? { state: decodeStateMap(fixture.update.state, 'update.state') } : {}),
    };
  }
  return loaded;
}

/** Relative to the working directory when inside it, so messages stay short. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

// The loader: schema validation with errors that name the file and the JSON path, the checks the schema
// cannot express (a rule for every checked tensor among them), decoding, and the op / feature / id / rule filters.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtureTextHash } from '../../spec/format';
import type { Fixture } from '../../spec/types/fixture';
import { FIXTURES_DIR, FixtureError, loadFixtureFile, loadFixtures } from '../loader';

const original = (id: string): Fixture => JSON.parse(readFileSync(join(FIXTURES_DIR, `${id}.json`), 'utf8')) as Fixture;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gradspec-loader-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Writes a file; an object with a content_sha256 is sealed with the hash of the text written, as
 * the generator would, so these tests reach the checks behind the hash check.
 */
function put(path: string, content: unknown): string {
  const file = join(dir, path);
  mkdirSync(join(file, '..'), { recursive: true });
  let text = typeof content === 'string' ? content : JSON.stringify(content, null, 2);
  const hash = fixtureTextHash(text);
  if (typeof content !== 'string' && hash) text = text.replace(/"content_sha256": "[0-9a-f]{64}"/, `"content_sha256": "${hash}"`);
  writeFileSync(file, text);
  return file;
}

/** The FixtureError thrown for the only file in the temp folder. */
function errorFor(path: string, content: unknown): FixtureError {
  put(path, content);
  const { fixtures, errors } = loadFixtures({ dir });
  expect(fixtures).toEqual([]);
  expect(errors).toHaveLength(1);
  return errors[0]!;
}

describe('loader: valid fixtures', () => {
  it('loads and decodes a copy of a real fixture', () => {
    put('relu/grad-at-zero.json', original('relu/grad-at-zero'));
    const { fixtures, errors } = loadFixtures({ dir });
    expect(errors).toEqual([]);
    const [f] = fixtures;
    expect(f!.id).toBe('relu/grad-at-zero');
    expect(f!.op).toBe('relu');
    expect(f!.inputs.x!.data).toEqual(Float64Array.from([0, -1, 0, 2, 0]));
    expect(f!.inputs.x!.shape).toEqual([1, 5]);
    expect(f!.backward!.grad_inputs.x!.data).toEqual(Float64Array.from([0, 0, 0, 4, 0]));
  });

  it('decodes float32 tensors as Float32Array and non-finite strings as numbers', () => {
    const f32 = original('relu/random-4x6-float32');
    put('relu/random-4x6-float32.json', f32);
    const nonFinite = original('relu/readable-2x3');
    nonFinite.inputs.x!.data = ['NaN', 'Infinity', '-Infinity', 1, 2, 3];
    put('relu/readable-2x3.json', nonFinite);
    const { fixtures, errors } = loadFixtures({ dir });
    expect(errors).toEqual([]);
    expect(fixtures.map((f) => f.id)).toEqual(['relu/random-4x6-float32', 'relu/readable-2x3']);
    expect(fixtures[0]!.inputs.x!.data).toBeInstanceOf(Float32Array);
    expect(Array.from(fixtures[1]!.inputs.x!.data.slice(0, 3))).toEqual([NaN, Infinity, -Infinity]);
  });

  // That every fixture of the repository loads is conformance.test.ts's first test (it loads them all anyway).
});

describe('loader: malformed fixtures name the file and the JSON path', () => {
  it('a wrong dtype', () => {
    const bad = original('relu/readable-2x3');
    (bad.inputs.x as { dtype: string }).dtype = 'float16';
    const e = errorFor('relu/readable-2x3.json', bad);
    expect(e.file).toBe(join(dir, 'relu/readable-2x3.json'));
    expect(e.problems).toContainEqual({ jsonPath: '/inputs/x/dtype', message: 'must be one of "float64", "float32", "int64"' });
    expect(e.message).toContain('relu/readable-2x3.json: /inputs/x/dtype must be one of');
  });

  it('an unknown key and a missing key', () => {
    const bad = original('relu/readable-2x3') as unknown as Record<string, unknown>;
    bad.extra = 1;
    delete (bad.provenance as Record<string, unknown>).opset;
    const e = errorFor('relu/readable-2x3.json', bad);
    expect(e.problems).toContainEqual({ jsonPath: '', message: "has unknown key 'extra'" });
    expect(e.problems).toContainEqual({ jsonPath: '/provenance', message: "is missing required key 'opset'" });
  });

  it('a bad scalar in data', () => {
    const bad = original('relu/readable-2x3');
    (bad.inputs.x!.data as unknown[])[4] = 'nan';
    const e = errorFor('relu/readable-2x3.json', bad);
    expect(e.problems.map((p) => p.jsonPath)).toContain('/inputs/x/data/4');
  });

  it('data length ≠ product of shape', () => {
    const bad = original('relu/readable-2x3');
    bad.forward.y!.data.pop();
    const e = errorFor('relu/readable-2x3.json', bad);
    expect(e.problems).toEqual([{ jsonPath: '/forward/y/data', message: 'has 5 values but shape [2, 3] needs 6' }]);
  });

  it('an id that is not the path', () => {
    const e = errorFor('relu/renamed.json', original('relu/readable-2x3'));
    expect(e.problems).toEqual([
      { jsonPath: '/id', message: "is 'relu/readable-2x3' but the file is at relu/renamed.json (the id must equal the path <op>/<case>)" },
    ]);
  });

  it('an op that disagrees with the id', () => {
    const bad = original('relu/readable-2x3');
    bad.op = 'softmax';
    const e = errorFor('relu/readable-2x3.json', bad);
    expect(e.problems.map((p) => p.jsonPath)).toEqual(['/op']);
  });

  it('no tolerance for the dtype of an expected tensor', () => {
    const bad = original('relu/readable-2x3');
    bad.tolerance = { float32: bad.tolerance.float64! };
    const e = errorFor('relu/readable-2x3.json', bad);
    expect(e.problems).toContainEqual({ jsonPath: '/tolerance', message: 'has no entry for float64, which /forward/y uses' });
  });

  it('a file that is not JSON', () => {
    const e = errorFor('relu/broken.json', '{ "id": ');
    expect(e.message).toMatch(/relu\/broken\.json: \/ is not valid JSON/);
  });

  it('a fixture outside an op folder', () => {
    const e = errorFor('stray.json', original('relu/readable-2x3'));
    expect(e.problems[0]!.jsonPath).toBe('/id');
  });

  it('collects errors and still loads the valid files', () => {
    put('relu/readable-2x3.json', original('relu/readable-2x3'));
    put('relu/bad.json', { id: 'relu/bad' });
    const { fixtures, errors } = loadFixtures({ dir });
    expect(fixtures.map((f) => f.id)).toEqual(['relu/readable-2x3']);
    expect(errors.map((e) => e.file)).toEqual([join(dir, 'relu/bad.json')]);
  });

  it('loadFixtureFile throws the same error', () => {
    const file = put('relu/bad.json', { id: 'relu/bad' });
    expect(() => loadFixtureFile(file, dir)).toThrow(FixtureError);
  });
});

// A damaged fixture must never become the judge: each of these would let a wrong implementation pass.
describe('loader: damaged fixtures cannot judge', () => {
  it('a hand-edited value (content_sha256 no longer matches the file)', () => {
    const text = readFileSync(join(FIXTURES_DIR, 'relu/grad-at-zero.json'), 'utf8');
    const edited = text.replace(/("grad_inputs": \{\n\s+"x": \{[^}]*"data": \[)0/, '$11');
    expect(edited).not.toBe(text);
    const e = errorFor('relu/grad-at-zero.json', edited);
    expect(e.problems).toEqual([expect.objectContaining({ jsonPath: '/provenance/content_sha256', message: expect.stringContaining('edited after it was generated') })]);
  });

  it('an expected tensor named __proto__ (it would never be checked)', () => {
    const bad = original('relu/readable-2x3');
    const text = JSON.stringify(bad, null, 2).replace('"forward": {\n    "y":', '"forward": {\n    "__proto__":');
    const e = errorFor('relu/readable-2x3.json', text);
    expect(e.message).toContain('/forward');
  });

  it('an empty forward, and a forward that leaves out an output of the op', () => {
    const empty = original('relu/readable-2x3') as unknown as Record<string, unknown>;
    empty.forward = {};
    delete empty.backward;
    expect(errorFor('relu/readable-2x3.json', empty).message).toContain('/forward');
    rmSync(join(dir, 'relu'), { recursive: true });
    const partial = original('linear/readable-batch-2-3-to-2');
    delete partial.backward!.grad_params.b;
    expect(errorFor('linear/readable-batch-2-3-to-2.json', partial).problems).toContainEqual({
      jsonPath: '/backward/grad_params',
      message: 'holds [W] but linear has [W, b] (spec/ops.json)',
    });
  });

  it('a tensor of another dtype than the case', () => {
    const mixed = original('relu/readable-2x3');
    mixed.forward.y!.dtype = 'float32';
    mixed.tolerance.float32 = mixed.tolerance.float64!;
    expect(errorFor('relu/readable-2x3.json', mixed).problems).toContainEqual({ jsonPath: '/forward/y/dtype', message: 'is float32 but the case dtype is float64' });
  });

  it('rules that miss a checked tensor, name one it does not check, or cite an unknown op (a failure would cite no rule, or a wrong one)', () => {
    const damaged = original('linear/readable-batch-2-3-to-2');
    delete damaged.rules['backward.grad_params.b'];
    damaged.rules['backward.grad_params.c'] = 'linear#b3';
    damaged.rules['forward.y'] = 'lineer#f1';
    expect(errorFor('linear/readable-batch-2-3-to-2.json', damaged).problems).toEqual([
      { jsonPath: '/rules', message: 'has no rule for backward.grad_params.b, which the fixture checks' },
      { jsonPath: '/rules', message: 'names backward.grad_params.c, which the fixture does not check' },
      { jsonPath: '/rules/forward.y', message: "cites lineer#f1, but 'lineer' is not an op of spec/ops.json" },
    ]);
  });

  it('a fixture without rules, or with a rule that is not <op>#<anchor>', () => {
    const none = original('relu/readable-2x3') as unknown as Record<string, unknown>;
    delete none.rules;
    expect(errorFor('relu/readable-2x3.json', none).problems).toEqual([{ jsonPath: '', message: "is missing required key 'rules'" }]);
    rmSync(join(dir, 'relu'), { recursive: true });
    const bad = original('relu/readable-2x3');
    bad.rules['forward.y'] = 'spec/ops/relu.md#f1';
    expect(errorFor('relu/readable-2x3.json', bad).message).toContain('/rules/forward.y must match pattern');
  });

  it('a FIFO and a link to /dev/zero are errors, not a hang or an endless read', () => {
    mkdirSync(join(dir, 'relu'));
    symlinkSync('/dev/zero', join(dir, 'relu', 'zero.json'));
    const fifo = spawnSync('mkfifo', [join(dir, 'pipe.json')]);
    const { fixtures, errors } = loadFixtures({ dir });
    expect(fixtures).toEqual([]);
    const expected = [expect.stringContaining('relu/zero.json: / is not a regular file')];
    if (fifo.status === 0) expected.unshift(expect.stringContaining('pipe.json: / is not a regular file'));
    expect(errors.map((e) => e.message)).toEqual(expected);
  });
});

describe('loader: filters', () => {
  beforeEach(() => {
    for (const id of ['relu/readable-2x3', 'relu/grad-at-zero', 'relu/random-4x6-float32', 'softmax/extreme-logits']) put(`${id}.json`, original(id));
  });
  const ids = (filter: Parameters<typeof loadFixtures>[0]) => loadFixtures({ dir, ...filter }).fixtures.map((f) => f.id);

  it('by op', () => {
    expect(ids({ filter: { ops: ['softmax'] } })).toEqual(['softmax/extreme-logits']);
  });
  it('by feature: every listed feature must be present', () => {
    expect(ids({ filter: { features: ['readable'] } })).toEqual(['relu/grad-at-zero', 'relu/readable-2x3']);
    expect(ids({ filter: { features: ['readable', 'exact-zero'] } })).toEqual(['relu/grad-at-zero']);
    expect(ids({ filter: { features: ['float32'] } })).toEqual(['relu/random-4x6-float32']);
  });
  it('by id glob: any glob may match', () => {
    expect(ids({ filter: { ids: ['relu/r*'] } })).toEqual(['relu/random-4x6-float32', 'relu/readable-2x3']);
    expect(ids({ filter: { ids: ['*/extreme-*', 'relu/grad-at-zero'] } })).toEqual(['relu/grad-at-zero', 'softmax/extreme-logits']);
  });
  it('by rule: a tensor of the case or its headline cites it', () => {
    expect(ids({ filter: { rules: ['relu#b2'] } })).toEqual(['relu/grad-at-zero']); // its dx; its headline too
    expect(ids({ filter: { rules: ['relu#b1'] } })).toEqual(['relu/random-4x6-float32', 'relu/readable-2x3']);
    expect(ids({ filter: { rules: ['softmax#s1', 'relu#s1'] } })).toEqual(['softmax/extreme-logits']); // its headline only
    expect(ids({ filter: { rules: ['softmax#b1'] } })).toEqual(['softmax/extreme-logits']);
  });
  it('criteria combine', () => {
    expect(ids({ filter: { ops: ['relu'], features: ['readable'], ids: ['**/read*'] } })).toEqual(['relu/readable-2x3']);
  });
  it('a missing folder is an error, not an empty run', () => {
    expect(() => loadFixtures({ dir: join(dir, 'nope') })).toThrow(/fixtures folder not found/);
  });
});

// `fixtures:check` on a temporary copy must notice a tampered value, a missing file, an orphan, a
// file that is not JSON and a hand edit, and exit 1. Runs the real command (relu cases only, to stay
// fast) in a child process: ORT rejects typed arrays made inside jest's sandboxed realm.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringifyFixture, withContentHash } from '../serialize';

const ROOT = join(__dirname, '..', '..');
// The npm scripts' `tsx tools/fixtures.ts`, run as bin/gradspec.js runs the CLI: node with tsx's require hook,
// without the tsx launcher's second node process and loader thread (about 0.5 CPU-s a spawn).
const TSX_HOOK = require.resolve('tsx/cjs');

function fixturesCommand(command: 'generate' | 'check', dir: string): { status: number | null; output: string } {
  const args = ['--require', TSX_HOOK, join(ROOT, 'tools', 'fixtures.ts'), command, '--op', 'relu', '--dir', dir];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, output: r.stdout + r.stderr };
}

let pristine: string;
let work: string;

beforeAll(() => {
  pristine = mkdtempSync(join(tmpdir(), 'gradspec-fixtures-'));
  expect(fixturesCommand('generate', pristine).status).toBe(0);
});

afterAll(() => rmSync(pristine, { recursive: true, force: true }));

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'gradspec-fixtures-work-'));
  cpSync(pristine, work, { recursive: true });
});

afterEach(() => rmSync(work, { recursive: true, force: true }));

// Each spawn loads ONNX Runtime (about a second of CPU), so every scenario that can share a run does.
describe('fixtures:check (relu corpus in a temporary folder)', () => {
  it('passes on a fresh corpus', () => {
    const check = fixturesCommand('check', work);
    expect(check.output).toMatch(/fixtures:check: \d+ fixtures match the generator/);
    expect(check.status).toBe(0);
  });

  it('fails on a tampered value, a missing file, an orphan, a non-JSON file and a real change, naming each; float noise with its own hash passes', () => {
    const tampered = 'relu/grad-at-zero.json';
    const fixture = JSON.parse(readFileSync(join(work, tampered), 'utf8'));
    fixture.backward.grad_inputs.x.data[0] = 1; // ReLU'(0) = 1: the classic mistake
    writeFileSync(join(work, tampered), stringifyFixture(fixture));
    unlinkSync(join(work, 'relu/random-1x1.json'));
    copyFileSync(join(work, 'relu/random-batch-1.json'), join(work, 'relu/left-over.json'));
    writeFileSync(join(work, 'relu/random-3x5x7.json'), '{ "id": ');
    // As if regenerated on another CPU: noise far below the tolerances, with a matching hash.
    const noisyPath = join(work, 'relu/random-64x50.json');
    const noisy = JSON.parse(readFileSync(noisyPath, 'utf8'));
    noisy.forward.y.data[7] *= 1 + 1e-13;
    writeFileSync(noisyPath, stringifyFixture(withContentHash(noisy)));
    // A real change, hash updated too: stale although not hand-edited.
    const changedPath = join(work, 'relu/readable-2x3.json');
    const changed = JSON.parse(readFileSync(changedPath, 'utf8'));
    changed.forward.y.data[1] += 1e-3;
    writeFileSync(changedPath, stringifyFixture(withContentHash(changed)));

    const check = fixturesCommand('check', work);
    expect(check.status).toBe(1);
    expect(check.output).toContain('stale      relu/grad-at-zero.json  (.backward.grad_inputs.x.data[0]: 1 ≠ 0)');
    expect(check.output).toContain('hand-edited relu/grad-at-zero.json');
    expect(check.output).toContain('missing    relu/random-1x1.json');
    expect(check.output).toContain('orphaned   relu/left-over.json');
    expect(check.output).toMatch(/stale {6}relu\/random-3x5x7\.json {2}\(not valid JSON/);
    expect(check.output).toContain('stale      relu/readable-2x3.json  (.forward.y.data[1]');
    expect(check.output).not.toContain('hand-edited relu/readable-2x3.json');
    expect(check.output).not.toContain('random-64x50');
  });
});

describe('fixtures:generate removes only what it wrote (a --dir pointed at the wrong folder)', () => {
  it('refuses a folder that holds anything but op folders, and touches nothing in it', () => {
    const project = mkdtempSync(join(tmpdir(), 'gradspec-project-'));
    try {
      mkdirSync(join(project, 'config'));
      writeFileSync(join(project, 'config', 'settings.json'), '{}');
      writeFileSync(join(project, 'package.json'), '{}');
      const run = fixturesCommand('generate', project);
      expect(run.status).toBe(2);
      expect(run.output).toContain(`refusing --dir: ${project} is not a fixture corpus`);
      expect(run.output).toContain('config/, package.json');
      expect(existsSync(join(project, 'config', 'settings.json'))).toBe(true);
      expect(existsSync(join(project, 'relu'))).toBe(false);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  it('removes an orphaned fixture it generated, and keeps a file in an op folder it did not write', () => {
    copyFileSync(join(work, 'relu/random-batch-1.json'), join(work, 'relu/left-over.json'));
    writeFileSync(join(work, 'relu/notes.json'), '{"mine": true}');
    const run = fixturesCommand('generate', work);
    expect(run.status).toBe(0);
    expect(run.output).toMatch(/0 written, 1 orphans? removed/);
    expect(run.output).toContain('removed relu/left-over.json');
    expect(run.output).toContain('kept relu/notes.json');
    expect(existsSync(join(work, 'relu/left-over.json'))).toBe(false);
    expect(readFileSync(join(work, 'relu/notes.json'), 'utf8')).toBe('{"mine": true}');
  });
});

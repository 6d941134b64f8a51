// `gradspec init`: each starter lands in the folder asked for and passes its relu cases from there
// (run through the CLI's own code; the protocol programs are the only children), never over a file
// that exists unless --force, and a wrong language or flag is a one-line usage error.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initCommand } from '../../cli/init';
import { missingPython, runExec, runModule } from '../examples/run-exec';

const TEST_TIMEOUT_MS = 90_000;
let dir = '';

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gradspec-init-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function init(args: string[]): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = initCommand(args, { cwd: dir, stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
  return { code, stdout, stderr };
}

const RELU_ONLY = { pass: 8, fail: 0, error: 0 };

test('ts (the default) writes gradspec-impl.ts, which passes the relu cases from its new folder', async () => {
  const out = init([]);
  expect(out).toMatchObject({ code: 0, stderr: '' });
  expect(out.stdout).toContain('npx gradspec run --impl ./gradspec-impl.ts --op relu');
  expect(readFileSync(join(dir, 'gradspec-impl.ts'), 'utf8')).toContain("from 'gradspec'");
  expect(await runModule(join(dir, 'gradspec-impl.ts'), ['--op', 'relu'])).toMatchObject(RELU_ONLY);
}, TEST_TIMEOUT_MS);

test('node writes gradspec-impl.mjs, which passes the relu cases; its comments name the copy', async () => {
  expect(init(['node']).code).toBe(0);
  const file = join(dir, 'gradspec-impl.mjs');
  expect(readFileSync(file, 'utf8')).toContain('--exec "node ./gradspec-impl.mjs"');
  expect(await runExec(`"${process.execPath}" "${file}"`, ['--op', 'relu'])).toMatchObject(RELU_ONLY);
}, TEST_TIMEOUT_MS);

test('python --dir writes the program and gradspec_protocol.py beside it, and they pass the relu cases', async () => {
  const out = init(['python', '--dir', 'impl']);
  expect(out.code).toBe(0);
  expect(out.stdout).toContain('wrote ./impl/gradspec_impl.py, ./impl/gradspec_protocol.py');
  if (missingPython()) return;
  expect(await runExec(`python3 "${join(dir, 'impl', 'gradspec_impl.py')}"`, ['--op', 'relu'])).toMatchObject(RELU_ONLY);
}, TEST_TIMEOUT_MS);

test('a file that exists is left alone without --force, and overwritten with it', () => {
  writeFileSync(join(dir, 'gradspec-impl.ts'), 'mine');
  const refused = init(['ts']);
  expect(refused).toMatchObject({ code: 2, stdout: '' });
  expect(refused.stderr).toBe('gradspec init: ./gradspec-impl.ts already exists; pass --force to overwrite, or --dir to write elsewhere\n');
  expect(readFileSync(join(dir, 'gradspec-impl.ts'), 'utf8')).toBe('mine');
  expect(init(['ts', '--force']).code).toBe(0);
  expect(readFileSync(join(dir, 'gradspec-impl.ts'), 'utf8')).toContain('createImplementation');
});

test.each([
  [['pyhton'], "gradspec init: 'pyhton' is not a starter; pass ts, python, node (did you mean python?)\n"],
  [['ts', 'node'], 'gradspec init: one language at a time, got ts node\n'],
  [['--forse'], 'gradspec init: unknown option --forse; did you mean --force? (gradspec init --help lists the options)\n'],
  [['--dir'], 'gradspec init: --dir needs a value, e.g. --dir my-impl (gradspec init --help lists the options)\n'],
  [['--force=yes'], 'gradspec init: --force takes no value: write --force alone (gradspec init --help lists the options)\n'],
  [['--dir', ''], 'gradspec init: --dir needs a folder\n'],
  [['ts', '--dir', '/dev/null/x'], /^gradspec init: cannot write \/dev\/null\/x: ENOTDIR/],
])('%j is a usage error of one line, exit 2, nothing written', (args, message) => {
  const out = init(args);
  expect(out).toMatchObject({ code: 2, stdout: '' });
  expect(out.stderr).toMatch(typeof message === 'string' ? new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : message);
});

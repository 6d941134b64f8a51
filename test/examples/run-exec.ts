// Runs a protocol program through the real CLI (`gradspec run --exec`) and reads its JSON report; shared by the
// example tests of `npm test` and of `npm run test:corpus`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'gradspec.js');
export const CHILD_TIMEOUT_MS = 60_000;

export interface Summary {
  pass: number;
  fail: number;
  error: number;
  notRun: number;
}

/** Runs `gradspec run --exec <command> <args>` and returns its JSON report's summary. */
export function runExec(command: string, args: string[], timeout = CHILD_TIMEOUT_MS): Summary {
  const report = join(mkdtempSync(join(tmpdir(), 'gradspec-examples-')), 'report.json');
  const run = spawnSync(process.execPath, [CLI, 'run', '--exec', command, ...args, '--reporter', `json=${report}`], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout,
  });
  if (run.status !== 0) throw new Error(`gradspec run --exec "${command}" exited ${run.status}:\n${run.stdout}\n${run.stderr}`);
  return (JSON.parse(readFileSync(report, 'utf8')) as { summary: Summary }).summary;
}
let probe: { python: boolean; numpy: boolean } | undefined;

/** Why this test cannot run here (no python3, or no NumPy when `numpy`), printed, or undefined.
 *  One probe serves every test; it runs inside the first test that asks, never at module load. */
export function missingPython(numpy = false): string | undefined {
  probe ??= (() => {
    const run = spawnSync('python3', ['-c', 'import importlib.util; print(importlib.util.find_spec("numpy") is not None)'], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    return { python: run.status === 0, numpy: run.status === 0 && run.stdout.trim() === 'True' };
  })();
  const reason = !probe.python ? 'python3 is not on PATH' : numpy && !probe.numpy ? 'python3 -c "import numpy" fails' : undefined;
  if (reason) console.warn(`skipped: ${reason}`);
  return reason;
}


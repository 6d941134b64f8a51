// Runs a protocol program (`gradspec run --exec`; the program is the only child) or a module (`--impl`) through the
// CLI's own code, in this process, and reads its JSON report; shared by the example tests of `npm test` and of `npm run test:corpus`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '../../conformance/cli/run-command';

const ROOT = join(__dirname, '..', '..');
export const CHILD_TIMEOUT_MS = 60_000;

export interface Summary {
  pass: number;
  fail: number;
  error: number;
  notRun: number;
}

/** Runs `gradspec run --exec <command> <args>` and returns its JSON report's summary; throws on a non-zero exit. */
export function runExec(command: string, args: string[]): Promise<Summary> {
  return runSummary(['--exec', command, ...args]);
}

/** Runs `gradspec run --impl <module> <args>` (the module is loaded in this process) and returns its summary. */
export function runModule(module: string, args: string[]): Promise<Summary> {
  return runSummary(['--impl', module, ...args]);
}

async function runSummary(args: string[]): Promise<Summary> {
  const dir = mkdtempSync(join(tmpdir(), 'gradspec-examples-'));
  try {
    const report = join(dir, 'report.json');
    let output = '';
    const io = { write: (text: string) => (output += text) };
    const code = await runCommand([...args, '--reporter', 'console', '--reporter', `json=${report}`], { stdout: io, stderr: io, cwd: ROOT, tty: false });
    if (code !== 0) throw new Error(`gradspec run ${args.join(' ')} exited ${code}:\n${output}`);
    return (JSON.parse(readFileSync(report, 'utf8')) as { summary: Summary }).summary;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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


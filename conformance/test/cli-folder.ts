// What the CLI tests share: the implementations they run, tiny plain-JS relu modules (right, with
// the seed tutorial's ReLU'(0) = 1 bug, slow, hanging, broken on load) in a temporary folder made in
// beforeAll (never at module load), and what a command run gives back.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '../cli/run-command';
import { loadFixtures } from '../loader';

/** For a test that starts a child process: node + tsx start-up is slow on a busy machine. */
export const CHILD_TIMEOUT_MS = 60_000;

/** What a run of the command gives back. */
export interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** runCommand in this process with `cwd` as its folder, capturing its output. */
export async function runInProcess(cwd: string, args: readonly string[]): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  const code = await runCommand(args, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd, tty: false });
  return { code, stdout, stderr };
}

export interface CliFolder {
  dir: string;
  /** The relu case ids, in run order. */
  reluIds: string[];
  good: string;
  broken: string;
  /** Slow, and writes 'started <id>' to stderr as each case begins. */
  slow: string;
  /** Writes a file into the folder; returns its path. */
  file(name: string, text: string): string;
  remove(): void;
}

/** The folder for this test file: filled in by beforeAll, removed by afterAll; read it inside tests. */
export function useCliFolder(): CliFolder {
  const folder = {} as CliFolder;
  beforeAll(() => {
    Object.assign(folder, makeCliFolder());
  });
  afterAll(() => folder.remove?.());
  return folder;
}

function makeCliFolder(): CliFolder {
  const dir = mkdtempSync(join(tmpdir(), 'gradspec-cli-'));
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  file('no-export.js', 'exports.implementation = {};\n');
  file('throws.js', "throw new Error('cannot find my weights');\n");
  file('hangs.js', "exports.createImplementation = () => ({ name: 'hangs', run: () => new Promise(() => {}) });\n");
  return {
    dir,
    reluIds: loadFixtures({ filter: { ops: ['relu'] } }).fixtures.map((f) => f.id),
    good: file('good.js', reluModule('good.js')),
    broken: file('broken.js', reluModule('broken.js', { derivativeAtZero: 1 })),
    slow: file('slow.js', reluModule('slow.js', { delayMs: 150, announce: true })),
    file,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * A relu module: `derivativeAtZero` 0 is right, 1 is the seed tutorial's bug; `delayMs` makes it slow;
 * `announce` writes 'started <id>' to stderr as each case begins (for the SIGINT test to act on).
 */
function reluModule(name: string, { derivativeAtZero = 0, delayMs = 0, announce = false } = {}): string {
  return `const like = (t, f) => ({ dtype: t.dtype, shape: [...t.shape], data: t.data.map(f) });
exports.createImplementation = () => ({
  name: 'relu.js (${name})',
  ops: ['relu'],
  async run(request) {
    if (${announce}) process.stderr.write('started ' + request.id + '\\n');
    if (${delayMs}) await new Promise((r) => setTimeout(r, ${delayMs}));
    const x = request.inputs.x;
    const reply = { forward: { y: like(x, (v) => (v > 0 ? v : 0)) } };
    const dy = request.grad_output && request.grad_output.y;
    if (dy) {
      reply.grad_inputs = { x: like(x, (v, i) => (v > 0 || (v === 0 && ${derivativeAtZero}) ? dy.data[i] : 0)) };
      reply.grad_params = {};
    }
    return reply;
  },
});
`;
}

// `gradspec run --watch` end to end: the real command in a child process, an --exec program in a
// temporary folder. It reruns after the program's file changes and quits on Ctrl-C with 130,
// leaving no implementation process behind. Each step waits for the command's own words, never a delay.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFixtures } from '../loader';
import { CHILD_TIMEOUT_MS } from './cli-folder';

const ROOT = join(__dirname, '..', '..');
const WATCHING = /\nwatching \S+ for changes; Ctrl-C quits\n/g;

let dir: string;
let child: ChildProcess | undefined;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gradspec-watch-'));
  // The Node starter, which also notes each process it starts in a file outside the watched folder.
  const [shebang, ...rest] = readFileSync(join(ROOT, 'examples', 'starters', 'starter.mjs'), 'utf8').split('\n');
  writeFileSync(join(dir, 'impl.mjs'), [shebang, "import { appendFileSync as notePid } from 'node:fs';", "notePid(process.env.GRADSPEC_TEST_PIDS, `${process.pid}\\n`);", ...rest].join('\n'));
});
afterAll(() => {
  // A test that failed half-way must not leave the watch running.
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

it(
  'reruns when the --exec program changes, and quits on SIGINT with 130 leaving no process behind',
  async () => {
    const pids = join(tmpdir(), `gradspec-watch-pids-${process.pid}.txt`);
    writeFileSync(pids, '');
    const relu = loadFixtures({ filter: { ops: ['relu'] } }).fixtures.length;
    child = spawn(process.execPath, [join(ROOT, 'bin', 'gradspec.js'), 'run', '--exec', 'node impl.mjs', '--op', 'relu', '--watch'], {
      cwd: dir,
      env: { ...process.env, GRADSPEC_TEST_PIDS: pids },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    // Resolves once the command has said 'watching …' `count` times (each run ends with it).
    let waiter: { count: number; done: () => void } | undefined;
    const watching = (count: number): Promise<void> => new Promise((done) => (waiter = { count, done }));
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (waiter && (stdout.match(WATCHING)?.length ?? 0) >= waiter.count) waiter.done();
    });
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((res) => child!.on('close', res));

    await watching(1);
    appendFileSync(join(dir, 'impl.mjs'), '// an edit\n');
    await watching(2);
    child.kill('SIGINT');
    const code = await exited;

    expect(stdout).toContain('\nimpl.mjs changed; running again\n');
    expect(stdout.match(new RegExp(`PASSED: ${relu} of ${relu} cases pass against node starter`, 'g'))).toHaveLength(2);
    expect(stderr).toBe('');
    expect(code).toBe(130);
    const started = readFileSync(pids, 'utf8').trim().split('\n').map(Number);
    rmSync(pids);
    expect(started).toHaveLength(2);
    for (const pid of started) expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
  },
  CHILD_TIMEOUT_MS,
);

// `gradspec run` end to end: exit statuses 0 / 1 / 2 / 130 from the real command (node bin/gradspec.js
// in a child process), and the flag handling and messages in-process. The implementations under test
// are tiny plain-JS relu modules written to a temporary folder. Nothing runs at module load: the folder
// is made in beforeAll, and each spawned test starts its own child with a generous timeout (node + tsx
// start-up is slow on a busy machine; no test asserts how long anything takes).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRunArgs } from '../cli/run-args';
import { runCommand } from '../cli/run-command';
import { loadFixtures } from '../loader';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'gradspec.js');
/** For a test that starts a child process. */
const CHILD_TIMEOUT_MS = 60_000;

let DIR: string;
let RELU_IDS: string[];
let GOOD: string;
let BROKEN: string;
let SLOW: string;

/**
 * A relu module: `derivativeAtZero` 0 is right, 1 is the seed tutorial's bug; `delayMs` makes it slow;
 * `announce` writes 'started <id>' to stderr as each case begins (for the SIGINT test to act on).
 */
function reluModule(name: string, { derivativeAtZero = 0, delayMs = 0, announce = false } = {}): string {
  return file(
    name,
    `const like = (t, f) => ({ dtype: t.dtype, shape: [...t.shape], data: t.data.map(f) });
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
`,
  );
}

function file(name: string, text: string): string {
  const path = join(DIR, name);
  writeFileSync(path, text);
  return path;
}

beforeAll(() => {
  DIR = mkdtempSync(join(tmpdir(), 'gradspec-cli-'));
  RELU_IDS = loadFixtures({ filter: { ops: ['relu'] } }).fixtures.map((f) => f.id);
  GOOD = reluModule('good.js');
  BROKEN = reluModule('broken.js', { derivativeAtZero: 1 });
  SLOW = reluModule('slow.js', { delayMs: 150, announce: true });
  file('no-export.js', 'exports.implementation = {};\n');
  file('throws.js', "throw new Error('cannot find my weights');\n");
  file('hangs.js', "exports.createImplementation = () => ({ name: 'hangs', run: () => new Promise(() => {}) });\n");
});

afterAll(() => {
  if (DIR) rmSync(DIR, { recursive: true, force: true });
});

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real command; `onStderr` may act on the child (e.g. send a signal) as lines arrive. */
function gradspec(args: string[], onStderr?: (text: string, kill: (s: NodeJS.Signals) => void) => void): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      onStderr?.(stderr, (s) => child.kill(s));
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** runCommand in this process, capturing its output. */
async function inProcess(args: string[]): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  const code = await runCommand(args, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd: DIR, tty: false });
  return { code, stdout, stderr };
}

describe('gradspec (spawned)', () => {
  it(
    'exits 0 when every case passes',
    async () => {
      const { code, stdout, stderr } = await gradspec(['run', '--impl', GOOD, '--op', 'relu']);
      expect(stderr).not.toMatch(/error/i);
      expect(stdout).toMatch(new RegExp(`PASSED: ${RELU_IDS.length} of ${RELU_IDS.length} cases pass against relu\\.js \\(good\\.js\\)`));
      expect(code).toBe(0);
    },
    CHILD_TIMEOUT_MS,
  );

  it(
    'exits 1 on a failing case, printing the failure with a repro command and writing the reports',
    async () => {
      const reportJson = join(DIR, 'reports', 'broken.json');
      const reportXml = join(DIR, 'reports', 'broken.xml');
      const args = ['run', '--impl', BROKEN, '--op', 'relu', '--reporter', 'console', '--reporter', `json=${reportJson}`, '--reporter', `junit=${reportXml}`];
      const { code, stdout } = await gradspec(args);
      expect(stdout).toMatch(/FAIL relu\/grad-at-zero\n {2}relu\/grad-at-zero \[backward\] dx\[[\d,]+\] = .*hint: ReLU'\(0\) must be 0/);
      expect(stdout).toContain(`repro: npx gradspec run --impl ${BROKEN} --id 'relu/grad-at-zero'`);
      expect(stdout).toMatch(/\nFAILED: \d+ fail against relu\.js \(broken\.js\)\n$/);
      const report = JSON.parse(readFileSync(reportJson, 'utf8'));
      expect(report.summary.fail).toBeGreaterThan(0);
      expect(report.cases).toHaveLength(RELU_IDS.length);
      expect(readFileSync(reportXml, 'utf8')).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites /);
      expect(code).toBe(1);
    },
    CHILD_TIMEOUT_MS,
  );

  it(
    'exits 1 when an implementation never answers (a bare pending promise holds no handle of its own)',
    async () => {
      const { code, stdout } = await gradspec(['run', '--impl', join(DIR, 'hangs.js'), '--id', RELU_IDS[0]!, '--timeout', '100']);
      expect(stdout).toContain(`${RELU_IDS[0]} [error] no reply within 100 ms`);
      expect(stdout).toMatch(/\nFAILED: 1 error against hangs\n$/);
      expect(code).toBe(1);
    },
    CHILD_TIMEOUT_MS,
  );

  it(
    'exits 2 on an unknown flag, with one sentence and the usage',
    async () => {
      const { code, stdout, stderr } = await gradspec(['run', '--frobnicate']);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/^gradspec run: unknown option --frobnicate: pass one of the options listed below\n\nUsage: gradspec run \[options\]/);
      expect(code).toBe(2);
    },
    CHILD_TIMEOUT_MS,
  );

  it(
    '--help lists the subcommands',
    async () => {
      const { code, stdout } = await gradspec(['--help']);
      expect(stdout).toMatch(/Usage: gradspec <command>[\s\S]*\n {2}run {5}[\s\S]*\n {2}train {3}/);
      expect(code).toBe(0);
    },
    CHILD_TIMEOUT_MS,
  );

  it(
    'on SIGINT stops after the case in flight, writes the reports with what is known and exits 130',
    async () => {
      const interruptedJson = join(DIR, 'reports', 'interrupted.json');
      let sigintSent = false;
      const args = ['run', '--impl', SLOW, '--op', 'relu', '--reporter', 'console', '--reporter', `json=${interruptedJson}`];
      const { code, stdout, stderr } = await gradspec(args, (text, kill) => {
        if (!sigintSent && text.includes(`started ${RELU_IDS[2]}`)) {
          sigintSent = true;
          kill('SIGINT');
        }
      });
      expect(sigintSent).toBe(true);
      expect(stderr).toContain('SIGINT received; stopping after the case in flight');
      expect(stdout).toMatch(/\nINTERRUPTED after \d+ of \d+ cases; \d+ not run\n$/);
      const report = JSON.parse(readFileSync(interruptedJson, 'utf8'));
      expect(report.interrupted).toBe(true);
      expect(report.summary.pass).toBeGreaterThanOrEqual(2);
      expect(report.summary.notRun).toBeGreaterThanOrEqual(1);
      expect(report.summary.pass + report.summary.notRun).toBe(RELU_IDS.length);
      expect(report.cases.slice(0, 2).map((c: { id: string; status: string }) => [c.id, c.status])).toEqual([
        [RELU_IDS[0], 'pass'],
        [RELU_IDS[1], 'pass'],
      ]);
      expect(code).toBe(130);
    },
    CHILD_TIMEOUT_MS,
  );
});

describe('gradspec run (in-process)', () => {
  it('--list prints the matching case ids', async () => {
    const { code, stdout } = await inProcess(['--list', '--op', 'relu', '--id', '*/grad-*']);
    expect(stdout.trim().split('\n')).toEqual(RELU_IDS.filter((id) => id.startsWith('relu/grad-')));
    expect(code).toBe(0);
  });

  it('--bail stops after the first failure; the rest are not run', async () => {
    const { code, stdout } = await inProcess(['--impl', BROKEN, '--op', 'relu', '--bail']);
    expect(stdout).toMatch(/NOT RUN \d+ cases \(relu\/[\w-]+, …\): the run stopped after the first failing case, relu\/[\w-]+ \(bail\)/);
    expect(stdout).toMatch(/FAILED: 1 fail against relu\.js \(broken\.js\) \(stopped after relu\/[\w-]+: bail\)/);
    expect(code).toBe(1);
  });

  it('xfail entries for the failing cases make the run pass; one that matches nothing is a warning', async () => {
    const expectations = file('broken.txt', '# relu.js has the tutorial bug\nxfail relu/grad-at-zero  # ReLU\'(0) = 1 on purpose\nxfail relu/negative-zero # same\nxfail relu/nothing-like-this # stale\n');
    const { code, stdout } = await inProcess(['--impl', BROKEN, '--op', 'relu', '--expectations', expectations]);
    expect(stdout).toMatch(/\nwarning: \S*broken\.txt:4: `xfail relu\/nothing-like-this` matches no case; remove or fix the entry\n/);
    expect(stdout).toMatch(/PASSED: \d+ of \d+ cases pass against relu\.js \(broken\.js\); 2 xfail/);
    expect(code).toBe(0);
  });

  it('an xfail case that passes (xpass) fails the run', async () => {
    const expectations = file('stale.txt', "xfail relu/grad-at-zero  # ReLU'(0) was 1 once\n");
    const { code, stdout } = await inProcess(['--impl', GOOD, '--op', 'relu', '--expectations', expectations]);
    expect(stdout).toMatch(/XPASS relu\/grad-at-zero\n {2}relu\/grad-at-zero \[xpass\] passed, but \S*stale\.txt:1 expects it to fail/);
    expect(code).toBe(1);
  });

  it('unsupported ops are not run, and do not fail the run', async () => {
    const { code, stdout } = await inProcess(['--impl', GOOD, '--op', 'relu', '--op', 'softmax', '--reporter', 'console']);
    expect(stdout).toMatch(/NOT RUN \d+ cases \(softmax\/[\w-]+, …\): op 'softmax' is not among the ops relu\.js \(good\.js\) supports \(relu\)/);
    expect(code).toBe(0);
  });

  it.each([
    [['--impl', 'reference', '--exec', 'python3 x.py'], /--impl and --exec cannot be combined/],
    [['--timeout', '10s'], /--timeout '10s' is not a duration: pass a positive whole number of milliseconds/],
    [['--timeout'], /--timeout needs a value, e.g\. --timeout 30000/],
    [['--bail=yes'], /--bail takes no value/],
    [['--op', 'relux'], /--op 'relux' is not an op; pass one of matmul, linear, relu/],
    [['--feature', 'huge'], /--feature 'huge' is not a feature; pass one of float64, float32/],
    [['--reporter', 'tap'], /--reporter 'tap' is not a reporter: pass console, json, junit, json=<path> or junit=<path>/],
    [['--reporter', 'console=out.txt'], /--reporter console prints to stdout and takes no path/],
    [['relu'], /unexpected argument 'relu': every value follows its option/],
    [['--fixtures', 'no-such-dir'], /--fixtures .*no-such-dir: no such folder/],
    [['--id', 'nope/*'], /no case in .* matches the filters; run with --list/],
  ])('exits 2 on %j', async (args, message) => {
    const { code, stderr } = await inProcess(args);
    expect(stderr).toMatch(message);
    expect(stderr).toContain('Usage: gradspec run [options]');
    expect(code).toBe(2);
  });

  it('exits 2 naming file:line when the expectations file is malformed', async () => {
    const bad = file('bad.txt', '\nxfail relu/*\n');
    const { code, stderr } = await inProcess(['--expectations', bad]);
    expect(stderr).toMatch(/^gradspec run: --expectations: \S*bad\.txt:2: 'xfail relu\/\*' has no reason/);
    expect(code).toBe(2);
  });

  // Module paths relative to DIR, where inProcess runs.
  it.each([
    ['missing.js', /^gradspec run: --impl missing\.js: no such file .*; pass --impl reference, --impl tfjs, or the path of a JS\/TS module that exports createImplementation\(\) \(see conformance\/implementation\.ts\)$/m],
    ['no-export.js', /--impl .*no-export\.js does not export createImplementation; export createImplementation\(\): Implementation \| Promise<Implementation>/],
    ['throws.js', /--impl .*throws\.js could not be loaded \(cannot find my weights\); the module must load on its own and export createImplementation/],
  ])('exits 2 with one sentence when --impl %s cannot start', async (impl, message) => {
    const { code, stdout, stderr } = await inProcess(['--impl', impl, '--op', 'relu']);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stdout).toBe('');
    expect(code).toBe(2);
  });

  it(
    'exits 2 when the --exec command does not start an implementation',
    async () => {
      const { code, stderr } = await inProcess(['--exec', `${JSON.stringify(process.execPath)} -e "process.exit(3)"`, '--op', 'relu']);
      expect(stderr).toMatch(/^gradspec run: --exec .* did not start an implementation: it exited with (code|status) 3/);
      expect(code).toBe(2);
    },
    CHILD_TIMEOUT_MS,
  );

  it('defaults: the reference, every fixture, the console reporter, json/junit report paths', () => {
    const s = parseRunArgs(['--reporter', 'json', '--reporter', 'junit=out/j.xml', '--save-only-failed'], '/w');
    expect(s).toMatchObject({ impl: 'reference', timeoutMs: 10_000, onlyFailed: true, filtered: false });
    expect(s.reporters).toEqual([
      { name: 'json', path: '/w/reports/gradspec.json' },
      { name: 'junit', path: '/w/out/j.xml' },
    ]);
    expect(parseRunArgs([], '/w').reporters).toEqual([{ name: 'console' }]);
    expect(existsSync(s.fixtures)).toBe(true);
  });
});

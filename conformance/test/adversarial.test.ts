// Issue 12, adversarially: hostile --impl modules and hostile --exec children, one or more per item
// fixed, each run through the whole command in this process. Every run must end with a verdict that
// is not a pass, its reports written, and nothing left behind: no worker thread, no child process.
// No timing is asserted; the timeouts are generous for a loaded machine.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { liveWorkerCount } from '../cli/worker-implementation';
import { CHILD_TIMEOUT_MS, runInProcess, useCliFolder, type Outcome } from './cli-folder';

const cli = useCliFolder();
const TEST_TIMEOUT_MS = 30_000;

interface Report {
  succeeded: boolean;
  runError: string | null;
  cases: { id: string; status: string; message: string }[];
}

async function run(args: string[], name: string): Promise<Outcome & { report: Report }> {
  const json = join(cli.dir, `${name}.json`);
  const outcome = await runInProcess(cli.dir, [...args, '--reporter', 'console', '--reporter', `json=${json}`]);
  expect(existsSync(json)).toBe(true);
  return { ...outcome, report: JSON.parse(readFileSync(json, 'utf8')) as Report };
}

/** A relu module whose run() does `body` for the case relu/readable-2x3 and answers right otherwise. */
function hostile(name: string, body: string, atLoad = ''): string {
  return cli.file(
    name,
    `${atLoad}
const good = require(${JSON.stringify(cli.good)}).createImplementation();
exports.createImplementation = () => ({
  name: '${name}',
  ops: ['relu'],
  async run(request) {
    if (request.id === 'relu/readable-2x3') { ${body} }
    return good.run(request);
  },
});
`,
  );
}

async function noWorkerLeft(): Promise<void> {
  for (let i = 0; i < 200 && liveWorkerCount() > 0; i++) await new Promise((r) => setTimeout(r, 50));
  expect(liveWorkerCount()).toBe(0);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

afterEach(noWorkerLeft, TEST_TIMEOUT_MS);

const ids = ['--id', 'relu/readable-2x3', '--id', 'relu/random-1x1'];
// The per-case timeout when a run has a good case beside the hostile one: the good case is a fresh worker's first
// call, which took over 500 ms on a loaded machine (load 8–10, jest's two workers beside it) and errored.
const CASE_TIMEOUT_MS = 2_500;

describe('hostile --impl modules (run in a worker thread)', () => {
  it.each([
    ['item 1: a promise that never settles', 'await new Promise(() => {});', new RegExp(`no reply within ${CASE_TIMEOUT_MS} ms`)],
    ['item 2: process.exit(0) in run()', 'process.exit(0);', /ended its thread during this case \(exit code 0/],
    ['item 2: process.exit(3) in run()', 'process.exit(3);', /ended its thread during this case \(exit code 3/],
    ['item 7: a synchronous infinite loop', 'for (;;) {}', new RegExp(`no reply within ${CASE_TIMEOUT_MS} ms`)],
    ['item 7: an unhandled rejection', "Promise.reject(new Error('nobody awaits me')); await new Promise(() => {});", /threw outside run\(\) while this case ran \(nobody awaits me\)/],
    ['item 7: a throw from a timer', "setTimeout(() => { throw new Error('late boom'); }, 0); await new Promise(() => {});", /threw outside run\(\) while this case ran \(late boom\)/],
  ])(
    '%s: the case errors, the other case is judged, the reports are written',
    async (name, body, why) => {
      const impl = hostile(`${name.replace(/\W+/g, '-')}.js`, body);
      const { code, report, stdout } = await run(['--impl', impl, ...ids, '--timeout', String(CASE_TIMEOUT_MS)], name.replace(/\W+/g, '-'));
      const bad = report.cases.find((c) => c.id === 'relu/readable-2x3');
      expect(bad?.status).toBe('error');
      expect(bad?.message).toMatch(why);
      expect(report.cases.find((c) => c.id === 'relu/random-1x1')).toMatchObject({ status: 'pass' });
      expect(report.succeeded).toBe(false);
      expect(stdout).toMatch(/FAILED: 1 error/);
      expect(code).toBe(1);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'item 7: a throw scheduled just before the reply is attributed to that case',
    async () => {
      const impl = hostile('late-after-reply.js', "setTimeout(() => { throw new Error('after the fact'); }, 0); return good.run(request);");
      const { code, report } = await run(['--impl', impl, ...ids, '--timeout', '5000'], 'late-after-reply');
      const bad = report.cases.find((c) => c.id === 'relu/readable-2x3');
      expect(bad?.status).toBe('error');
      expect(bad?.message).toMatch(/threw outside run\(\) while this case ran \(after the fact\)/);
      expect(report.cases.find((c) => c.id === 'relu/random-1x1')).toMatchObject({ status: 'pass' });
      expect(code).toBe(1);
    },
    TEST_TIMEOUT_MS,
  );

  it.each([
    ['writes into grad_output', 'request.grad_output.y.data[0] = 42;', /grad_output\.y/],
    ['swaps inputs.x for an equal copy', 'request.inputs.x = { ...request.inputs.x, data: Float64Array.from(request.inputs.x.data) };', /replaced/],
  ])(
    'a module that %s in its thread fails the case as a mutation',
    async (name, body, why) => {
      const impl = hostile(`mutates-${name.replace(/\W+/g, '-')}.js`, `const reply = await good.run(request); ${body} return reply;`);
      const { code, report } = await run(['--impl', impl, ...ids, '--timeout', '5000'], `mutates-${name.replace(/\W+/g, '-')}`);
      const bad = report.cases.find((c) => c.id === 'relu/readable-2x3');
      expect(bad?.status).toBe('fail');
      expect(bad?.message).toMatch(/mutat/);
      expect(bad?.message).toMatch(why);
      expect(report.cases.find((c) => c.id === 'relu/random-1x1')).toMatchObject({ status: 'pass' });
      expect(code).toBe(1);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'item 7: a throw after the last reply fails the run, and the reports say why',
    async () => {
      // The throw comes 1 s after the last reply, long after the reply's own turn, and while the runner closes the
      // module (its close() waits up to 5 s), so it is seen whether it fires before or during the close.
      const impl = cli.file(
        'throws-after-last.js',
        `const good = require(${JSON.stringify(cli.good)}).createImplementation();
exports.createImplementation = () => ({
  name: 'throws-after-last', ops: ['relu'],
  async run(request) {
    if (request.id === 'relu/readable-2x3') setTimeout(() => { throw new Error('late after the last case'); }, 1000);
    return good.run(request);
  },
  close: () => new Promise((resolve) => setTimeout(resolve, 5000)),
});
`,
      );
      const { code, report } = await run(['--impl', impl, ...ids, '--timeout', '5000'], 'throws-after-last');
      expect(report.cases.map((c) => c.status)).toEqual(['pass', 'pass']);
      expect(report.succeeded).toBe(false);
      expect(report.runError).toMatch(/failed after its last case: the module threw after relu\/readable-2x3 had finished: late after the last case/);
      expect(code).toBe(1);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'item 2: process.exit(0) while loading is a startup error, with the reports written',
    async () => {
      const impl = hostile('exit-at-load.js', '', 'process.exit(0);');
      const { code, report } = await run(['--impl', impl, ...ids], 'exit-at-load');
      expect(report.runError).toMatch(/the implementation could not start: .*ended its thread while loading \(exit code 0/);
      expect(code).toBe(2);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "item 5: ops: ['Relu'] does not start; ops: [] judges nothing",
    async () => {
      const wrong = cli.file('wrong-name.js', "exports.createImplementation = () => ({ name: 'w', ops: ['Relu'], run: async () => ({ forward: {} }) });\n");
      const first = await run(['--impl', wrong, ...ids], 'wrong-name');
      expect(first.stderr).toMatch(/"Relu" \(did you mean relu\?\)/);
      expect(first.code).toBe(2);
      const none = cli.file('none.js', "exports.createImplementation = () => ({ name: 'n', ops: [], run: async () => ({ forward: {} }) });\n");
      const second = await run(['--impl', none, ...ids], 'none');
      expect(second.report.runError).toMatch(/no case was judged/);
      expect(second.code).toBe(1);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'item 14: a module that refuses everything judged nothing',
    async () => {
      const impl = hostile('refuser.js', "throw Object.assign(new Error('no'), { kind: 'refused' });");
      const { code, report } = await run(['--impl', impl, '--id', 'relu/readable-2x3'], 'refuser');
      expect(report.cases.map((c) => c.status)).toEqual(['refused']);
      expect(code).toBe(1);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('Ctrl-C against a module stuck in a synchronous loop (the real command)', () => {
  it(
    'item 7: SIGINT still stops the run, writes the reports and exits 130',
    async () => {
      const impl = hostile('spin-announced.js', "process.stderr.write('spinning\\n'); for (;;) {}");
      const json = join(cli.dir, 'spin-interrupted.json');
      const bin = join(__dirname, '..', '..', 'bin', 'gradspec.js');
      const child = spawn(process.execPath, [bin, 'run', '--impl', impl, '--id', 'relu/readable-2x3', '--timeout', '600000', '--reporter', `json=${json}`], { cwd: cli.dir, stdio: ['ignore', 'pipe', 'pipe'] });
      try {
        let stderr = '';
        let sent = false;
        child.stdout.resume();
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
          if (!sent && stderr.includes('spinning')) {
            sent = true;
            child.kill('SIGINT');
          }
        });
        const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
        expect(sent).toBe(true);
        expect(code).toBe(130);
        const report = JSON.parse(readFileSync(json, 'utf8')) as { interrupted: boolean; cases: { status: string }[] };
        expect(report.interrupted).toBe(true);
        expect(report.cases.map((c) => c.status)).toEqual(['not-run']);
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
    },
    CHILD_TIMEOUT_MS,
  );
});

describe('hostile --exec children', () => {
  /** A child that writes its pid to `pidFile`, answers the handshake, then does `onRun` for every case. */
  function child(name: string, onRun: string): { command: string; pidFile: string } {
    const pidFile = join(cli.dir, `${name}.pid`);
    const file = cli.file(
      `${name}.js`,
      `require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid));
const send = (o) => process.stdout.write(JSON.stringify(o) + '\\n');
require('node:readline').createInterface({ input: process.stdin }).on('line', (line) => {
  const m = JSON.parse(line);
  if (m.type === 'hello') send({ type: 'hello', protocol: m.protocol, implementation: '${name}', ops: ['relu'], dtypes: ['float64', 'float32'] });
  else if (m.type === 'run') { ${onRun} }
  else if (m.type === 'bye') process.exit(0);
});
`,
    );
    return { command: `${JSON.stringify(process.execPath)} ${JSON.stringify(file)}`, pidFile };
  }

  it(
    'item 14: an error reply is refused; the child is gone afterwards',
    async () => {
      const { command, pidFile } = child('declines', "send({ type: 'error', id: m.id, message: 'not today' });");
      const { code, report } = await run(['--exec', command, '--id', 'relu/readable-2x3'], 'declines');
      expect(report.cases.map((c) => c.status)).toEqual(['refused']);
      expect(code).toBe(1);
      expect(alive(Number(readFileSync(pidFile, 'utf8')))).toBe(false);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'item 7 over --exec: a child stuck in a loop is killed, the case errors, nothing is left behind',
    async () => {
      const { command, pidFile } = child('spins', 'for (;;) {}');
      const { code, report } = await run(['--exec', command, '--id', 'relu/readable-2x3', '--timeout', '500'], 'spins');
      expect(report.cases.map((c) => c.status)).toEqual(['error']);
      expect(code).toBe(1);
      const pid = Number(readFileSync(pidFile, 'utf8'));
      for (let i = 0; i < 200 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
      expect(alive(pid)).toBe(false);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'item 9: a restart handshake slower than the case timeout (but within the startup limit) does not fail the case',
    async () => {
      // The child answers relu correctly and exits after each reply; every start after the first waits 4.5 s
      // before its hello, longer than --timeout 2000 (+ 2 s), so only a restart with its own timer passes.
      const marker = join(cli.dir, 'slow-restart.started');
      child(
        'slow-restart',
        `const x = m.inputs.x, dy = m.grad_output.y;
  send({ type: 'result', id: m.id,
    forward: { y: { ...x, data: x.data.map((v) => Math.max(0, v)) } },
    grad_inputs: { x: { ...x, data: x.data.map((v, i) => (v > 0 ? dy.data[i] : 0)) } }, grad_params: {}, params: {} });
  process.exit(0);`,
      );
      const delayed = cli.file(
        'slow-restart-wrapper.js',
        `const fs = require('node:fs');
const first = !fs.existsSync(${JSON.stringify(marker)});
fs.writeFileSync(${JSON.stringify(marker)}, '');
setTimeout(() => require(${JSON.stringify(join(cli.dir, 'slow-restart.js'))}), first ? 0 : 4500);
`,
      );
      const { code, report } = await run(['--exec', `${JSON.stringify(process.execPath)} ${JSON.stringify(delayed)}`, ...ids, '--timeout', '2000'], 'slow-restart');
      expect(report.cases.map((c) => `${c.id}: ${c.status}`)).toEqual(['relu/random-1x1: pass', 'relu/readable-2x3: pass']);
      expect(code).toBe(0);
    },
    TEST_TIMEOUT_MS,
  );

  it('item 10: --timeout 2^31 with --exec is a usage error; no child is started', async () => {
    const { command, pidFile } = child('never-started', '');
    const { code, stderr } = await runInProcess(cli.dir, ['--exec', command, '--timeout', String(2 ** 31)]);
    expect(stderr).toMatch(/--timeout 2147483648 is over the limit/);
    expect(code).toBe(2);
    expect(existsSync(pidFile)).toBe(false);
  });
});

// `gradspec run` end to end: exit statuses 0 / 1 / 2 / 130 from the real command (node bin/gradspec.js
// in a child process). Nothing runs at module load; each test starts its own child with a generous
// timeout (node + tsx start-up is slow on a busy machine) and none asserts how long anything takes.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHILD_TIMEOUT_MS, useCliFolder, type Outcome } from './cli-folder';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'gradspec.js');
const cli = useCliFolder();

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

describe('gradspec (spawned)', () => {
  it(
    'exits 0 when every case passes',
    async () => {
      const { code, stdout, stderr } = await gradspec(['run', '--impl', cli.good, '--op', 'relu']);
      expect(stderr).not.toMatch(/error/i);
      expect(stdout).toMatch(new RegExp(`PASSED: ${cli.reluIds.length} of ${cli.reluIds.length} cases pass against relu\\.js \\(good\\.js\\)`));
      expect(code).toBe(0);
    },
    CHILD_TIMEOUT_MS,
  );

  it(
    'exits 1 on a failing case, printing the failure with a repro command and writing the reports',
    async () => {
      const reportJson = join(cli.dir, 'reports', 'broken.json');
      const reportXml = join(cli.dir, 'reports', 'broken.xml');
      const args = ['run', '--impl', cli.broken, '--op', 'relu', '--reporter', 'console', '--reporter', `json=${reportJson}`, '--reporter', `junit=${reportXml}`];
      const { code, stdout } = await gradspec(args);
      expect(stdout).toMatch(/FAIL relu\/grad-at-zero\n {2}relu\/grad-at-zero \[backward\] grad_inputs\.x \(dx\)\[[\d,]+\] = .*hint: ReLU'\(0\) must be 0.*; rule: spec\/ops\/relu\.md#b2\n/);
      expect(stdout).toContain(`repro: npx gradspec run --impl ${cli.broken} --id 'relu/grad-at-zero'`);
      expect(stdout).toMatch(/\nFAILED: \d+ fail against relu\.js \(broken\.js\)\n$/);
      const report = JSON.parse(readFileSync(reportJson, 'utf8'));
      expect(report.summary.fail).toBeGreaterThan(0);
      expect(report.cases).toHaveLength(cli.reluIds.length);
      expect(readFileSync(reportXml, 'utf8')).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites /);
      expect(code).toBe(1);
    },
    CHILD_TIMEOUT_MS,
  );

  it(
    'exits 1 when an implementation never answers (a bare pending promise holds no handle of its own)',
    async () => {
      const { code, stdout } = await gradspec(['run', '--impl', join(cli.dir, 'hangs.js'), '--id', cli.reluIds[0]!, '--timeout', '100']);
      expect(stdout).toContain(`${cli.reluIds[0]} [error] no reply within 100 ms`);
      expect(stdout).toMatch(/\nFAILED: 1 error against hangs\n$/);
      expect(code).toBe(1);
    },
    CHILD_TIMEOUT_MS,
  );

  it(
    'exits 2 on an unknown flag, with one sentence and where the usage is',
    async () => {
      const { code, stdout, stderr } = await gradspec(['run', '--frobnicate']);
      expect(stdout).toBe('');
      expect(stderr).toBe('gradspec run: unknown option --frobnicate\nrun `gradspec run --help` for usage\n');
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
      const interruptedJson = join(cli.dir, 'reports', 'interrupted.json');
      let sigintSent = false;
      const args = ['run', '--impl', cli.slow, '--op', 'relu', '--reporter', 'console', '--reporter', `json=${interruptedJson}`];
      const { code, stdout, stderr } = await gradspec(args, (text, kill) => {
        if (!sigintSent && text.includes(`started ${cli.reluIds[2]}`)) {
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
      expect(report.summary.pass + report.summary.notRun).toBe(cli.reluIds.length);
      expect(report.cases.slice(0, 2).map((c: { id: string; status: string }) => [c.id, c.status])).toEqual([
        [cli.reluIds[0], 'pass'],
        [cli.reluIds[1], 'pass'],
      ]);
      expect(code).toBe(130);
    },
    CHILD_TIMEOUT_MS,
  );
});

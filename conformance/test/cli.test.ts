// `gradspec run` in-process: the flag handling, the expectations file, startup failures, and their
// messages (the exit statuses from the real command are in cli-spawned.test.ts).
import { existsSync } from 'node:fs';
import { parseRunArgs } from '../cli/run-args';
import { CHILD_TIMEOUT_MS, runInProcess, useCliFolder, type Outcome } from './cli-folder';

const cli = useCliFolder();

const inProcess = (args: string[]): Promise<Outcome> => runInProcess(cli.dir, args);

describe('gradspec run (in-process)', () => {
  it('--list prints the matching case ids', async () => {
    const { code, stdout } = await inProcess(['--list', '--op', 'relu', '--id', '*/grad-*']);
    expect(stdout.trim().split('\n')).toEqual(cli.reluIds.filter((id) => id.startsWith('relu/grad-')));
    expect(code).toBe(0);
  });

  it('--bail stops after the first failure; the rest are not run', async () => {
    const { code, stdout } = await inProcess(['--impl', cli.broken, '--op', 'relu', '--bail']);
    expect(stdout).toMatch(/NOT RUN \d+ cases \(relu\/[\w-]+, …\): the run stopped after the first failing case, relu\/[\w-]+ \(bail\)/);
    expect(stdout).toMatch(/FAILED: 1 fail against relu\.js \(broken\.js\) \(stopped after relu\/[\w-]+: bail\)/);
    expect(code).toBe(1);
  });

  it('xfail entries for the failing cases make the run pass; one that matches nothing is a warning', async () => {
    const expectations = cli.file('broken.txt', '# relu.js has the tutorial bug\nxfail relu/grad-at-zero  # ReLU\'(0) = 1 on purpose\nxfail relu/negative-zero # same\nxfail relu/nothing-like-this # stale\n');
    const { code, stdout } = await inProcess(['--impl', cli.broken, '--op', 'relu', '--expectations', expectations]);
    expect(stdout).toMatch(/\nwarning: \S*broken\.txt:4: `xfail relu\/nothing-like-this` matches no case; remove or fix the entry\n/);
    expect(stdout).toMatch(/PASSED: \d+ of \d+ cases pass against relu\.js \(broken\.js\); 2 xfail/);
    expect(code).toBe(0);
  });

  it('an xfail case that passes (xpass) fails the run', async () => {
    const expectations = cli.file('stale.txt', "xfail relu/grad-at-zero  # ReLU'(0) was 1 once\n");
    const { code, stdout } = await inProcess(['--impl', cli.good, '--op', 'relu', '--expectations', expectations]);
    expect(stdout).toMatch(/XPASS relu\/grad-at-zero\n {2}relu\/grad-at-zero \[xpass\] passed, but \S*stale\.txt:1 expects it to fail/);
    expect(code).toBe(1);
  });

  it('unsupported ops are not run, and do not fail the run', async () => {
    const { code, stdout } = await inProcess(['--impl', cli.good, '--op', 'relu', '--op', 'softmax', '--reporter', 'console']);
    expect(stdout).toMatch(/NOT RUN \d+ cases \(softmax\/[\w-]+, …\): op 'softmax' is not among the ops relu\.js \(good\.js\) supports \(relu\)/);
    expect(code).toBe(0);
  });

  it.each([
    [['--impl', 'reference', '--exec', 'python3 x.py'], /--impl and --exec cannot be combined/],
    [['--timeout', '10s'], /--timeout '10s' is not a duration: pass a positive whole number of milliseconds/],
    [['--timeout'], /--timeout needs a value, e.g\. --timeout 30000/],
    [['--bail=yes'], /--bail takes no value/],
    [['--op', 'relux'], /--op 'relux' is not an op; did you mean --op relu\?$/],
    [['--op', 'qqqqqqq'], /--op 'qqqqqqq' is not an op; pass one of matmul, linear, relu/],
    [['--feature', 'flaot32'], /--feature 'flaot32' is not a feature; did you mean --feature float32\?$/],
    [['--feature', 'huge'], /--feature 'huge' is not a feature; pass one of float64, float32/],
    [['--exclude-feature', 'float6'], /--exclude-feature 'float6' is not a feature; did you mean --exclude-feature float64\?$/],
    [['--feature', 'float64', '--exclude-feature', 'float64'], /--feature float64 and --exclude-feature float64 select nothing together/],
    [['--wach'], /^gradspec run: unknown option --wach; did you mean --watch\?$/],
    [['--frobnicate'], /^gradspec run: unknown option --frobnicate$/],
    [['--watch'], /--watch reruns when your implementation changes: pass it with --impl <path of your module> or --exec/],
    [['--watch', '--exec', 'python3 -m nothing_here'], /--watch cannot tell which folder to watch: --exec "python3 -m nothing_here" names no file here/],
    [['--id', 'relu'], /no case id is exactly 'relu'; did you mean --id 'relu\/\*' or --op relu\?$/],
    [['--id', 'relu/grad-at'], /no case id is exactly 'relu\/grad-at'; did you mean --id 'relu\/grad-at\*'\?$/],
    [['--id', 'relu/negative-zer0'], /no case id is exactly 'relu\/negative-zer0'; did you mean --id 'relu\/negative-zero'\?$/],
    [['--reporter', 'tap'], /--reporter 'tap' is not a reporter: pass console, json, junit, html, json=<path>, junit=<path> or html=<path>/],
    [['--reporter', 'console=out.txt'], /--reporter console prints to stdout and takes no path/],
    [['relu'], /unexpected argument 'relu': every value follows its option/],
    [['--fixtures', 'no-such-dir'], /--fixtures .*no-such-dir: no such folder/],
    [['--id', 'nope/*'], /no case in .* matches the filters; run with --list/],
  ])('exits 2 on %j with the error and where the usage is, two lines', async (args, message) => {
    const { code, stderr } = await inProcess(args);
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(message);
    expect(lines[1]).toBe('run `gradspec run --help` for usage');
    expect(code).toBe(2);
  });

  it('exits 2 naming file:line when the expectations file is malformed', async () => {
    const bad = cli.file('bad.txt', '\nxfail relu/*\n');
    const { code, stderr } = await inProcess(['--expectations', bad]);
    expect(stderr).toMatch(/^gradspec run: --expectations: \S*bad\.txt:2: 'xfail relu\/\*' has no reason/);
    expect(code).toBe(2);
  });

  // Module paths relative to the folder, where inProcess runs.
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

  it('--rule takes op#anchor or the link, repeatable; an unknown op or anchor is a usage error naming what exists', () => {
    const s = parseRunArgs(['--rule', 'linear#b3', '--rule', 'spec/ops/softmax.md#b1'], '/w');
    expect(s.filter.rules).toEqual(['linear#b3', 'softmax#b1']);
    expect(s.filtered).toBe(true);
    expect(() => parseRunArgs(['--rule', 'linear#b9'], '/w')).toThrow("--rule 'linear#b9': spec/ops/linear.md has no rule 'b9'; its rules are f1, f2, b1, b2, b3, b4, u1, u2, u3, u4");
    expect(() => parseRunArgs(['--rule', 'lineer#b3'], '/w')).toThrow(/names op 'lineer', which is not an op; pass one of matmul, linear, /);
    expect(() => parseRunArgs(['--rule', 'b3'], '/w')).toThrow(/is not a rule: pass <op>#<anchor> or its link, e.g. --rule linear#b3/);
  });
});

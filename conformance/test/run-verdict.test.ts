// Issue 12 items 4 and 5: a run that judges nothing, or fewer cases than selected because fixture
// files could not be loaded, is not a success, and every reporter says so (a broken file is an error
// case in the console, JSON and JUnit reports); a module's op names are checked against the registry.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_TIMEOUT_MS, parseRunArgs } from '../cli/run-args';
import { FIXTURES_DIR } from '../loader';
import { runInProcess, useCliFolder, type Outcome } from './cli-folder';

const cli = useCliFolder();

const inProcess = (args: string[]): Promise<Outcome> => runInProcess(cli.dir, args);

/** A fixtures folder with two relu cases, one of them truncated. */
function damagedCorpus(name: string): string {
  const dir = join(cli.dir, name);
  mkdirSync(join(dir, 'relu'), { recursive: true });
  cpSync(join(FIXTURES_DIR, 'relu', 'readable-2x3.json'), join(dir, 'relu', 'readable-2x3.json'));
  const text = readFileSync(join(FIXTURES_DIR, 'relu', 'random-1x1.json'), 'utf8');
  writeFileSync(join(dir, 'relu', 'random-1x1.json'), text.slice(0, Math.floor(text.length / 2)));
  return dir;
}

describe('no false PASS: broken fixtures and runs that judge nothing', () => {
  it('item 4: a truncated fixture is an error case in the console, JSON and JUnit reports, and fails the run', async () => {
    const dir = damagedCorpus('truncated');
    const json = join(cli.dir, 'truncated.json');
    const junit = join(cli.dir, 'truncated.xml');
    const { code, stdout } = await inProcess(['--impl', cli.good, '--fixtures', dir, '--reporter', 'console', '--reporter', `json=${json}`, '--reporter', `junit=${junit}`]);
    expect(stdout).toMatch(/ERROR relu\/random-1x1\n {2}relu\/random-1x1 \[error\] the fixture file could not be used/);
    expect(stdout).toMatch(/FAILED: 1 error/);
    expect(stdout).not.toMatch(/PASSED/);
    const report = JSON.parse(readFileSync(json, 'utf8')) as { summary: { pass: number; error: number }; succeeded: boolean; cases: { id: string; status: string }[] };
    expect(report.summary).toMatchObject({ pass: 1, error: 1 });
    expect(report.succeeded).toBe(false);
    expect(report.cases).toContainEqual(expect.objectContaining({ id: 'relu/random-1x1', status: 'error' }));
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/<testsuites [^>]*tests="2" failures="0" errors="1"/);
    expect(xml).toMatch(/<testcase classname="gradspec\.relu" name="random-1x1"[^>]*>\n {6}<error /);
    expect(code).toBe(1);
  });

  it('item 4: a corpus of only broken files still runs and reports them, exit 1', async () => {
    const dir = damagedCorpus('only-broken');
    const json = join(cli.dir, 'only-broken.json');
    const { code } = await inProcess(['--impl', cli.good, '--fixtures', dir, '--id', 'relu/random-*', '--reporter', `json=${json}`]);
    const report = JSON.parse(readFileSync(json, 'utf8')) as { summary: { error: number }; cases: { status: string }[] };
    expect(report.summary.error).toBe(1);
    expect(report.cases.map((c) => c.status)).toEqual(['error']);
    expect(code).toBe(1);
  });

  it("item 5: a module declaring ops: ['Relu', 'Linear'] does not start, naming them", async () => {
    const impl = cli.file('wrong-case.js', "exports.createImplementation = () => ({ name: 'wrong case', ops: ['Relu', 'Linear'], run: async () => ({ forward: {} }) });\n");
    const { code, stdout, stderr } = await inProcess(['--impl', impl, '--op', 'relu']);
    expect(stderr).toMatch(/declares unknown ops "Relu" \(did you mean relu\?\), "Linear" \(did you mean linear\?\); ops are named as in spec\/ops\.json/);
    expect(stdout).not.toMatch(/PASSED/);
    expect(code).toBe(2);
  });

  it('item 5: ops: [] judges nothing and fails, with the reason in the JSON and JUnit reports', async () => {
    const impl = cli.file('no-ops.js', "exports.createImplementation = () => ({ name: 'no ops', ops: [], run: async () => ({ forward: {} }) });\n");
    const json = join(cli.dir, 'no-ops.json');
    const junit = join(cli.dir, 'no-ops.xml');
    const { code, stdout } = await inProcess(['--impl', impl, '--op', 'relu', '--reporter', 'console', '--reporter', `json=${json}`, '--reporter', `junit=${junit}`]);
    expect(stdout).toMatch(/FAILED: no case was judged/);
    expect(stdout).not.toMatch(/PASSED/);
    const report = JSON.parse(readFileSync(json, 'utf8')) as { succeeded: boolean; runError: string | null };
    expect(report.succeeded).toBe(false);
    expect(report.runError).toMatch(/no case was judged/);
    expect(readFileSync(junit, 'utf8')).toMatch(/<testcase classname="gradspec" name="run"[^>]*>\n {6}<error message="no case was judged/);
    expect(code).toBe(1);
  });

  it('item 5: skip ** judges nothing and fails', async () => {
    const expectations = cli.file('skip-all.txt', 'skip **  # everything\n');
    const { code, stdout } = await inProcess(['--impl', cli.good, '--op', 'relu', '--expectations', expectations]);
    expect(stdout).toMatch(/FAILED: no case was judged \(\d+ selected: \d+ skip\)/);
    expect(code).toBe(1);
  });
});

describe('item 10: --timeout range', () => {
  it.each(['99999999999', String(2 ** 31), String(2 ** 31 - 1)])('--timeout %s is a usage error naming the limit', async (value) => {
    const { code, stderr } = await inProcess(['--timeout', value, '--op', 'relu']);
    expect(stderr).toMatch(new RegExp(`--timeout ${value} is over the limit of ${MAX_TIMEOUT_MS} ms .*; pass at most --timeout ${MAX_TIMEOUT_MS}`));
    expect(code).toBe(2);
  });

  it('the limit itself is accepted, and 0 is not', () => {
    expect(parseRunArgs(['--timeout', String(MAX_TIMEOUT_MS)], cli.dir).timeoutMs).toBe(MAX_TIMEOUT_MS);
    expect(parseRunArgs(['--timeout', '1'], cli.dir).timeoutMs).toBe(1);
    expect(() => parseRunArgs(['--timeout', '0'], cli.dir)).toThrow(/positive whole number/);
    // With --exec the case timer is 4 × timeout + 2000 ms (the restart handshake): still a valid Node timer.
    expect(4 * MAX_TIMEOUT_MS + 2000).toBeLessThanOrEqual(2 ** 31 - 1);
  });
});

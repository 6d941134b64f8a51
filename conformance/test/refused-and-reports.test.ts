// Issue 12 items 13 and 14: a declined case is `refused` in every report (it does not fail the run,
// but a run of only refused cases judged nothing); two reports on one path are a usage error; a report
// that cannot be written gets no `report:` line and fails the run; a startup failure still writes the
// JSON and JUnit reports with the reason.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ImplementationError } from '../adapters/implementation-error';
import { loadFixtures } from '../loader';
import { runFixtures, runSucceeded } from '../runner';
import { CHILD_TIMEOUT_MS, runInProcess, useCliFolder, type Outcome } from './cli-folder';

const cli = useCliFolder();

const inProcess = (args: string[]): Promise<Outcome> => runInProcess(cli.dir, args);

/** A relu module that declines the cases whose id contains `refuse` (throws kind 'refused'). */
function refusingModule(name: string, refuse: string): string {
  return cli.file(
    name,
    `const good = require(${JSON.stringify(cli.good)}).createImplementation();
exports.createImplementation = () => ({
  name: '${name}',
  ops: ['relu'],
  async run(request) {
    if (request.id.includes(${JSON.stringify(refuse)})) throw Object.assign(new Error('no negative zero here'), { kind: 'refused' });
    return good.run(request);
  },
});
`,
  );
}

describe('item 14: refused', () => {
  it('an ImplementationError refused (the protocol error reply) is a refused case that does not fail the run', async () => {
    const { fixtures } = loadFixtures({ filter: { ops: ['relu'] } });
    const good = (createRequire(__filename)(cli.good) as { createImplementation(): { run: (r: unknown) => Promise<never> } }).createImplementation();
    const impl = {
      name: 'declines negative-zero',
      run: (r: { id: string }) => (r.id === 'relu/negative-zero' ? Promise.reject(new ImplementationError('refused', 'the implementation declined: no -0 here')) : good.run(r)),
    };
    const run = await runFixtures(impl as never, fixtures);
    const refused = run.cases.find((c) => c.id === 'relu/negative-zero');
    expect(refused).toMatchObject({ status: 'refused', reason: 'declines negative-zero declined the case: no -0 here' });
    expect(run.summary.refused).toBe(1);
    expect(runSucceeded(run)).toBe(true);
  });

  it('a module declining a case: REFUSED in the console, refused in JSON, skipped in JUnit; exit 0', async () => {
    const impl = refusingModule('refuses-one.js', 'negative-zero');
    const json = join(cli.dir, 'refused.json');
    const junit = join(cli.dir, 'refused.xml');
    const { code, stdout } = await inProcess(['--impl', impl, '--op', 'relu', '--reporter', 'console', '--reporter', `json=${json}`, '--reporter', `junit=${junit}`]);
    expect(stdout).toMatch(/REFUSED relu\/negative-zero: refuses-one\.js declined the case: no negative zero here/);
    expect(stdout).toMatch(/PASSED: \d+ of \d+ cases pass against refuses-one\.js; 1 refused/);
    const report = JSON.parse(readFileSync(json, 'utf8')) as { summary: { refused: number }; cases: { id: string; status: string }[] };
    expect(report.summary.refused).toBe(1);
    expect(report.cases).toContainEqual(expect.objectContaining({ id: 'relu/negative-zero', status: 'refused' }));
    expect(readFileSync(junit, 'utf8')).toMatch(/name="negative-zero"[^>]*>\n {6}<skipped message="refused: refuses-one\.js declined the case/);
    expect(code).toBe(0);
  });

  it('a run of only refused cases judged nothing: exit 1', async () => {
    const impl = refusingModule('refuses-all.js', 'relu/');
    const { code, stdout } = await inProcess(['--impl', impl, '--op', 'relu']);
    expect(stdout).toMatch(/FAILED: no case was judged \(\d+ selected: \d+ refused\)/);
    expect(code).toBe(1);
  });

  it(
    'over --exec, an error reply is refused, not error',
    async () => {
      const child = cli.file(
        'declines.js',
        `require('node:readline').createInterface({ input: process.stdin }).on('line', (line) => {
  const m = JSON.parse(line);
  const send = (o) => process.stdout.write(JSON.stringify(o) + '\\n');
  if (m.type === 'hello') send({ type: 'hello', protocol: m.protocol, implementation: 'declines', ops: ['relu'], dtypes: ['float64', 'float32'] });
  else if (m.type === 'run') send({ type: 'error', id: m.id, message: 'not today' });
  else if (m.type === 'bye') process.exit(0);
});
`,
      );
      const json = join(cli.dir, 'exec-refused.json');
      const { code } = await inProcess(['--exec', `${JSON.stringify(process.execPath)} ${JSON.stringify(child)}`, '--id', 'relu/readable-2x3', '--reporter', `json=${json}`]);
      const report = JSON.parse(readFileSync(json, 'utf8')) as { cases: { status: string; reason: string }[] };
      expect(report.cases).toEqual([expect.objectContaining({ status: 'refused', reason: expect.stringMatching(/declined the case: not today/) })]);
      expect(code).toBe(1); // the only case was refused: nothing judged
    },
    CHILD_TIMEOUT_MS,
  );
});

describe('item 13: report files', () => {
  it('json and junit on one path is a usage error', async () => {
    const { code, stderr } = await inProcess(['--reporter', 'json=same.out', '--reporter', 'junit=same.out']);
    expect(stderr).toMatch(/--reporter json and --reporter junit both write \S*same\.out: give each report its own path/);
    expect(code).toBe(2);
  });

  it('a report that cannot be written gets no report: line and fails the run', async () => {
    mkdirSync(join(cli.dir, 'a-folder.json'), { recursive: true });
    const junit = join(cli.dir, 'written.xml');
    const { code, stdout, stderr } = await inProcess(['--impl', cli.good, '--op', 'relu', '--reporter', 'console', '--reporter', 'json=a-folder.json', '--reporter', `junit=${junit}`]);
    expect(stderr).toMatch(/could not write \S*a-folder\.json/);
    expect(stdout).not.toMatch(/report: \S*a-folder\.json/);
    expect(stdout).toMatch(/report: \S*written\.xml/);
    expect(code).toBe(2);
  });

  it('a startup failure still writes the JSON and JUnit reports with the reason', async () => {
    const json = join(cli.dir, 'startup.json');
    const junit = join(cli.dir, 'startup.xml');
    const { code } = await inProcess(['--impl', 'throws.js', '--op', 'relu', '--reporter', `json=${json}`, '--reporter', `junit=${junit}`]);
    const report = JSON.parse(readFileSync(json, 'utf8')) as { succeeded: boolean; runError: string; summary: { notRun: number } };
    expect(report.succeeded).toBe(false);
    expect(report.runError).toMatch(/the implementation could not start: --impl throws\.js could not be loaded \(cannot find my weights\)/);
    expect(report.summary.notRun).toBeGreaterThan(0);
    expect(readFileSync(junit, 'utf8')).toMatch(/<error message="the implementation could not start: --impl throws\.js/);
    expect(code).toBe(2);
  });
});

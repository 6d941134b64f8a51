// `gradspec dashboard`'s inputs: it draws only unedited, complete JSON reports of this fixture corpus,
// and says which file is wrong and what to pass for anything else. In-process; the page itself is
// checked in a browser by dashboard-browser.slow.test.ts (the slow tier).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/gradspec';
import { BROKEN_FIXTURE_SPEC } from '../broken-fixture';
import { readCorpus } from '../dashboard/corpus';
import { dashboardCommand } from '../dashboard/dashboard-command';
import { readReport, ReportError } from '../dashboard/read-report';
import { FIXTURES_DIR, listFixtureFiles } from '../loader';
import { buildJsonReport, serializeJsonReport, type JsonReport } from '../reporters/json';
import type { CaseResult } from '../results';
import { summarize } from '../runner';

const dir = mkdtempSync(join(tmpdir(), 'gradspec-dashboard-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CORPUS = new Map([
  ['relu/grad-at-zero', { spec: 'spec/ops/relu.md#b2', features: ['float64'] }],
  ['relu/random-3x4', { spec: 'spec/ops/relu.md#f1', features: ['float32'] }],
]);

function report(edit: (r: JsonReport) => void = () => {}): JsonReport {
  const cases: CaseResult[] = [
    { id: 'relu/grad-at-zero', op: 'relu', spec: 'spec/ops/relu.md#b2', status: 'pass', durationMs: 1, message: '', failures: [] },
    { id: 'relu/random-3x4', op: 'relu', spec: 'spec/ops/relu.md#f1', status: 'fail', durationMs: 1, message: 'm', failures: [{ stage: 'forward', label: 'y', name: 'y', kind: 'shape', detail: 'd' }] },
  ];
  const r = buildJsonReport({ implementation: { name: 'x' }, started: new Date(0), finished: new Date(1), durationMs: 1, cases, summary: summarize(cases), interrupted: false, unmatchedExpectations: [] });
  edit(r);
  return r;
}

let n = 0;
function file(content: string | JsonReport): string {
  const path = join(dir, `r${n++}.json`);
  writeFileSync(path, typeof content === 'string' ? content : serializeJsonReport(content));
  return path;
}

const read = (content: string | JsonReport) => () => readReport(file(content), CORPUS, '/corpus');

describe('the reports a dashboard reads', () => {
  it('takes a JSON report of this corpus', () => {
    expect(readReport(file(report()), CORPUS, '/corpus').cases).toHaveLength(2);
  });

  it.each([
    ['a file that is not JSON', '<?xml version="1.0"?><testsuites/>', /is not JSON .*not the JUnit or HTML report/],
    ['a fixture', JSON.stringify({ id: 'relu/x', inputs: {}, forward: {} }), /is a fixture, not a report/],
    ['another JSON file', '{"name": "gradspec"}', /is not a gradspec JSON report \(\/ must have required property 'gradspec'/],
    ['a case with an unknown status', report((r) => void ((r.cases[0] as { status: string }).status = 'passed')), /\/cases\/0\/status must be equal to one of the allowed values/],
    ['a report of the failures only', report((r) => void (r.onlyFailed = true)), /--save-only-failed: the dashboard needs every case/],
    ['a summary that disagrees with the cases', report((r) => void (r.summary.pass = 2)), /summary counts 2 pass but its cases hold 1; the file was edited or cut short/],
    ['a case listed twice', report((r) => void r.cases.push(r.cases[0]!)), /lists case relu\/grad-at-zero twice/],
    ['a case of another corpus', report((r) => void (r.cases[1]!.id = 'relu/elsewhere')), /comes from another fixture corpus: relu\/elsewhere is not in \/corpus; pass --fixtures/],
    ['a rule this corpus does not cite', report((r) => void (r.cases[0]!.spec = 'spec/ops/relu.md#f9')), /another version of the fixtures: relu\/grad-at-zero cites spec\/ops\/relu.md#f9 there but spec\/ops\/relu.md#b2/],
  ])('refuses %s', (_what, content, message) => {
    expect(read(content)).toThrow(ReportError);
    expect(read(content)).toThrow(message);
  });

  it("takes the error case of a fixture file that was broken when the run was made", () => {
    const broken = report((r) => Object.assign(r.cases[1]!, { status: 'error', spec: BROKEN_FIXTURE_SPEC }));
    broken.summary.fail = 0;
    broken.summary.error = 1;
    expect(readReport(file(broken), CORPUS, '/corpus').cases[1]!.spec).toBe(BROKEN_FIXTURE_SPEC);
  });

  it('refuses a missing file, naming it', () => {
    expect(() => readReport(join(dir, 'none.json'), CORPUS, '/corpus')).toThrow(/none\.json: cannot read it/);
  });
});

describe('the fixture corpus index', () => {
  it('reads id, rule and features from each file head as a full parse does', () => {
    const corpus = readCorpus(FIXTURES_DIR);
    const files = listFixtureFiles(FIXTURES_DIR);
    expect(corpus.size).toBe(files.length);
    for (const rel of files.filter((f) => f.startsWith('relu/'))) {
      const whole = JSON.parse(readFileSync(join(FIXTURES_DIR, rel), 'utf8')) as { id: string; spec: string; features: string[] };
      expect(corpus.get(whole.id)).toEqual({ spec: whole.spec, features: whole.features });
    }
  });

  it('parses a file whole when its head is not laid out as the generator writes it, and keeps a malformed one under its path', () => {
    const fixtures = join(dir, 'fixtures');
    mkdirSync(join(fixtures, 'relu'), { recursive: true });
    writeFileSync(join(fixtures, 'relu', 'compact.json'), JSON.stringify({ id: 'relu/compact', spec: 'spec/ops/relu.md#f1', features: ['float64'] }));
    writeFileSync(join(fixtures, 'relu', 'cut-short.json'), '{"id": "relu/cut-sh');
    expect(readCorpus(fixtures)).toEqual(
      new Map([
        ['relu/compact', { spec: 'spec/ops/relu.md#f1', features: ['float64'] }],
        ['relu/cut-short', { spec: BROKEN_FIXTURE_SPEC, features: [] }],
      ]),
    );
  });
});

describe('gradspec dashboard', () => {
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) }, cwd: dir } };
  };

  it('writes the page and says where', () => {
    const fixtures = join(dir, 'corpus');
    mkdirSync(join(fixtures, 'relu'), { recursive: true });
    for (const [id, c] of CORPUS) writeFileSync(join(fixtures, `${id}.json`), JSON.stringify({ id, ...c }));
    const t = io();
    expect(dashboardCommand([file(report()), '--fixtures', fixtures, '--out', 'page.html'], t.io)).toBe(0);
    expect(t.out.join('')).toMatch(/dashboard: .*page\.html \(1 run, 2 cases\)/);
    expect(readFileSync(join(dir, 'page.html'), 'utf8')).toContain('"relu/random-3x4"');
  });

  it('is a subcommand of gradspec', async () => {
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await main(['dashboard'])).toBe(2);
      expect(stderr.mock.calls.join('')).toMatch(/^gradspec dashboard: no report given/);
    } finally {
      stderr.mockRestore();
    }
  });

  it.each([
    [[], /no report given: pass one or more JSON reports/],
    [['--bogus'], /unknown option --bogus \(gradspec dashboard --help lists the options\)$/m],
    [['--ot', 'a.json'], /unknown option --ot; did you mean --out\? \(gradspec dashboard --help lists the options\)$/m],
    [['--out'], /--out needs a value, e.g. --out \S+ \(gradspec dashboard --help lists the options\)$/m],
    [['a.json', '--fixtures', join(dir, 'no-such-folder')], /--fixtures .*no-such-folder/],
  ])('exits 2 with one line for %j', (argv, message) => {
    const t = io();
    expect(dashboardCommand(argv, t.io)).toBe(2);
    expect(t.err.join('')).toMatch(message);
    expect(t.err.join('').trim().split('\n')).toHaveLength(1);
  });
});

// The HTML report (--reporter html): one self-contained file whose data block holds the run as the
// JSON report has it, where no text from the implementation can close a tag or a slot of the
// template, whose only script is allowed by the page's CSP hash, and whose rule links point at the
// spec pages. In-process and without a browser (dashboard-browser.slow.test.ts draws such a page).
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseRunArgs } from '../cli/run-args';
import { runCommand } from '../cli/run-command';
import { UsageError } from '../cli/errors';
import type { PageData } from '../html/page-data';
import { createHtmlReporter } from '../reporters/html';
import type { CaseResult } from '../results';
import { summarize, type RunResult } from '../runner';

const INJECTION = '</script><script>alert(1)</script><!-- {{data}} {{script}} $& $1 \u2028';

function run(): RunResult {
  const cases: CaseResult[] = [
    { id: 'relu/grad-at-zero', op: 'relu', spec: 'spec/ops/relu.md#b2', status: 'pass', durationMs: 1, message: '', failures: [] },
    {
      id: 'relu/random-3x4',
      op: 'relu',
      spec: 'spec/ops/relu.md#f1',
      status: 'fail',
      durationMs: 2,
      message: `relu/random-3x4 [forward] y[0,1] = NaN, expected 1 ${INJECTION}\nspec: spec/ops/relu.md#f1`,
      failures: [{ stage: 'forward', label: 'y', name: 'y', kind: 'values', detail: INJECTION, mismatched: 1, total: 12, worst: { index: [0, 1], expected: 1, actual: NaN, absError: NaN, relError: NaN }, tolerance: { rtol: 1e-7, atol: 1e-9 }, hint: INJECTION }],
    },
  ];
  return { implementation: { name: `impl ${INJECTION}` }, started: new Date(0), finished: new Date(5), durationMs: 5, cases, summary: summarize(cases), interrupted: false, unmatchedExpectations: [] };
}

function dataOf(html: string): PageData {
  return JSON.parse(/<script id="gradspec-data" type="application\/json">([^<]*)<\/script>/.exec(html)![1]!) as PageData;
}

describe('--reporter html', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gradspec-html-'));
  const out = join(dir, 'nested', 'report.html');
  let html: string;

  beforeAll(() => {
    createHtmlReporter({ path: out, repro: (id) => `npx gradspec run --impl x.ts --id '${id}'` }).finish(run());
    html = readFileSync(out, 'utf8');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('holds the run in its data block, hostile text and non-finite numbers intact', () => {
    const data = dataOf(html);
    expect(data.kind).toBe('report');
    expect(data.runs[0]!.implementation).toBe(`impl ${INJECTION}`);
    expect(data.runs[0]!.summary).toEqual(run().summary);
    const failing = data.cases.find((c) => c.id === 'relu/random-3x4')!.results[0]!;
    expect(failing.message).toBe(run().cases[1]!.message);
    expect(failing.failures[0]!.hint).toBe(INJECTION);
    expect(failing.failures[0]!.worst).toMatchObject({ actual: 'NaN', absError: 'NaN' });
    expect(failing.repro).toBe("npx gradspec run --impl x.ts --id 'relu/random-3x4'");
    expect(data.cases.find((c) => c.id === 'relu/grad-at-zero')!.results[0]!.repro).toBeNull();
  });

  it('lets no report text close a tag or open a script', () => {
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).not.toContain('alert(1)</script>');
    // Every slot filled in one pass: the {{data}} and $& in the name stay text in the title.
    expect(html.replace(/<title>[^<]*<\/title>/, '').replace(/<script id="gradspec-data"[^<]*<\/script>/, '')).not.toContain('{{');
    expect(/<title>[^<]*<\/title>/.exec(html)![0]).toContain('{{data}} {{script}} $&#38; $1');
    expect(html).toContain('<title>gradspec report: impl &#60;/script&#62;&#60;script&#62;alert(1)');
  });

  it('allows its own script by hash and nothing from the network', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]!.replace(/&#39;/g, "'");
    const script = /<script>([\s\S]*)<\/script>\s*<\/body>/.exec(html)![1]!;
    expect(csp).toContain(`script-src 'sha256-${createHash('sha256').update(script).digest('base64')}'`);
    expect(csp).toContain("default-src 'none'");
    expect(html).not.toMatch(/(src|href)="https?:/);
  });

  it('links each rule relative to the page', () => {
    const href = dataOf(html).cases[0]!.specHref!;
    expect(href).toMatch(/spec\/ops\/relu\.md#b2$/);
    expect(existsSync(resolve(dirname(out), href.split('#')[0]!))).toBe(true);
  });

  it('is written by gradspec run beside the JSON report, with the repro command of each failure', async () => {
    const quiet = { write: () => true };
    const code = await runCommand(['--impl', 'examples/buggy/seed-bugs.ts', '--op', 'relu', '--reporter', `html=${join(dir, 'run.html')}`, '--reporter', `json=${join(dir, 'run.json')}`], { stdout: quiet, stderr: quiet, cwd: resolve(__dirname, '..', '..'), tty: false });
    expect(code).toBe(1);
    const data = dataOf(readFileSync(join(dir, 'run.html'), 'utf8'));
    const json = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { summary: object; cases: { id: string }[] };
    expect(data.runs[0]!.summary).toEqual(json.summary);
    expect(data.cases.map((c) => c.id)).toEqual(json.cases.map((c) => c.id));
    const failing = data.cases.find((c) => c.results[0]!.status === 'fail')!;
    expect(failing.results[0]!.repro).toBe(`npx gradspec run --impl examples/buggy/seed-bugs.ts --id '${failing.id}'`);
    expect(failing.features.length).toBeGreaterThan(0);
  }, 60_000);

  it('is chosen with --reporter html[=path], and may not share a path with another report', () => {
    expect(parseRunArgs(['--reporter', 'html'], '/w').reporters).toEqual([{ name: 'html', path: '/w/reports/gradspec.html' }]);
    expect(parseRunArgs(['--reporter', 'html=r.html'], '/w').reporters).toEqual([{ name: 'html', path: '/w/r.html' }]);
    expect(() => parseRunArgs(['--reporter', 'html=r.out', '--reporter', 'json=r.out'], '/w')).toThrow(UsageError);
    expect(() => parseRunArgs(['--reporter', 'html='], '/w')).toThrow(/--reporter html= needs a path/);
  });
});

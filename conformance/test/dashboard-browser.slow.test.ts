// The dashboard in a real browser (Debian's chromium driven by playwright-core; nothing downloaded):
// three runs made in-process on three small ops (the reference, one with seeded bugs, one hostile
// whose messages and name try to inject script), written as JSON reports, then drawn by
// `gradspec dashboard`. The page's numbers must equal the reports', its filter and cell detail must
// work, and no text from a report may run as script.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createReferenceImplementation } from '../adapters/reference';
import { dashboardCommand } from '../dashboard/dashboard-command';
import type { Implementation } from '../implementation';
import { loadFixtures } from '../loader';
import { createHtmlReporter } from '../reporters/html';
import { buildJsonReport, serializeJsonReport, type JsonReport } from '../reporters/json';
import { runFixtures } from '../runner';
import { mseSignFlip } from './broken/mse-sign-flip';
import { reluGradAtZeroIsOne } from './broken/relu-grad-at-zero';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  // Visible in the jest output, beside the skipped tests.
  console.warn(`dashboard browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
}
const describeWithBrowser = haveChromium ? describe : describe.skip;

const INJECTION = '</script><script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';

/** Declares relu and sigmoid only (mse: not run) and throws a message full of markup on sigmoid. */
function hostile(base: Implementation): Implementation {
  return {
    name: `hostile ${INJECTION}`,
    ops: ['relu', 'sigmoid'],
    run: (request) => (request.op === 'sigmoid' ? Promise.reject(new Error(INJECTION)) : base.run(request)),
  };
}

describeWithBrowser('gradspec dashboard in Chromium', () => {
  // Generous: the machine is shared; nothing here asserts time.
  jest.setTimeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), 'gradspec-dashboard-'));
  const reports: JsonReport[] = [];
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const { fixtures } = loadFixtures({ filter: { ops: ['mse', 'relu', 'sigmoid'] } });
    const reference = createReferenceImplementation();
    const files: string[] = [];
    for (const [name, impl] of [['reference', reference], ['buggy', reluGradAtZeroIsOne(mseSignFlip(reference))], ['hostile', hostile(reference)]] as const) {
      const run = await runFixtures(impl, fixtures, { timeoutMs: 60_000 });
      // The single-run page of the buggy run, for the last test.
      if (name === 'buggy') createHtmlReporter({ path: join(dir, 'buggy.html'), repro: (id) => `repro ${id}` }).finish(run);
      const report = buildJsonReport(run);
      reports.push(report);
      files.push(join(dir, `${name}.json`));
      writeFileSync(files.at(-1)!, serializeJsonReport(report));
    }
    const stderr: string[] = [];
    const code = dashboardCommand([...files, '--out', join(dir, 'dashboard.html')], { stdout: { write: () => true }, stderr: { write: (t: string) => stderr.push(t) } });
    expect(stderr.join('')).toBe('');
    expect(code).toBe(0);

    browser = await chromium.launch({ executablePath: CHROMIUM, timeout: 120_000 });
    page = await browser.newPage();
    page.setDefaultTimeout(60_000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`file://${join(dir, 'dashboard.html')}`, { timeout: 60_000 });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('shows the per-op pass counts and the totals of every JSON report', async () => {
    expect(reports.map((r) => r.summary.fail)).toEqual([0, expect.any(Number), 0]);
    expect(reports[1]!.summary.fail).toBeGreaterThan(0);
    // What the page shows, read in one round trip: per op and run "pass/total", the totals, the verdicts.
    const shown = (await page.evaluate(`({
      ops: Object.fromEntries([...document.querySelectorAll('#ops tbody tr')].map((tr) => [tr.dataset.op, [...tr.querySelectorAll('td')].map((td) => [td.dataset.pass + '/' + td.dataset.total, td.textContent])])),
      totals: [...document.querySelectorAll('#ops tfoot td')].map((td) => td.textContent),
      verdicts: [...document.querySelectorAll('#runs .verdict')].map((p) => p.textContent),
      rows: document.querySelectorAll('#matrix tr.case').length,
    })`)) as { ops: Record<string, [string, string][]>; totals: string[]; verdicts: string[]; rows: number };
    const passOf = (cases: JsonReport['cases']) => `${cases.filter((c) => c.status === 'pass').length}/${cases.length}`;
    const ops = [...new Set(reports[0]!.cases.map((c) => c.op))];
    expect(Object.keys(shown.ops)).toEqual(ops);
    for (const op of ops) {
      reports.forEach((report, run) => {
        const [counts, text] = shown.ops[op]![run]!;
        expect(counts).toBe(passOf(report.cases.filter((c) => c.op === op)));
        expect(text).toContain(counts);
      });
    }
    reports.forEach((report, run) => {
      expect(shown.totals[run]).toContain(`${report.summary.pass}/${report.cases.length}`);
      expect(shown.verdicts[run]).toContain(`${report.summary.pass} of ${report.cases.length} cases pass`);
    });
    expect(shown.rows).toBe(reports[0]!.cases.length);
  });

  it('filters the matrix by status and opens a failing cell on click', async () => {
    await page.selectOption('#filter-status', 'fail');
    const failingIds = new Set(reports.flatMap((r) => r.cases.filter((c) => c.status === 'fail').map((c) => c.id)));
    expect(failingIds.size).toBeGreaterThan(0);
    const shown = await page.locator('#matrix tr.case:not([hidden])').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')));
    expect(new Set(shown)).toEqual(failingIds);
    expect(await page.locator('#shown').getAttribute('data-shown')).toBe(String(failingIds.size));

    const cell = page.locator('#matrix tr.case:not([hidden]) td.cell.status-fail').first();
    const id = (await cell.locator('xpath=..').getAttribute('data-id'))!;
    await cell.click();
    const detail = page.locator('#detail');
    await detail.waitFor({ state: 'visible' });
    const expected = reports[1]!.cases.find((c) => c.id === id)!;
    expect(await detail.locator('h3').textContent()).toContain(id);
    expect(await detail.locator('pre.message').textContent()).toBe(expected.message);
    expect(await detail.locator('tr.failure').count()).toBe(expected.failures.length);
    expect(await detail.locator('tr.hint').count()).toBe(expected.failures.filter((f) => f.hint).length);
    await page.selectOption('#filter-status', '');
    expect(await page.locator('#matrix tr.case:not([hidden])').count()).toBe(reports[0]!.cases.length);
  });

  it('shows hostile messages and names as text and runs none of them', async () => {
    const errorCell = page.locator('#matrix tr.case td.cell.status-error[data-run="2"]').first();
    await errorCell.click();
    expect(await page.locator('#detail pre.message').textContent()).toContain(INJECTION);
    expect(await page.locator('#runs article[data-run="2"] .impl').textContent()).toBe(`hostile ${INJECTION}`);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    // The page's own two script blocks only: the data and the code.
    expect(await page.locator('script').count()).toBe(2);
    expect(await page.locator('img').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it('--reporter html lists every failure of its run with the repro command', async () => {
    const report = await browser.newPage();
    try {
      await report.goto(`file://${join(dir, 'buggy.html')}`, { timeout: 60_000 });
      const failing = reports[1]!.cases.filter((c) => c.status === 'fail').map((c) => c.id);
      const listed = await report.locator('#failures .case-detail').evaluateAll((els) => els.map((e) => [e.getAttribute('data-id'), e.querySelector('.repro code')?.textContent]));
      expect(listed).toEqual(failing.map((id) => [id, `repro ${id}`]));
      expect(await report.locator('#failures-heading').textContent()).toBe(`Failures (${failing.length})`);
    } finally {
      await report.close();
    }
  });
});

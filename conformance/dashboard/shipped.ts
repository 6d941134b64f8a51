// `npm run dashboard`: runs the shipped implementations (the reference, the Python stdlib and NumPy
// examples over the protocol, tfjs, and the seeded-bug example so the page shows failures), one JSON
// report each under out/dashboard/, then builds out/dashboard/index.html from them.
// `npm run dashboard -- --screenshot docs/dashboard.png` also photographs the page (playwright-core
// and a system Chromium, e.g. Debian's /usr/bin/chromium; nothing is downloaded); `--reuse` redraws
// the page from the last build's reports, `--only <name>` runs only that implementation.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { dashboardCommand } from './dashboard-command';

const ROOT = join(__dirname, '..', '..');
const OUT = join(ROOT, 'out', 'dashboard');

const RUNS: { name: string; args: string[] }[] = [
  { name: 'reference', args: [] },
  { name: 'python', args: ['--exec', 'python3 examples/python/impl.py'] },
  { name: 'numpy', args: ['--exec', 'python3 examples/numpy/impl.py'] },
  { name: 'tfjs', args: ['--impl', 'tfjs', '--expectations', 'examples/expectations/tfjs.txt'] },
  { name: 'buggy', args: ['--impl', 'examples/buggy/seed-bugs.ts'] },
];

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { screenshot: { type: 'string' }, only: { type: 'string', multiple: true }, reuse: { type: 'boolean' } } });
  const reports: string[] = [];
  for (const run of RUNS.filter((r) => !values.only || values.only.includes(r.name))) {
    const report = join(OUT, `${run.name}.json`);
    // --reuse: redraw the page from the reports of the last build (e.g. after changing the page).
    if (values.reuse && existsSync(report)) {
      reports.push(relative(ROOT, report));
      continue;
    }
    const started = performance.now();
    // Exit 1 (failing cases) is what the buggy run is for; only a missing report stops the page.
    const child = spawnSync(process.execPath, [join(ROOT, 'bin', 'gradspec.js'), 'run', ...run.args, '--reporter', `json=${report}`], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    console.log(`${run.name}: exit ${child.status}, ${((performance.now() - started) / 1000).toFixed(1)} s`);
    if (!existsSync(report)) {
      console.error(`dashboard: ${run.name} wrote no report (${child.error?.message ?? `exit ${child.status}`}); left out`);
      continue;
    }
    reports.push(relative(ROOT, report));
  }
  const page = join(OUT, 'index.html');
  const code = dashboardCommand([...reports, '--out', page, '--title', 'gradspec: the shipped implementations side by side'], { cwd: ROOT });
  if (code !== 0 || values.screenshot === undefined) return code;
  await screenshot(page, resolve(values.screenshot));
  console.log(`screenshot: ${values.screenshot}`);
  return 0;
}

async function screenshot(page: string, png: string): Promise<void> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', timeout: 120_000 });
  try {
    const tab = await browser.newPage({ viewport: { width: 1600, height: 960 } });
    await tab.goto(`file://${page}`);
    // Show failures: filter to the failing cases and open one of the seeded bugs.
    await tab.selectOption('#filter-status', 'failing');
    await tab.click('#matrix tr.case:not([hidden]) td.cell.status-fail');
    // The matrix (with each op's pass rate per implementation) beside the open detail.
    await tab.evaluate(`document.getElementById('matrix-heading').scrollIntoView()`);
    await tab.mouse.move(0, 0);
    await tab.screenshot({ path: png });
  } finally {
    await browser.close();
  }
}

main().then((code) => (process.exitCode = code));

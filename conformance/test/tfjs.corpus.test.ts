// The published TensorFlow.js findings (docs/tfjs-findings.md, README) stay true: run the tfjs
// adapter through the CLI with its expectations file, over the whole corpus (`npm run test:corpus`;
// tfjs.test.ts runs a sample in `npm test`). A tfjs change that fixes or breaks a case
// shows up here as an xpass or a fail. The counts come from the expectations file and the corpus,
// not from numbers typed here.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadExpectations } from '../expectations';
import { loadFixtures } from '../loader';

const ROOT = join(__dirname, '..', '..');
const EXPECTATIONS = join(ROOT, 'examples', 'expectations', 'tfjs.txt');

interface ReportCase {
  id: string;
  status: string;
  reason?: string;
}

it('tfjs runs every float32 case of the ops it maps, and fails exactly the ones its expectations file lists', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gradspec-tfjs-'));
  try {
    const report = join(dir, 'report.json');
    const run = spawnSync(process.execPath, [join(ROOT, 'bin', 'gradspec.js'), 'run', '--impl', 'tfjs', '--expectations', EXPECTATIONS, '--reporter', `json=${report}`], {
      encoding: 'utf8',
      cwd: ROOT,
      timeout: 120_000,
    });
    expect(run.stderr).not.toMatch(/warning|unmatched/i);
    expect(run.status).toBe(0);
    const { summary, cases } = JSON.parse(readFileSync(report, 'utf8')) as { summary: Record<string, number>; cases: ReportCase[] };
    const xfails = loadExpectations(EXPECTATIONS).filter((e) => e.kind === 'xfail').length;
    expect(summary).toMatchObject({ xfail: xfails, fail: 0, error: 0, xpass: 0 });

    const dtypeOf = new Map(loadFixtures().fixtures.map((f) => [f.id, f.fixture.dtype]));
    const ran = cases.filter((c) => c.status !== 'not-run');
    expect(ran.every((c) => dtypeOf.get(c.id) === 'float32')).toBe(true);
    // A float32 case is not run only when the adapter does not map its op, and says so.
    const float32NotRun = cases.filter((c) => c.status === 'not-run' && dtypeOf.get(c.id) === 'float32');
    expect(float32NotRun.filter((c) => !/^op '\w+' is not among the ops/.test(c.reason ?? ''))).toEqual([]);
    expect(ran.length).toBeGreaterThanOrEqual(17);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);

// A sample of tfjs.corpus.test.ts for `npm test`: the tfjs adapter runs through the CLI with its expectations file
// on a few ops, one of them with a published finding, so the adapter, the float32-only declaration and an xfail
// that must keep failing are checked on every run. The whole corpus is `npm run test:corpus`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const EXPECTATIONS = join(ROOT, 'examples', 'expectations', 'tfjs.txt');
const FINDING = 'avg_pool2d/float32-padding-exclude-pad';

it('tfjs passes the float32 relu and avg_pool2d cases except its published avg_pool2d finding, which still fails', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gradspec-tfjs-'));
  try {
    const report = join(dir, 'report.json');
    const args = ['run', '--impl', 'tfjs', '--op', 'relu', '--op', 'avg_pool2d', '--expectations', EXPECTATIONS, '--reporter', `json=${report}`];
    const run = spawnSync(process.execPath, [join(ROOT, 'bin', 'gradspec.js'), ...args], { encoding: 'utf8', cwd: ROOT, timeout: 120_000 });
    expect(run.stderr).not.toMatch(/warning|unmatched/i);
    expect(run.status).toBe(0);
    const { cases } = JSON.parse(readFileSync(report, 'utf8')) as { cases: { id: string; status: string }[] };
    const statuses = new Map(cases.map((c) => [c.id, c.status]));
    expect(statuses.get(FINDING)).toBe('xfail');
    expect(statuses.get('relu/random-4x6-float32')).toBe('pass');
    expect(statuses.get('relu/random-64x50')).toBe('not-run'); // float64: tfjs has no such dtype
    expect(cases.filter((c) => c.status === 'pass').length).toBeGreaterThanOrEqual(2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);

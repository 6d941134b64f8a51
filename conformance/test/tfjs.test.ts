// The published TensorFlow.js findings (docs/tfjs-findings.md, README) stay true: run the tfjs
// adapter through the CLI with its expectations file. A tfjs change that fixes or breaks a case
// shows up here as an xpass or a fail.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

it('tfjs passes 46 cases and fails exactly the 39 its expectations file lists', () => {
  const report = join(mkdtempSync(join(tmpdir(), 'gradspec-tfjs-')), 'report.json');
  const run = spawnSync(
    process.execPath,
    [join(ROOT, 'bin', 'gradspec.js'), 'run', '--impl', 'tfjs', '--expectations', join(ROOT, 'examples', 'expectations', 'tfjs.txt'), '--reporter', `json=${report}`],
    { encoding: 'utf8', cwd: ROOT },
  );
  expect(run.stderr).not.toMatch(/warning|unmatched/i);
  expect(run.status).toBe(0);
  const summary = JSON.parse(readFileSync(report, 'utf8')).summary;
  expect(summary).toMatchObject({ pass: 46, xfail: 39, fail: 0, error: 0, xpass: 0, notRun: 0 });
}, 30_000);

// The implement-and-rerun loop of `gradspec run`, in-process: --write-expectations (and the run it
// makes pass), --last-failed, --exclude-feature, and the folders --watch watches (the watch itself,
// with a real Ctrl-C, is in cli-watch.test.ts).
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { watchTargets } from '../cli/watch';
import { closest } from '../cli/did-you-mean';
import { loadFixtures } from '../loader';
import { CHILD_TIMEOUT_MS, runInProcess, useCliFolder, type Outcome } from './cli-folder';

const cli = useCliFolder();
const inProcess = (args: string[]): Promise<Outcome> => runInProcess(cli.dir, args);
/** The relu cases broken.js fails (its ReLU'(0) = 1). */
const BROKEN_FAILS = ['relu/grad-at-zero', 'relu/negative-zero'];

describe('--write-expectations', () => {
  it('writes one xfail per failing case with the measured error; with it the next run passes, and a fixed case is an xpass', async () => {
    const known = join(cli.dir, 'known.txt');
    const first = await inProcess(['--impl', cli.broken, '--op', 'relu', '--write-expectations', 'known.txt']);
    expect(first.code).toBe(1);
    const entries = readFileSync(known, 'utf8').split('\n').filter((l) => l.startsWith('xfail'));
    expect(entries.map((l) => l.split(/\s+/)[1])).toEqual(BROKEN_FAILS);
    // The reason is the failure as the run measured it, not a placeholder.
    expect(entries[0]).toMatch(/^xfail relu\/grad-at-zero {2}# \[backward\] grad_inputs\.x \(dx\)\[[\d,]+\] = \S+, expected 0 \(\|Δ\| .*; hint: ReLU'\(0\) must be 0/);

    const second = await inProcess(['--impl', cli.broken, '--op', 'relu', '--expectations', 'known.txt']);
    expect(second.stdout).toMatch(/PASSED: \d+ of \d+ cases pass against relu\.js \(broken\.js\); 2 xfail/);
    expect(second.code).toBe(0);

    const fixed = await inProcess(['--impl', cli.good, '--op', 'relu', '--expectations', 'known.txt']);
    expect(fixed.stdout).toMatch(/XPASS relu\/grad-at-zero/);
    expect(fixed.code).toBe(1);
  }, CHILD_TIMEOUT_MS); // each run starts the module in a worker thread

  it('refuses to overwrite an existing file, before running anything', async () => {
    const mine = cli.file('mine.txt', '# hand-written\n');
    const { code, stdout, stderr } = await inProcess(['--impl', cli.broken, '--op', 'relu', '--write-expectations', mine]);
    expect(stderr).toMatch(/^gradspec run: --write-expectations \S*mine\.txt exists and is not overwritten: remove it or pass a new path\n/);
    expect(stdout).toBe('');
    expect(readFileSync(mine, 'utf8')).toBe('# hand-written\n');
    expect(code).toBe(2);
  });

  it('carries over the skip entries and the reasons of cases already xfail; an error case becomes an xfail too', async () => {
    const passing = cli.reluIds.find((id) => !BROKEN_FAILS.includes(id))!;
    const old = cli.file('old.txt', `skip ${passing}  # hangs here\nxfail relu/grad-at-zero  # the tutorial's ReLU'(0) = 1\n`);
    await inProcess(['--impl', cli.broken, '--op', 'relu', '--expectations', old, '--write-expectations', 'carried.txt']);
    const text = readFileSync(join(cli.dir, 'carried.txt'), 'utf8');
    expect(text).toContain(`\nskip ${passing}  # hangs here\n`);
    expect(text).toContain("\nxfail relu/grad-at-zero  # the tutorial's ReLU'(0) = 1\n");
    expect(text).toMatch(/\nxfail relu\/negative-zero {2}# \[backward\] /);

    await inProcess(['--impl', join(cli.dir, 'hangs.js'), '--id', cli.reluIds[0]!, '--timeout', '100', '--write-expectations', 'hangs.txt']);
    expect(readFileSync(join(cli.dir, 'hangs.txt'), 'utf8')).toContain(`\nxfail ${cli.reluIds[0]}  # [error] no reply within 100 ms`);
  }, CHILD_TIMEOUT_MS); // each run starts the module in a worker thread
});

describe('--last-failed', () => {
  it('reruns only what failed in the last run of that implementation, then everything once nothing fails', async () => {
    const impl = join(cli.dir, 'mine.js');
    copyFileSync(cli.broken, impl);
    expect((await inProcess(['--impl', impl, '--op', 'relu'])).code).toBe(1);

    expect((await inProcess(['--impl', impl, '--op', 'relu', '--last-failed', '--list'])).stdout).toBe(BROKEN_FAILS.map((id) => `${id}\n`).join(''));
    const rerun = await inProcess(['--impl', impl, '--op', 'relu', '--last-failed', '--verbose']);
    expect(rerun.stderr).toContain(`--last-failed: rerunning the 2 selected cases that failed last time (of ${cli.reluIds.length})`);
    expect(rerun.stdout).toMatch(/\n2 cases: 0 pass, 2 fail/);

    copyFileSync(cli.good, impl); // the fix
    const fixed = await inProcess(['--impl', impl, '--op', 'relu', '--last-failed']);
    expect(fixed.stdout).toMatch(/\n2 cases: 2 pass, 0 fail/);
    expect(fixed.code).toBe(0);

    const again = await inProcess(['--impl', impl, '--op', 'relu', '--last-failed']);
    expect(again.stderr).toContain(`--last-failed: no recorded failure of --impl ${impl} among the selected cases; running all ${cli.reluIds.length}`);
    expect(again.stdout).toMatch(new RegExp(`\\n${cli.reluIds.length} cases: ${cli.reluIds.length} pass`));
  }, CHILD_TIMEOUT_MS); // each run starts the module in a worker thread

  it('exits 2 naming the state file when it is damaged', async () => {
    cli.file('.gradspec/last-run.json', '{ not json');
    const { code, stderr } = await inProcess(['--op', 'relu', '--last-failed']);
    expect(stderr).toMatch(/^gradspec run: --last-failed: \.gradspec\/last-run\.json is not valid JSON .*; delete it and run once without --last-failed\n/);
    expect(code).toBe(2);
  });
});

describe('--exclude-feature', () => {
  it('is the complement of --feature', async () => {
    const ids = async (args: string[]): Promise<string[]> => (await inProcess(['--list', '--op', 'relu', ...args])).stdout.trim().split('\n');
    const with64 = await ids(['--feature', 'float64']);
    const without64 = await ids(['--exclude-feature', 'float64']);
    expect(with64.length).toBeGreaterThan(0);
    expect(without64.length).toBeGreaterThan(0);
    expect([...with64, ...without64].sort()).toEqual([...cli.reluIds].sort());
    const features = new Map(loadFixtures({ filter: { ops: ['relu'] } }).fixtures.map((f) => [f.id, f.fixture.features as string[]]));
    for (const id of without64) expect(features.get(id)).not.toContain('float64');
  });
});

describe('--watch folders', () => {
  it('watches the --impl module folder, or the folder of each file the --exec command names', () => {
    expect(watchTargets({ impl: cli.good }, '/elsewhere')).toEqual([cli.dir]);
    expect(watchTargets({ impl: 'reference', exec: 'node "good.js" --flag x.py' }, cli.dir)).toEqual([cli.dir]);
    expect(() => watchTargets({ impl: 'reference', exec: 'python3 -m impl' }, cli.dir)).toThrow(/names no file here/);
    expect(existsSync(join(cli.dir, 'x.py'))).toBe(false);
  });
});

describe('did you mean', () => {
  it('suggests the nearest names only, and nothing for a word that is far from every name', () => {
    expect(closest('relux', ['relu', 'gelu', 'linear'])).toEqual(['relu']);
    expect(closest('selu', ['relu', 'gelu'])).toEqual(['relu', 'gelu']);
    expect(closest('x', ['relu', 'gelu'])).toEqual([]);
    expect(closest('conv', ['conv2d', 'linear'])).toEqual(['conv2d']);
  });

  it('counts two neighbours swapped as one edit, so short words get their suggestion', () => {
    expect(closest('dri', ['dir', 'force'])).toEqual(['dir']);
    expect(closest('rleu', ['relu', 'gelu'])).toEqual(['relu']);
    // Two letters apart are not neighbours: still two edits, too far for a three-letter word.
    expect(closest('rid', ['dir'])).toEqual([]);
  });
});

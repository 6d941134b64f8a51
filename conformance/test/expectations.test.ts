// The expectations file: its parser (every malformed line named by file:line) and what an entry does
// to a case in a run: skip, xfail → xfail, xfail that passes → xpass, entries that match nothing.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReferenceImplementation } from '../adapters/reference';
import { ExpectationSet, ExpectationsError, loadExpectations, parseExpectations } from '../expectations';
import { loadFixtures } from '../loader';
import { runFixtures, runSucceeded } from '../runner';
import { reluGradAtZeroIsOne } from './broken/relu-grad-at-zero';

describe('parseExpectations', () => {
  it('reads one entry a line, ignoring blank lines and # comments', () => {
    const text = ['# tfjs', '', 'skip   mlp/large-*     # too slow here', '\txfail softmax/**  #  float32 only  ', 'xfail relu/x # a # in the reason'].join('\r\n');
    expect(parseExpectations(text, 'e.txt')).toEqual([
      { kind: 'skip', glob: 'mlp/large-*', reason: 'too slow here', source: 'e.txt:3', line: 3 },
      { kind: 'xfail', glob: 'softmax/**', reason: 'float32 only', source: 'e.txt:4', line: 4 },
      { kind: 'xfail', glob: 'relu/x', reason: 'a # in the reason', source: 'e.txt:5', line: 5 },
    ]);
  });

  it.each([
    ['xfail relu/grad-at-zero', /^e\.txt:2: 'xfail relu\/grad-at-zero' has no reason; add one after '#'/],
    ['xfail relu/grad-at-zero   #   ', /^e\.txt:2: .* has no reason/],
    ['fail relu/* # why', /^e\.txt:2: 'fail' is not an entry kind; write `skip <id-glob>  # reason` or `xfail <id-glob>  # reason`/],
    ['skip # why', /^e\.txt:2: 'skip' needs a case id or glob/],
    ['skip relu/a relu/b # why', /^e\.txt:2: expected one id glob after 'skip', got 2 words/],
  ])('rejects %j, naming file:line', (line, message) => {
    let error: unknown;
    try {
      parseExpectations(`# header\n${line}\n`, 'e.txt');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ExpectationsError);
    expect((error as ExpectationsError).line).toBe(2);
    expect((error as Error).message).toMatch(message);
  });

  it('says so when the file cannot be read', () => {
    expect(() => loadExpectations(join(tmpdir(), 'gradspec-no-such-expectations.txt'))).toThrow(/gradspec-no-such-expectations\.txt: cannot read the expectations file \(no such file\)/);
  });

  it('reads a file, naming it in each entry', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gradspec-exp-'));
    const file = join(dir, 'mine.txt');
    writeFileSync(file, 'xfail relu/* # mine\n');
    expect(loadExpectations(file)[0]!.source).toMatch(/mine\.txt:1$/);
  });
});

describe('ExpectationSet', () => {
  const set = new ExpectationSet(parseExpectations('xfail relu/* # all relu\nskip relu/slow # hangs\nxfail relu/slow # later\nxfail nothing/* # stale\n', 'e.txt'));

  it('a skip wins over an xfail; otherwise the first matching xfail applies', () => {
    expect(set.lookup('relu/slow')?.reason).toBe('hangs');
    expect(set.lookup('relu/fast')?.reason).toBe('all relu');
    expect(set.lookup('softmax/a')).toBeUndefined();
  });

  it('lists the entries that match none of the ids', () => {
    expect(set.unmatched(['relu/fast', 'softmax/a']).map((e) => e.source)).toEqual(['e.txt:2', 'e.txt:3', 'e.txt:4']);
    expect(set.unmatched(['relu/slow']).map((e) => e.glob)).toEqual(['nothing/*']);
  });
});

describe('expectations in a run', () => {
  const { fixtures } = loadFixtures({ filter: { ops: ['relu'] } });
  const broken = reluGradAtZeroIsOne(createReferenceImplementation());
  const expectations = (text: string) => new ExpectationSet(parseExpectations(text, 'e.txt'));

  it('an xfail case that fails is xfail, keeps its failure, and the run succeeds', async () => {
    const run = await runFixtures(broken, fixtures, { expectations: expectations('xfail relu/grad-at-zero # ReLU\'(0) = 1 in this one\nxfail relu/negative-zero # same bug\n') });
    const c = run.cases.find((r) => r.id === 'relu/grad-at-zero')!;
    expect(c).toMatchObject({ status: 'xfail', reason: "ReLU'(0) = 1 in this one", expectation: 'e.txt:1' });
    expect(c.failures.length).toBeGreaterThan(0);
    expect(c.message).toMatch(/\[xfail, expected: .*\] failed:\nrelu\/grad-at-zero \[backward\] grad_inputs\.x \(dx\)/);
    expect(run.summary.fail).toBe(0);
    expect(runSucceeded(run)).toBe(true);
  });

  it('an xfail case that passes is xpass and fails the run', async () => {
    const run = await runFixtures(createReferenceImplementation(), fixtures, { expectations: expectations('xfail relu/grad-at-zero # was broken once\n') });
    const c = run.cases.find((r) => r.id === 'relu/grad-at-zero')!;
    expect(c.status).toBe('xpass');
    expect(c.message).toMatch(/passed, but e\.txt:1 expects it to fail \(was broken once\); remove or narrow that entry/);
    expect(run.summary).toMatchObject({ xpass: 1, pass: fixtures.length - 1 });
    expect(runSucceeded(run)).toBe(false);
  });

  it('a skipped case is not sent to the implementation', async () => {
    const seen: string[] = [];
    const impl = createReferenceImplementation();
    const spy = { name: 'spy', run: (r: Parameters<typeof impl.run>[0]) => (seen.push(r.id), impl.run(r)) };
    const run = await runFixtures(spy, fixtures, { expectations: expectations('skip relu/grad-at-zero # hangs on this backend\n') });
    expect(run.cases.find((r) => r.id === 'relu/grad-at-zero')).toMatchObject({ status: 'skip', reason: 'hangs on this backend' });
    expect(seen).not.toContain('relu/grad-at-zero');
    expect(seen).toHaveLength(fixtures.length - 1);
  });

  it('entries that match no case are reported, unless they match a known case outside the selection', async () => {
    const set = expectations('xfail relu/no-such-case # typo\nxfail softmax/* # filtered out\n');
    const run = await runFixtures(createReferenceImplementation(), fixtures, { expectations: set });
    expect(run.unmatchedExpectations.map((e) => e.glob)).toEqual(['relu/no-such-case', 'softmax/*']);
    const filtered = await runFixtures(createReferenceImplementation(), fixtures, { expectations: set, knownIds: ['softmax/readable-2x3'] });
    expect(filtered.unmatchedExpectations.map((e) => e.glob)).toEqual(['relu/no-such-case']);
  });
});

// The runner: every case gets a result in order, unsupported ops and dtypes are not run (never
// failed), --bail stops after the first failing case, and aborting stops the run after the case in
// flight with the rest reported as not run.
import { createReferenceImplementation } from '../adapters/reference';
import type { CaseRequest, Implementation } from '../implementation';
import { loadFixtures } from '../loader';
import type { CaseResult } from '../results';
import { runFixtures, runSucceeded, type AbortableImplementation } from '../runner';

const reference = createReferenceImplementation();
const { fixtures: relu } = loadFixtures({ filter: { ops: ['relu'] } });
const { fixtures: reluAndSoftmax } = loadFixtures({ filter: { ops: ['relu', 'softmax'] } });

/** The reference, except that it throws on the listed case ids. */
function throwingOn(ids: string[]): Implementation {
  return { name: 'thrower', run: async (r) => (ids.includes(r.id) ? Promise.reject(new Error(`no kernel for ${r.id}`)) : reference.run(r)) };
}

describe('runFixtures', () => {
  it('runs every case in order and summarises', async () => {
    const run = await runFixtures(reference, reluAndSoftmax);
    expect(run.cases.map((c) => c.id)).toEqual(reluAndSoftmax.map((f) => f.id));
    expect(run.summary).toEqual({ pass: reluAndSoftmax.length, fail: 0, error: 0, refused: 0, skip: 0, xfail: 0, xpass: 0, notRun: 0 });
    expect(run.interrupted).toBe(false);
    expect(run.finished.getTime()).toBeGreaterThanOrEqual(run.started.getTime());
    expect(runSucceeded(run)).toBe(true);
  });

  it('reports the ops an implementation does not declare as not run, without calling it', async () => {
    const sent: string[] = [];
    const reluOnly: Implementation = { name: 'relu only', ops: ['relu'], run: (r) => (sent.push(r.op), reference.run(r)) };
    const run = await runFixtures(reluOnly, reluAndSoftmax);
    const softmax = run.cases.filter((c) => c.op === 'softmax');
    expect(softmax.length).toBeGreaterThan(0);
    for (const c of softmax) {
      expect(c).toMatchObject({ status: 'not-run', reason: "op 'softmax' is not among the ops relu only supports (relu)" });
    }
    expect(new Set(sent)).toEqual(new Set(['relu']));
    expect(runSucceeded(run)).toBe(true);
  });

  it('reports cases of an undeclared dtype as not run', async () => {
    const float32Only: Implementation = { name: 'f32', dtypes: ['float32'], run: (r) => reference.run(r) };
    const run = await runFixtures(float32Only, relu);
    for (const c of run.cases) {
      const dtype = relu.find((f) => f.id === c.id)!.fixture.dtype;
      expect(c.status).toBe(dtype === 'float32' ? 'pass' : 'not-run');
    }
    expect(run.summary.notRun).toBeGreaterThan(0);
    expect(run.cases.find((c) => c.status === 'not-run')!.reason).toBe('dtype float64 is not among the dtypes f32 supports (float32)');
  });

  it('a throwing case is an error and the run goes on; with bail the rest are not run', async () => {
    const second = relu[1]!.id;
    const goOn = await runFixtures(throwingOn([second]), relu);
    expect(goOn.summary).toMatchObject({ error: 1, pass: relu.length - 1, notRun: 0 });
    expect(goOn.cases[1]!.message).toMatch(`${second} [error] thrower threw: no kernel for ${second}`);

    const bailed = await runFixtures(throwingOn([second]), relu, { bail: true });
    expect(bailed.cases.map((c) => c.status)).toEqual(['pass', 'error', ...relu.slice(2).map(() => 'not-run')]);
    expect(bailed.bailedAfter).toBe(second);
    expect(bailed.cases[2]!.reason).toBe(`the run stopped after the first failing case, ${second} (bail)`);
    expect(bailed.interrupted).toBe(false);
  });

  it('stops when aborted: the case in flight is abandoned (and aborted), the rest are not run', async () => {
    const controller = new AbortController();
    const started: string[] = [];
    let aborts = 0;
    let release: (() => void) | undefined;
    const slow: AbortableImplementation = {
      name: 'slow',
      run: (r: CaseRequest) => {
        started.push(r.id);
        if (started.length === 1) return reference.run(r);
        // The second case never finishes on its own.
        return new Promise((resolve) => (release = () => resolve(reference.run(r))));
      },
      abort: () => {
        aborts++;
        release?.();
      },
    };
    const ended: CaseResult[] = [];
    const observer = {
      onCaseEnd: (result: CaseResult) => ended.push(result),
      onCaseStart: (_f: unknown, index: number) => {
        if (index === 1) setTimeout(() => controller.abort(), 20);
      },
    };
    const run = await runFixtures(slow, relu, { signal: controller.signal, observers: [observer], timeoutMs: 60_000 });
    expect(started).toHaveLength(2);
    expect(aborts).toBe(1);
    expect(run.interrupted).toBe(true);
    expect(run.cases[0]!.status).toBe('pass');
    expect(run.cases[1]).toMatchObject({ status: 'not-run', reason: 'the run was interrupted while this case was running' });
    expect(run.cases.slice(2).every((c) => c.status === 'not-run' && c.reason === 'the run was interrupted before this case')).toBe(true);
    expect(ended).toHaveLength(relu.length);
    expect(runSucceeded(run)).toBe(true);
  });

  it('tells observers about the start and every case', async () => {
    const events: string[] = [];
    await runFixtures(reference, relu.slice(0, 2), {
      observers: [
        {
          onRunStart: (info) => events.push(`start ${info.implementation.name} ${info.cases.length}`),
          onCaseStart: (f, i, n) => events.push(`case ${f.id} ${i}/${n}`),
          onCaseEnd: (r) => events.push(`end ${r.id} ${r.status}`),
        },
      ],
    });
    expect(events).toEqual([
      'start reference (src/) 2',
      `case ${relu[0]!.id} 0/2`,
      `end ${relu[0]!.id} pass`,
      `case ${relu[1]!.id} 1/2`,
      `end ${relu[1]!.id} pass`,
    ]);
  });
});

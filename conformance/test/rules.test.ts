// Failures cite the rule of the failing tensor (fixture `rules`), not the case's headline rule, and
// name the wire key an implementer must fix: two one-bug implementations over a handful of fixtures,
// and the reply shape a missing tensor asks for.
import { createReferenceImplementation } from '../adapters/reference';
import type { Implementation } from '../implementation';
import { failureReport } from '../messages';
import { like, substitute } from './broken/substitute';
import { loadFixtures, type LoadedFixture } from '../loader';
import { runAll } from './broken/selection';

const reference = createReferenceImplementation();

/** The op's small backward fixtures (a few hundred elements at most: the test stays cheap). */
function small(op: string, where: (f: LoadedFixture) => boolean = () => true): LoadedFixture[] {
  const chosen = loadFixtures({ filter: { ids: [`${op}/!(*large*)`] } }).fixtures.filter((f) => f.backward && Object.values(f.inputs).every((t) => t.data.length <= 400) && where(f));
  if (chosen.length === 0) throw new Error(`no ${op} fixture to judge: the test would pass vacuously`);
  return chosen;
}

/** linear's db = mean over the batch instead of the sum (linear.md#b3). */
const biasGradientAveraged = (ref: Implementation): Implementation =>
  substitute(ref, 'linear', 'db averaged over the batch', async (request, base) => {
    const reply = await base.run(request);
    const db = reply.grad_params?.b;
    if (db) reply.grad_params!.b = like(db, Array.from(db.data, (v) => v / request.inputs.x!.shape[0]!));
    return reply;
  });

/** softmax's dx = y ⊙ dy, without the − Σ(dy ⊙ y) term (softmax.md#b1). */
const softmaxWithoutDotTerm = (ref: Implementation): Implementation =>
  substitute(ref, 'softmax', 'dx without the dot term', async (request, base) => {
    const reply = await base.run(request);
    const y = reply.forward.y!;
    const dy = request.grad_output?.y;
    if (dy) reply.grad_inputs = { x: like(y, Array.from(y.data, (v, i) => v * dy.data[i]!)) };
    return reply;
  });

describe('a failing tensor cites its own rule', () => {
  it('an averaged bias gradient cites linear.md#b3, whatever rule the case headlines', async () => {
    const fixtures = small('linear', (f) => f.inputs.x!.shape[0]! > 1 && 'b' in f.params);
    expect(new Set(fixtures.map((f) => f.fixture.spec)).size).toBeGreaterThan(1); // headlines differ: f1, b2, u1…
    const results = await runAll(biasGradientAveraged(reference), fixtures);
    for (const r of results) {
      const db = r.failures.find((f) => f.stage === 'backward' && f.name === 'b');
      expect({ id: r.id, rule: db?.rule }).toEqual({ id: r.id, rule: 'spec/ops/linear.md#b3' });
      expect(r.message).toContain('[backward] grad_params.b (db)');
      expect(r.message).toContain('rule: spec/ops/linear.md#b3');
    }
  });

  it('a softmax backward without the dot term cites softmax.md#b1 in every case it fails', async () => {
    const fixtures = small('softmax');
    const results = await runAll(softmaxWithoutDotTerm(reference), fixtures);
    const failed = results.filter((r) => r.status === 'fail');
    expect(failed.length).toBeGreaterThan(3);
    for (const r of failed) {
      expect(r.failures.map((f) => [f.key, f.rule])).toEqual([['grad_inputs.x', 'spec/ops/softmax.md#b1']]);
    }
  });
});

describe('a missing tensor says what to add to the reply', () => {
  it('nests the wire key: a param after the update, an optimizer state tensor', () => {
    const W = { dtype: 'float32' as const, shape: [2, 3], data: new Float32Array(6) };
    const param = failureReport({ stage: 'update', label: 'b', name: 'b', key: 'params.b', rule: 'spec/ops/linear.md#u1', kind: 'missing', expected: { ...W, shape: [3], data: new Float32Array(3) } });
    expect(param.detail).toBe('[update] params.b (b) is missing from the reply: add {"params": {"b": {"dtype": "float32", "shape": [3], "data": [3 numbers]}}}; rule: spec/ops/linear.md#u1');
    const state = failureReport({ stage: 'update', label: 'exp_avg.W', name: 'W', stateKind: 'exp_avg', key: 'state.exp_avg.W', rule: 'spec/ops/linear.md#u4', kind: 'missing', expected: W });
    expect(state.detail).toBe('[update] state.exp_avg.W (exp_avg.W) is missing from the reply: add {"state": {"exp_avg": {"W": {"dtype": "float32", "shape": [2, 3], "data": [6 numbers]}}}}; rule: spec/ops/linear.md#u4');
    expect(state).toMatchObject({ key: 'state.exp_avg.W', rule: 'spec/ops/linear.md#u4' });
  });
});

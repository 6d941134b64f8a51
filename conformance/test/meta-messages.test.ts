// Broken activations judged by the failing tensor and its message; the text of a failing case; and
// crashes, hangs and malformed replies becoming this case's 'error', never the run's. (The broken
// implementations with a known hint are in meta.test.ts.)
import { createReferenceImplementation } from '../adapters/reference';
import type { CaseReply, Implementation } from '../implementation';
import { runCase } from '../run-case';
import { dropoutWithoutScale } from './broken/dropout-without-scale';
import { geluTanhForErf } from './broken/gelu-tanh-for-erf';
import { leakyReluSlopeOneAtZero } from './broken/leaky-relu-slope-one-at-zero';
import { logSoftmaxWithoutMax } from './broken/log-softmax-without-max';
import { softmaxBroadcastByLength } from './broken/softmax-broadcast-by-length';
import { tanhBackwardFromX } from './broken/tanh-backward-from-x';
import { linearTransposedDW } from './broken/linear-transposed-dw';
import { mseSignFlip } from './broken/mse-sign-flip';

import { runAll, select } from './broken/selection';
import { ruleLink } from '../../spec/rules';
import { type FixtureFilter, type LoadedFixture } from '../loader';

const reference = createReferenceImplementation();

/**
 * Broken activations, judged by the failing tensor and its message (the hints of conformance/hints.ts
 * do not know these ops): every failing case names the tensor at fault, with the worst element, its
 * expected value and why it fails.
 */
const BROKEN_ACTIVATIONS: {
  bug: string;
  make: (ref: Implementation) => Implementation;
  filter: FixtureFilter & { backward?: boolean };
  /** The tensor every failing case must name, and what its line says. */
  stage: 'forward' | 'backward';
  label: string;
  detail: RegExp;
}[] = [
  {
    bug: 'leaky_relu with slope 1 at x = 0 (x ≥ 0 passes dy)',
    make: leakyReluSlopeOneAtZero,
    filter: { ops: ['leaky_relu'], features: ['exact-zero'] },
    stage: 'backward',
    label: 'dx',
    detail: /^\[backward\] grad_inputs\.x \(dx\)\[0,\d+\] = \S+, expected \S+ \(\|Δ\| \S+ > atol/,
  },
  {
    bug: "gelu with the tanh approximation for approximate = 'none'",
    make: geluTanhForErf,
    filter: { ids: ['gelu/readable-2x3', 'gelu/default-approximate', 'gelu/erf-not-tanh', 'gelu/erf-not-tanh-float32'] },
    stage: 'forward',
    label: 'y',
    detail: /^\[forward\] forward\.y \(y\)\[\d+,\d+\] = -?0\.00\d+, expected -?0\.00\d+ \(\|Δ\| 0\.000\d+ > atol/,
  },
  {
    bug: 'log_softmax without max-subtraction (±1e3 logits)',
    make: logSoftmaxWithoutMax,
    filter: { ops: ['log_softmax'], features: ['extreme-values'] },
    stage: 'forward',
    label: 'y',
    detail: /^\[forward\] forward\.y \(y\)\[\d+,\d+\] = -Infinity, expected \S+ \(actual is not finite\); \d+\/\d+ elements differ; \d+ NaN\/Infinity where a finite value is expected/,
  },
  {
    bug: 'dropout without the 1/(1 − p) scale (p = 0.9, 0.99)',
    make: dropoutWithoutScale,
    filter: { ops: ['dropout'], features: ['extreme-values'] },
    stage: 'forward',
    label: 'y',
    detail: /^\[forward\] forward\.y \(y\)\[\d+,\d+\] = \S+, expected \S+ \(\|Δ\| \S+ > atol \S+ \+ rtol \S+·\|e\|, rel 0\.99?\)/,
  },
  {
    bug: 'tanh backward from x instead of y: dy·(1 − x²)',
    make: tanhBackwardFromX,
    filter: { ops: ['tanh'], backward: true },
    stage: 'backward',
    label: 'dx',
    detail: /^\[backward\] grad_inputs\.x \(dx\)\[\d+(,\d+)*\] = \S+, expected \S+ \(\|Δ\| \S+ > atol/,
  },
];

describe.each(BROKEN_ACTIVATIONS)('broken: $bug', ({ make, filter, stage, label, detail }) => {
  const fixtures = select(filter);

  it('the reference passes the same fixtures', async () => {
    const results = await runAll(reference, fixtures);
    expect(results.filter((r) => r.status !== 'pass').map((r) => r.message)).toEqual([]);
  });

  it(`at least one fixture fails, and every failure names ${stage} ${label} with its worst element`, async () => {
    const results = await runAll(make(reference), fixtures);
    const failed = results.filter((r) => r.status !== 'pass');
    expect(failed.length).toBeGreaterThan(0);
    for (const r of failed) {
      expect({ id: r.id, status: r.status }).toEqual({ id: r.id, status: 'fail' });
      const named = r.failures.find((f) => f.stage === stage && f.label === label);
      expect({ id: r.id, message: r.message, detail: named?.detail }).toMatchObject({ detail: expect.stringMatching(detail) });
    }
  });
});

describe('broken: softmax whose broadcast picks the axis by length (right for B ≠ C, wrong for B = C)', () => {
  const fixtures = select({ ops: ['softmax'] });
  const isSquare = (f: LoadedFixture): boolean => {
    const [rows, cols, ...rest] = f.inputs.x!.shape;
    return rest.length === 0 && cols !== undefined && rows === cols && rows > 1;
  };

  it('passes every non-square softmax case and fails every square one, the square-feature cases among them', async () => {
    const broken = softmaxBroadcastByLength(reference);
    const results = await runAll(broken, fixtures);
    const square = fixtures.filter(isSquare).map((f) => f.id);
    expect(results.filter((r) => r.status === 'pass').map((r) => r.id).sort()).toEqual(fixtures.filter((f) => !isSquare(f)).map((f) => f.id).sort());
    expect(results.filter((r) => r.status === 'fail').map((r) => r.id).sort()).toEqual([...square].sort());
    expect(select({ ops: ['softmax'], features: ['square'] }).every((f) => square.includes(f.id))).toBe(true);
    for (const r of results.filter((x) => x.status === 'fail')) expect(r.message).toMatch(/\[forward\] forward\.y \(y\)\[\d+,\d+\] = \S+, expected \S+/);
  });
});

describe('the message of a failing case', () => {
  it("names the case, stage, tensor's wire key, the hint and the tensor's rule; no headline when every line has its rule", async () => {
    const fixture = select({ ops: ['linear'], features: ['odd-shape', 'float64'], backward: true })[0]!;
    const result = await runCase(linearTransposedDW(reference), fixture);
    const lines = result.message.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^${fixture.id} \\[backward\\] grad_params\\.W \\(dW\\) has shape \\[\\d+, \\d+\\], expected \\[\\d+, \\d+\\]; hint: dW looks transposed.*; rule: spec/ops/linear\\.md#b2$`));
    expect(lines.filter((l) => l.startsWith('spec: '))).toEqual([]);
  });

  it('for a values mismatch: worst index, expected, actual, |Δ|, tolerance, k/n', async () => {
    const fixture = select({ ops: ['mse'], features: ['readable'], backward: true }).find((f) => f.backward!.grad_inputs.prediction!.data.some((v) => v !== 0))!;
    const result = await runCase(mseSignFlip(reference), fixture);
    expect(result.status).toBe('fail');
    expect(result.message).toMatch(
      new RegExp(`^${fixture.id} \\[backward\\] grad_inputs\\.prediction \\(dprediction\\)\\[\\d+,\\d+\\] = \\S+, expected \\S+ \\(\\|Δ\\| \\S+ > atol 1e-12 \\+ rtol 1e-10·\\|e\\|, rel \\S+\\); \\d+/\\d+ elements differ; hint: sign flip`),
    );
  });
});

describe('run-case never throws: a crash, a hang, a malformed reply are this case\'s error', () => {
  const fixture = (): LoadedFixture => select({ ops: ['relu'], features: ['readable'] })[0]!;
  const impl = (run: Implementation['run'], ops?: string[]): Implementation => ({ name: 'test double', run, ...(ops ? { ops } : {}) });

  it('an implementation that throws', async () => {
    const result = await runCase(
      impl(() => {
        throw new Error('boom');
      }),
      fixture(),
    );
    expect(result.status).toBe('error');
    expect(result.message).toMatch(/\[error\] test double threw: boom/);
  });

  it('an implementation that rejects', async () => {
    const result = await runCase(impl(async () => Promise.reject(new Error('async boom'))), fixture());
    expect(result.status).toBe('error');
    expect(result.message).toContain('async boom');
  });

  it('an implementation that never answers', async () => {
    const result = await runCase(impl(() => new Promise<CaseReply>(() => undefined)), fixture(), { timeoutMs: 50 });
    expect(result.status).toBe('error');
    expect(result.message).toContain('no reply within 50 ms');
  });

  it('a reply that is not an object', async () => {
    const result = await runCase(impl(async () => null as unknown as CaseReply), fixture());
    expect(result.status).toBe('error');
    expect(result.message).toContain('malformed reply');
  });

  it('a reply with missing tensors fails, naming them', async () => {
    const result = await runCase(impl(async () => ({ forward: {} })), fixture());
    expect(result.status).toBe('fail');
    const [y, dx] = [fixture().forward.y!, fixture().backward!.grad_inputs.x!];
    const shape = (t: typeof y) => `"dtype": "${t.dtype}", "shape": [${t.shape.join(', ')}], "data": [${t.data.length} numbers]`;
    expect(result.message).toContain(`[forward] forward.y (y) is missing from the reply: add {"forward": {"y": {${shape(y)}}}}; rule: ${ruleLink(fixture().fixture.rules['forward.y']!)}`);
    expect(result.message).toContain(`[backward] grad_inputs.x (dx) is missing from the reply: add {"grad_inputs": {"x": {${shape(dx)}}}}; rule: ${ruleLink(fixture().fixture.rules['backward.grad_inputs.x']!)}`);
  });

  it('an op the implementation does not list is not run (spec/INTERPRETING.md), never sent', async () => {
    let sent = 0;
    const result = await runCase(impl(async () => (sent++, { forward: {} }), ['matmul']), fixture());
    expect(result.status).toBe('not-run');
    expect(result.reason).toMatch(/^op '\w+' is not among the ops .* supports \(matmul\)$/);
    expect(sent).toBe(0);
  });

  it('a request tensor replaced or a param written to is a mutation', async () => {
    const linear = select({ ops: ['linear'], features: ['readable'] })[0]!;
    const result = await runCase(
      impl(async (request) => {
        const reply = await reference.run(request);
        request.params.W!.data[0] = -0.123; // an in-place update of the caller's weights
        return reply;
      }),
      linear,
    );
    expect(result.status).toBe('fail');
    expect(result.failures.map((f) => f.hint)).toContain('input mutated in place: W');
  });
});

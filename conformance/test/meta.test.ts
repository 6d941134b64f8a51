// The suite catches the bugs it exists to catch: each deliberately broken implementation fails at least
// one relevant fixture, every such failure carries the right hint, and the unbroken reference passes the
// very same fixtures (so no check here can pass vacuously). Also: crashes, hangs and malformed replies
// become this case's 'error', never the run's.
import { createReferenceImplementation } from '../adapters/reference';
import type { CaseReply, Implementation } from '../implementation';
import { loadFixtures, matchesFilter, type FixtureFilter, type LoadedFixture } from '../loader';
import type { CaseResult } from '../results';
import { runCase } from '../run-case';
import { crossEntropySummed } from './broken/cross-entropy-summed';
import { dropoutWithoutScale } from './broken/dropout-without-scale';
import { geluTanhForErf } from './broken/gelu-tanh-for-erf';
import { leakyReluSlopeOneAtZero } from './broken/leaky-relu-slope-one-at-zero';
import { logSoftmaxWithoutMax } from './broken/log-softmax-without-max';
import { softmaxBroadcastByLength } from './broken/softmax-broadcast-by-length';
import { tanhBackwardFromX } from './broken/tanh-backward-from-x';
import { linearTransposedDW } from './broken/linear-transposed-dw';
import { mseSignFlip } from './broken/mse-sign-flip';
import { reluBackwardInPlace } from './broken/relu-in-place';
import { reluGradAtZeroIsOne } from './broken/relu-grad-at-zero';
import { softmaxWithoutMax } from './broken/softmax-without-max';
import { adamWithoutBiasCorrection } from './broken/adam-without-bias-correction';
import { adamwCoupledDecay } from './broken/adamw-coupled-decay';
import { momentumBufferFromZero } from './broken/momentum-buffer-from-zero';
import { nesterovForgotten } from './broken/nesterov-forgotten';
import { weightDecayAfterStep } from './broken/weight-decay-after-step';
import { lossSeedIgnored } from './broken/loss-seed-ignored';

const reference = createReferenceImplementation();
const { fixtures: all } = loadFixtures();

type Selection = FixtureFilter & { backward?: boolean; where?: (f: LoadedFixture) => boolean };

/** The fixtures a broken implementation is judged on; throws when none match (no vacuous pass). */
function select(filter: Selection): LoadedFixture[] {
  const chosen = all.filter((f) => matchesFilter(f, filter) && (!filter.backward || f.backward !== undefined) && (!filter.where || filter.where(f)));
  if (chosen.length === 0) throw new Error(`meta-test: no fixture matches ${JSON.stringify(filter)} — the broken implementation would pass vacuously`);
  return chosen;
}

async function runAll(impl: Implementation, fixtures: LoadedFixture[]): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const f of fixtures) results.push(await runCase(impl, f));
  return results;
}

/** A trajectory whose gradients do not depend on the params (linear without weight decay): a wrong step leaves the state right. */
const noDecay = (f: LoadedFixture) => (f.update?.optimizer.weight_decay ?? 0) === 0;

const BROKEN: { bug: string; make: (ref: Implementation) => Implementation; filter: Selection; hint: RegExp }[] = [
  {
    bug: 'cross-entropy summed instead of averaged over the batch',
    make: crossEntropySummed,
    filter: { ops: ['cross_entropy'], features: ['reduction-mean'] },
    hint: /^wrong reduction: .*summed instead of averaged over the batch/,
  },
  { bug: "ReLU'(0) = 1", make: reluGradAtZeroIsOne, filter: { ops: ['relu'], features: ['exact-zero'] }, hint: /^ReLU'\(0\) must be 0/ },
  { bug: 'Linear dW transposed', make: linearTransposedDW, filter: { ops: ['linear'], backward: true }, hint: /^dW looks transposed \(weight layout is \(in, out\)/ },
  {
    bug: 'softmax without max-subtraction (±1e3 logits)',
    make: softmaxWithoutMax,
    filter: { ops: ['softmax'], features: ['extreme-values'] },
    hint: /^overflow: subtract the row max before exp$/,
  },
  { bug: 'ReLU backward writes into grad_output', make: reluBackwardInPlace, filter: { ops: ['relu'], backward: true }, hint: /^input mutated in place: grad_output\.y$/ },
  { bug: 'MSE gradient with its sign flipped', make: mseSignFlip, filter: { ops: ['mse'], backward: true }, hint: /^sign flip: dprediction/ },
  {
    bug: 'a loss backward that ignores its seed grad_output.loss',
    make: lossSeedIgnored,
    filter: { features: ['non-unit-seed'], where: (f) => f.op !== 'mlp' },
    hint: /^d\w+ is 1\/-?[\d.]+ of the expected: the loss seed grad_output\.loss = -?[\d.]+ was not multiplied in$/,
  },
  // Optimizers (spec/conventions.md#updates): update.state catches a wrong state update, and a right
  // state with wrong params points at the step.
  {
    bug: 'Adam without bias correction',
    make: adamWithoutBiasCorrection,
    filter: { ops: ['linear'], features: ['adam', 'trajectory'], where: noDecay },
    hint: /^the moments match but the params do not: the step from them is wrong \(lr\/\(1 − β1\^t\)/,
  },
  {
    bug: 'momentum buffer started at zero',
    make: momentumBufferFromZero,
    filter: { features: ['dampening', 'trajectory'] },
    hint: /^momentum_buffer differs after \d+ steps: the optimizer's state update is wrong \(the buffer starts as the first gradient itself, not at zero/,
  },
  {
    bug: 'weight decay applied after the step',
    make: weightDecayAfterStep,
    filter: { features: ['momentum', 'weight-decay', 'trajectory'] },
    hint: /^momentum_buffer differs after \d+ steps: .*with g = grad \+ weight_decay·p\)$/,
  },
  {
    bug: 'AdamW with coupled decay',
    make: adamwCoupledDecay,
    filter: { features: ['adamw', 'trajectory'] },
    hint: /^exp_avg(_sq)? differs after \d+ steps: .*AdamW's decay is decoupled and never enters the moments\)$/,
  },
  {
    bug: 'Nesterov forgotten',
    make: nesterovForgotten,
    filter: { ops: ['linear'], features: ['nesterov', 'trajectory'], where: noDecay },
    hint: /^the momentum buffer matches but the params do not: the step from it is wrong \(.*nesterov\)$/,
  },
];

describe.each(BROKEN)('broken: $bug', ({ make, filter, hint }) => {
  const fixtures = select(filter);

  it('the reference passes the same fixtures', async () => {
    const results = await runAll(reference, fixtures);
    const failed = results.filter((r) => r.status !== 'pass');
    expect(failed.map((r) => r.message)).toEqual([]);
  });

  it('at least one fixture fails, and every failure carries the hint', async () => {
    const results = await runAll(make(reference), fixtures);
    const failed = results.filter((r) => r.status !== 'pass');
    expect(failed.length).toBeGreaterThan(0);
    for (const r of failed) {
      expect({ id: r.id, status: r.status }).toEqual({ id: r.id, status: 'fail' });
      expect({ id: r.id, message: r.message, hinted: r.failures.some((f) => f.hint !== undefined && hint.test(f.hint)) }).toMatchObject({ hinted: true });
    }
  });
});

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
    detail: /^\[backward\] dx\[0,\d+\] = \S+, expected \S+ \(\|Δ\| \S+ > atol/,
  },
  {
    bug: "gelu with the tanh approximation for approximate = 'none'",
    make: geluTanhForErf,
    filter: { ids: ['gelu/readable-2x3', 'gelu/default-approximate', 'gelu/erf-not-tanh', 'gelu/erf-not-tanh-float32'] },
    stage: 'forward',
    label: 'y',
    detail: /^\[forward\] y\[\d+,\d+\] = -?0\.00\d+, expected -?0\.00\d+ \(\|Δ\| 0\.000\d+ > atol/,
  },
  {
    bug: 'log_softmax without max-subtraction (±1e3 logits)',
    make: logSoftmaxWithoutMax,
    filter: { ops: ['log_softmax'], features: ['extreme-values'] },
    stage: 'forward',
    label: 'y',
    detail: /^\[forward\] y\[\d+,\d+\] = -Infinity, expected \S+ \(actual is not finite\); \d+\/\d+ elements differ; \d+ NaN\/Infinity where a finite value is expected/,
  },
  {
    bug: 'dropout without the 1/(1 − p) scale (p = 0.9, 0.99)',
    make: dropoutWithoutScale,
    filter: { ops: ['dropout'], features: ['extreme-values'] },
    stage: 'forward',
    label: 'y',
    detail: /^\[forward\] y\[\d+,\d+\] = \S+, expected \S+ \(\|Δ\| \S+ > atol \S+ \+ rtol \S+·\|e\|, rel 0\.99?\)/,
  },
  {
    bug: 'tanh backward from x instead of y: dy·(1 − x²)',
    make: tanhBackwardFromX,
    filter: { ops: ['tanh'], backward: true },
    stage: 'backward',
    label: 'dx',
    detail: /^\[backward\] dx\[\d+(,\d+)*\] = \S+, expected \S+ \(\|Δ\| \S+ > atol/,
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
    for (const r of results.filter((x) => x.status === 'fail')) expect(r.message).toMatch(/\[forward\] y\[\d+,\d+\] = \S+, expected \S+/);
  });
});

describe('the message of a failing case', () => {
  it('names the case, stage, tensor, worst element, tolerance and hint, then the spec link', async () => {
    const fixture = select({ ops: ['linear'], features: ['odd-shape', 'float64'], backward: true })[0]!;
    const result = await runCase(linearTransposedDW(reference), fixture);
    const lines = result.message.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^${fixture.id} \\[backward\\] dW has shape \\[\\d+, \\d+\\], expected \\[\\d+, \\d+\\]; hint: dW looks transposed`));
    expect(lines[lines.length - 1]).toBe(`spec: ${fixture.fixture.spec}`);
  });

  it('for a values mismatch: worst index, expected, actual, |Δ|, tolerance, k/n', async () => {
    const fixture = select({ ops: ['mse'], features: ['readable'], backward: true }).find((f) => f.backward!.grad_inputs.prediction!.data.some((v) => v !== 0))!;
    const result = await runCase(mseSignFlip(reference), fixture);
    expect(result.status).toBe('fail');
    expect(result.message).toMatch(
      new RegExp(`^${fixture.id} \\[backward\\] dprediction\\[\\d+,\\d+\\] = \\S+, expected \\S+ \\(\\|Δ\\| \\S+ > atol 1e-12 \\+ rtol 1e-10·\\|e\\|, rel \\S+\\); \\d+/\\d+ elements differ; hint: sign flip`),
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
    expect(result.message).toContain('[forward] y is missing from the reply');
    expect(result.message).toContain('[backward] dx is missing from the reply');
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

// The suite catches the bugs it exists to catch: each deliberately broken implementation fails at least
// one relevant fixture, every such failure carries the right hint, and the unbroken reference passes the
// very same fixtures (so no check here can pass vacuously). Also: crashes, hangs and malformed replies
// become this case's 'error', never the run's.
import { createReferenceImplementation } from '../adapters/reference';
import type { CaseReply, Implementation } from '../implementation';
import { loadFixtures, matchesFilter, type FixtureFilter, type LoadedFixture } from '../loader';
import { runCase, type CaseResult } from '../run-case';
import { batchNormBiasedRunningVar } from './broken/batch-norm-biased-running-var';
import { batchNormNoMeanTerms } from './broken/batch-norm-no-mean-terms';
import { conv2dKernelNotFlipped } from './broken/conv2d-kernel-not-flipped';
import { conv2dPaddingIgnored } from './broken/conv2d-padding-ignored';
import { conv2dTransposedDW } from './broken/conv2d-transposed-dw';
import { crossEntropySummed } from './broken/cross-entropy-summed';
import { maxPoolEveryTie } from './broken/max-pool-every-tie';
import { linearTransposedDW } from './broken/linear-transposed-dw';
import { mseSignFlip } from './broken/mse-sign-flip';
import { reluBackwardInPlace } from './broken/relu-in-place';
import { reluGradAtZeroIsOne } from './broken/relu-grad-at-zero';
import { softmaxWithoutMax } from './broken/softmax-without-max';

const reference = createReferenceImplementation();
const { fixtures: all } = loadFixtures();

/** The fixtures a broken implementation is judged on; throws when none match (no vacuous pass). */
function select(filter: FixtureFilter & { backward?: boolean }): LoadedFixture[] {
  const chosen = all.filter((f) => matchesFilter(f, filter) && (!filter.backward || f.backward !== undefined));
  if (chosen.length === 0) throw new Error(`meta-test: no fixture matches ${JSON.stringify(filter)} — the broken implementation would pass vacuously`);
  return chosen;
}

async function runAll(impl: Implementation, fixtures: LoadedFixture[]): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const f of fixtures) results.push(await runCase(impl, f));
  return results;
}

const BROKEN: { bug: string; make: (ref: Implementation) => Implementation; filter: FixtureFilter & { backward?: boolean }; hint: RegExp }[] = [
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

// Wrong formulas of the CNN layers have no hint of their own: the message must still name the stage and
// the tensor, the worst element with expected and actual values, and the rule to read; and the case
// written to catch the bug must be among the failures.
const WRONG_FORMULAS: { bug: string; make: (ref: Implementation) => Implementation; filter: FixtureFilter & { backward?: boolean }; detail: RegExp; caughtBy: string }[] = [
  {
    bug: 'conv2d dx with the kernel not flipped',
    make: conv2dKernelNotFlipped,
    filter: { ops: ['conv2d'], backward: true },
    detail: /^\[backward\] dx\[[\d,]+\] = \S+, expected \S+ \(\|Δ\|/,
    caughtBy: 'conv2d/readable-flip-3x3',
  },
  {
    bug: 'conv2d dW with its channel axes swapped',
    make: conv2dTransposedDW,
    filter: { ops: ['conv2d'], backward: true },
    detail: /^\[backward\] dW( has shape \[\d+, \d+, \d+, \d+\], expected \[\d+, \d+, \d+, \d+\]|\[[\d,]+\] = \S+, expected)/,
    caughtBy: 'conv2d/padding-symmetric',
  },
  {
    bug: 'conv2d padding ignored in the backward',
    make: conv2dPaddingIgnored,
    filter: { ops: ['conv2d'], features: ['padding'], backward: true },
    detail: /^\[backward\] dx\[[\d,]+\] = \S+, expected \S+ \(\|Δ\|/,
    caughtBy: 'conv2d/padding-asymmetric',
  },
  {
    bug: 'max_pool2d gradient to every tied maximum',
    make: maxPoolEveryTie,
    filter: { ops: ['max_pool2d'], backward: true },
    detail: /^\[backward\] dx\[[\d,]+\] = \S+, expected 0 \(\|Δ\|/,
    caughtBy: 'max_pool2d/exact-tie',
  },
  {
    bug: 'batch_norm backward without the mean terms',
    make: batchNormNoMeanTerms,
    filter: { ops: ['batch_norm'], backward: true },
    detail: /^\[backward\] dx\[[\d,]+\] = \S+, expected \S+ \(\|Δ\|/,
    caughtBy: 'batch_norm/readable-2d-training',
  },
  {
    bug: 'batch_norm running variance biased',
    make: batchNormBiasedRunningVar,
    filter: { ops: ['batch_norm'] },
    detail: /^\[forward\] running_var_out\[\d+\] = \S+, expected \S+ \(\|Δ\|/,
    caughtBy: 'batch_norm/batch-2-unbiased',
  },
];

describe.each(WRONG_FORMULAS)('wrong formula: $bug', ({ make, filter, detail, caughtBy }) => {
  const fixtures = select(filter);

  it('the reference passes the same fixtures', async () => {
    const failed = (await runAll(reference, fixtures)).filter((r) => r.status !== 'pass');
    expect(failed.map((r) => r.message)).toEqual([]);
  });

  it(`fails ${caughtBy} and every failure names the tensor, the worst element and the rule`, async () => {
    const failed = (await runAll(make(reference), fixtures)).filter((r) => r.status !== 'pass');
    expect(failed.map((r) => r.id)).toContain(caughtBy);
    for (const r of failed) {
      expect({ id: r.id, status: r.status }).toEqual({ id: r.id, status: 'fail' });
      expect({ id: r.id, details: r.failures.map((f) => f.detail) }).toEqual({ id: r.id, details: r.failures.map(() => expect.stringMatching(detail)) });
      expect(r.message.split('\n').at(-1)).toBe(`spec: ${r.spec}`);
    }
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
      new RegExp(`^${fixture.id} \\[backward\\] dprediction\\[\\d+,\\d+\\] = \\S+, expected \\S+ \\(\\|Δ\\| \\S+ > atol 1e-9 \\+ rtol 1e-7·\\|e\\|, rel \\S+\\); \\d+/\\d+ elements differ; hint: sign flip`),
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

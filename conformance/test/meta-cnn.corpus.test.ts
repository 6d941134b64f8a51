// Whole-op runs of each broken implementation (`npm run test:corpus`); `npm test` runs the same bugs on their chosen
// cases in catalogue.test.ts.
// The CNN layers' classic wrong formulas (issue 11): each fails the case that pins it, every failure
// names the tensor and worst element, and the reference passes the same fixtures.
import { createReferenceImplementation } from '../adapters/reference';
import type { Implementation } from '../implementation';
import type { FixtureFilter } from '../loader';
import { batchNormBiasedRunningVar } from './broken/batch-norm-biased-running-var';
import { batchNormNoMeanTerms } from './broken/batch-norm-no-mean-terms';
import { conv2dKernelNotFlipped } from './broken/conv2d-kernel-not-flipped';
import { conv2dPaddingIgnored } from './broken/conv2d-padding-ignored';
import { conv2dTransposedDW } from './broken/conv2d-transposed-dw';
import { maxPoolEveryTie } from './broken/max-pool-every-tie';
import { runAll, select } from './broken/selection';

const reference = createReferenceImplementation();

// Wrong formulas of the CNN layers have no hint of their own: the message must still name the stage and
// the tensor, the worst element with expected and actual values, and the rule to read; and the case
// written to catch the bug must be among the failures.
const WRONG_FORMULAS: { bug: string; make: (ref: Implementation) => Implementation; filter: FixtureFilter & { backward?: boolean }; detail: RegExp; caughtBy: string }[] = [
  {
    bug: 'conv2d dx with the kernel not flipped',
    make: conv2dKernelNotFlipped,
    filter: { ops: ['conv2d'], backward: true },
    detail: /^\[backward\] grad_inputs\.x \(dx\)\[[\d,]+\] = \S+, expected \S+ \(\|Δ\|/,
    caughtBy: 'conv2d/readable-flip-3x3',
  },
  {
    bug: 'conv2d dW with its channel axes swapped',
    make: conv2dTransposedDW,
    filter: { ops: ['conv2d'], backward: true },
    detail: /^\[backward\] grad_params\.W \(dW\)( has shape \[\d+, \d+, \d+, \d+\], expected \[\d+, \d+, \d+, \d+\]|\[[\d,]+\] = \S+, expected)/,
    caughtBy: 'conv2d/padding-symmetric',
  },
  {
    bug: 'conv2d padding ignored in the backward',
    make: conv2dPaddingIgnored,
    filter: { ops: ['conv2d'], features: ['padding'], backward: true },
    detail: /^\[backward\] grad_inputs\.x \(dx\)\[[\d,]+\] = \S+, expected \S+ \(\|Δ\|/,
    caughtBy: 'conv2d/padding-asymmetric',
  },
  {
    bug: 'max_pool2d gradient to every tied maximum',
    make: maxPoolEveryTie,
    filter: { ops: ['max_pool2d'], backward: true },
    detail: /^\[backward\] grad_inputs\.x \(dx\)\[[\d,]+\] = \S+, expected 0 \(\|Δ\|/,
    caughtBy: 'max_pool2d/exact-tie',
  },
  {
    bug: 'batch_norm backward without the mean terms',
    make: batchNormNoMeanTerms,
    filter: { ops: ['batch_norm'], backward: true },
    detail: /^\[backward\] grad_inputs\.x \(dx\)\[[\d,]+\] = \S+, expected \S+ \(\|Δ\|/,
    caughtBy: 'batch_norm/readable-2d-training',
  },
  {
    bug: 'batch_norm running variance biased',
    make: batchNormBiasedRunningVar,
    filter: { ops: ['batch_norm'] },
    detail: /^\[forward\] forward\.running_var_out \(running_var_out\)\[\d+\] = \S+, expected \S+ \(\|Δ\|/,
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
      for (const f of r.failures) expect(f.detail).toMatch(new RegExp(`; rule: spec/ops/${r.op}\\.md#[fbus]\\d+$`));
    }
  });
});

// Whole-op runs of each broken implementation (`npm run test:corpus`); `npm test` runs the same bugs on their chosen
// cases in catalogue.test.ts.
// The suite catches the bugs it exists to catch: each deliberately broken implementation fails at least
// one relevant fixture, every such failure carries the right hint, and the unbroken reference passes the
// very same fixtures (so no check here can pass vacuously).
import { createReferenceImplementation } from '../adapters/reference';
import type { Implementation } from '../implementation';
import { crossEntropySummed } from './broken/cross-entropy-summed';
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

import { runAll, select, type Selection } from './broken/selection';
import { type LoadedFixture } from '../loader';

const reference = createReferenceImplementation();

const noDecay = (f: LoadedFixture) => (f.update?.optimizer.weight_decay ?? 0) === 0;

const BROKEN: { bug: string; make: (ref: Implementation) => Implementation; filter: Selection; hint: RegExp }[] = [
  {
    bug: 'cross-entropy summed instead of averaged over the batch',
    make: crossEntropySummed,
    filter: { ops: ['cross_entropy'], features: ['reduction-mean'] },
    hint: /^(every element of dlogits|loss) is \d+× the expected \(= B, B = \d+\): summed instead of averaged over the batch$/,
  },
  { bug: "ReLU'(0) = 1", make: reluGradAtZeroIsOne, filter: { ops: ['relu'], features: ['exact-zero'] }, hint: /^ReLU'\(0\) must be 0/ },
  { bug: 'Linear dW transposed', make: linearTransposedDW, filter: { ops: ['linear'], backward: true }, hint: /^dW looks transposed \(weight layout is \(in, out\)/ },
  {
    bug: 'softmax without max-subtraction (±1e3 logits)',
    make: softmaxWithoutMax,
    filter: { ops: ['softmax'], features: ['extreme-values'] },
    hint: /^overflow: subtract the row max before exp \(\d+ NaN where finite values are due\)$/,
  },
  { bug: 'ReLU backward writes into grad_output', make: reluBackwardInPlace, filter: { ops: ['relu'], backward: true }, hint: /^input mutated in place: grad_output\.y$/ },
  { bug: 'MSE gradient with its sign flipped', make: mseSignFlip, filter: { ops: ['mse'], backward: true }, hint: /^sign flip: dprediction/ },
  {
    bug: 'a loss backward that ignores its seed grad_output.loss',
    make: lossSeedIgnored,
    filter: { features: ['non-unit-seed'], where: (f) => f.op !== 'mlp' },
    hint: /^every element of d\w+ is -?[\d.]+× the expected \(= (2 = )?1\/s, s = -?[\d.]+\): .*the loss seed grad_output\.loss = -?[\d.]+ was not multiplied in$/,
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
    hint: /^(every element of momentum_buffer\.\w+ is [\d.]+× the expected; )?momentum_buffer differs after \d+ steps: the optimizer's state update is wrong \(the buffer starts as the first gradient itself, not at zero/,
  },
  {
    bug: 'weight decay applied after the step',
    make: weightDecayAfterStep,
    filter: { features: ['momentum', 'weight-decay', 'trajectory'] },
    hint: /^(every element of momentum_buffer\.\w+ is [\d.]+× the expected; )?momentum_buffer differs after \d+ steps: .*with g = grad \+ weight_decay·p\)(; or an earlier step left \w+ wrong, and the gradients taken from it)?$/,
  },
  {
    bug: 'AdamW with coupled decay',
    make: adamwCoupledDecay,
    filter: { features: ['adamw', 'trajectory'] },
    hint: /^(every element of exp_avg(_sq)?\.\w+ is [\d.]+× the expected; )?exp_avg(_sq)? differs after \d+ steps: .*AdamW's decay is decoupled and never enters the moments\)(; or an earlier step left \w+ wrong, and the gradients taken from it)?$/,
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

// Cases for spec/ops/linear.md. Each expect() writes fixtures/linear/<id>.json.
import { opCases } from '../define-op';
import { isPlainSgd } from '../rules';
import type { Feature } from '../../spec/types/fixture';
import { linearBackward, linearForward } from '../formulas/linear';
import type { Prng } from '../prng';
import { randn, tensor } from '../tensor';

const linear = opCases('linear', {
  // Without a bias: f2, b4, u3. Another optimizer than plain SGD: u4; a plain SGD trajectory: u2.
  rules: ({ attribute, optimizer }) => {
    const bias = attribute('bias') !== false;
    const step = optimizer && !isPlainSgd(optimizer) ? 'u4' : !bias ? 'u3' : (optimizer?.steps ?? 1) > 1 ? 'u2' : 'u1';
    const noBias = bias ? {} : { 'forward.y': 'f2', 'backward.grad_inputs.x': 'b4', 'backward.grad_params.W': 'b4' };
    return { ...noBias, 'update.params.W': step, 'update.params.b': step, 'update.state': step };
  },
  // f1: y = x·W + b; f2: with bias false the registry gives no b (v.b is undefined): y = x·W.
  forward: (g, v) => ({ y: linearForward(g, v.x!, v.W!, v.b) }),
  // b1: dx = dy·Wᵀ; b2: dW = xᵀ·dy; b3: db = Σ_batch dy (only written out when the case has b, b4).
  backward: (g, v, dy) => linearBackward(g, v.x!, v.W!, dy.y!),
});

/** x ~ N(0,1); W Kaiming-like, randn·sqrt(2/in); b ~ N(0, 0.5²) so a missing bias shows. */
function randomLayer(rng: Prng, batch: number, inFeatures: number, outFeatures: number) {
  return {
    inputs: { x: randn(rng, [batch, inFeatures]) },
    params: {
      W: randn(rng, [inFeatures, outFeatures], { std: Math.sqrt(2 / inFeatures) }),
      b: randn(rng, [outFeatures], { std: 0.5 }),
    },
  };
}

linear.expect({
  id: 'readable-batch-2-3-to-2',
  rule: 'f1',
  description: 'batch 2, 3 → 2 with small integers and halves, one SGD step (lr 0.5)',
  features: ['readable', 'non-square'],
  update: { lr: 0.5 },
  data: () => ({
    inputs: { x: tensor([2, 3], [1, 2, 3, -1, 0, 2]) },
    params: { W: tensor([3, 2], [0.5, -1, 1, 0, -0.5, 2]), b: tensor([2], [1, -2]) },
    grad_output: { y: tensor([2, 2], [1, -1, 0.5, 2]) },
  }),
});

// [id, batch, in, out, rule, features, lr, steps]: every case also takes SGD steps.
const RANDOM: [string, number, number, number, 'f1' | 'b1' | 'b2' | 'b3' | 'u1' | 'u2', Feature[], number, number][] = [
  ['one-by-one', 1, 1, 1, 'f1', ['batch-1', 'odd-shape'], 0.1, 1],
  ['batch-1-4-to-3', 1, 4, 3, 'b1', ['batch-1', 'non-square'], 0.1, 1],
  ['batch-3-5-to-7', 3, 5, 7, 'b2', ['odd-shape', 'non-square'], 0.1, 1],
  ['batch-5-2-to-3', 5, 2, 3, 'b3', ['odd-shape', 'non-square'], 0.1, 1],
  ['large-batch-64-784-to-50', 64, 784, 50, 'b3', ['large', 'non-square'], 0.01, 1],
  ['update-lr-0-5', 3, 4, 2, 'u1', ['non-square'], 0.5, 1],
  ['update-3-steps', 4, 3, 2, 'u2', ['non-square'], 0.1, 3],
];
for (const [id, batch, inF, outF, rule, features, lr, steps] of RANDOM) {
  linear.expect({
    id,
    rule,
    description: `random batch ${batch}, ${inF} → ${outF}, ${steps} SGD step${steps > 1 ? 's' : ''} (lr ${lr})`,
    features,
    update: { lr, steps },
    data: (rng) => randomLayer(rng, batch, inF, outF),
  });
}

// float32: no tolerance override; other float32 summation orders stay ≤ 0.42 of the default (matmul.ts).
for (const [id, batch, inF, outF, rule, features, lr] of [
  ['float32-batch-3-5-to-7', 3, 5, 7, 'b2', ['odd-shape', 'non-square'], 0.1],
  ['float32-large-batch-64-784-to-50', 64, 784, 50, 'b3', ['large', 'non-square'], 0.01],
] as const) {
  linear.expect({
    id,
    rule,
    description: `float32 variant: random batch ${batch}, ${inF} → ${outF}, one SGD step (lr ${lr})`,
    features: [...features],
    dtype: 'float32',
    update: { lr },
    data: (rng) => randomLayer(rng, batch, inF, outF),
  });
}

// bias: false (f2, b4, u3): no b param, no db, no b in the update. The readable case is the
// readable-batch-2-3-to-2 layer without its b, so the two read side by side.
linear.expect({
  id: 'no-bias-readable-batch-2-3-to-2',
  rule: 'f2',
  description: 'bias false: y = x·W for the readable 3 → 2 layer, no b, no db; one SGD step (lr 0.5)',
  features: ['readable', 'non-square', 'no-bias'],
  attributes: { bias: false },
  update: { lr: 0.5 },
  data: () => ({
    inputs: { x: tensor([2, 3], [1, 2, 3, -1, 0, 2]) },
    params: { W: tensor([3, 2], [0.5, -1, 1, 0, -0.5, 2]) },
    grad_output: { y: tensor([2, 2], [1, -1, 0.5, 2]) },
  }),
});
for (const [id, batch, inF, outF, rule, features, dtype, steps] of [
  ['no-bias-batch-1-4-to-3', 1, 4, 3, 'b4', ['batch-1', 'non-square'], 'float64', 1],
  ['no-bias-batch-3-5-to-7-3-steps', 3, 5, 7, 'u3', ['odd-shape', 'non-square'], 'float64', 3],
  ['no-bias-float32-batch-3-5-to-7', 3, 5, 7, 'b4', ['odd-shape', 'non-square'], 'float32', 1],
] as const) {
  linear.expect({
    id,
    rule,
    description: `${dtype === 'float32' ? 'float32 variant: ' : ''}bias false, random batch ${batch}, ${inF} → ${outF}, ${steps} SGD step${steps > 1 ? 's' : ''} (lr 0.1)`,
    features: [...features, 'no-bias'],
    dtype,
    attributes: { bias: false },
    update: { lr: 0.1, steps },
    data: (rng) => {
      const { inputs, params } = randomLayer(rng, batch, inF, outF);
      return { inputs, params: { W: params.W } };
    },
  });
}

// u4: every optimizer of tools/formulas/optimizers.ts as a trajectory, with its state after the last
// step in update.state. dW and db do not depend on W or b (u2), so a step's gradient changes only
// through weight decay: the momentum buffer and Adam's moments do the rest.
for (const [id, batch, inF, outF, steps, update, dtype, features] of [
  ['momentum-3-steps', 4, 3, 2, 3, { lr: 0.1, momentum: 0.9 }, 'float64', []],
  ['momentum-dampening-4-steps', 3, 5, 7, 4, { lr: 0.1, momentum: 0.9, dampening: 0.5 }, 'float64', ['odd-shape']],
  ['nesterov-weight-decay-4-steps', 4, 3, 2, 4, { lr: 0.1, momentum: 0.9, nesterov: true, weight_decay: 0.01 }, 'float64', []],
  ['nesterov-4-steps', 4, 3, 2, 4, { lr: 0.1, momentum: 0.9, nesterov: true }, 'float64', []],
  ['weight-decay-3-steps', 4, 3, 2, 3, { lr: 0.1, weight_decay: 0.05 }, 'float64', []],
  ['adam-3-steps', 4, 3, 2, 3, { type: 'adam', lr: 0.05 }, 'float64', []],
  ['adam-weight-decay-4-steps', 3, 5, 7, 4, { type: 'adam', lr: 0.05, weight_decay: 0.1 }, 'float64', ['odd-shape']],
  ['adamw-4-steps', 4, 3, 2, 4, { type: 'adamw', lr: 0.05, weight_decay: 0.1 }, 'float64', []],
  ['batch-1-adamw-defaults-3-steps', 1, 4, 3, 3, { type: 'adamw', lr: 1e-3 }, 'float64', ['batch-1']],
  ['float32-momentum-dampening-3-steps', 3, 5, 7, 3, { lr: 0.1, momentum: 0.9, dampening: 0.1, weight_decay: 0.01 }, 'float32', ['odd-shape']],
  ['float32-nesterov-weight-decay-3-steps', 3, 5, 7, 3, { lr: 0.1, momentum: 0.9, nesterov: true, weight_decay: 0.01 }, 'float32', ['odd-shape']],
  ['float32-adam-3-steps', 3, 5, 7, 3, { type: 'adam', lr: 0.01, weight_decay: 0.01 }, 'float32', ['odd-shape']],
  ['float32-adamw-3-steps', 3, 5, 7, 3, { type: 'adamw', lr: 0.01 }, 'float32', ['odd-shape']],
] as const) {
  const name = 'type' in update ? (update.type === 'adam' ? 'Adam' : 'AdamW') : 'SGD';
  linear.expect({
    id,
    rule: 'u4',
    description: `${dtype === 'float32' ? 'float32: ' : ''}batch ${batch}, ${inF} → ${outF}, ${steps} ${name} steps, ${Object.entries(update).filter(([k]) => k !== 'type').map(([k, v]) => `${k} ${String(v)}`).join(', ')}`,
    features: [...features, 'non-square'],
    dtype,
    update: { ...update, steps },
    data: (rng) => randomLayer(rng, batch, inF, outF),
  });
}

linear.expect({
  id: 'no-bias-adam-3-steps',
  rule: 'u3',
  description: 'bias false with Adam: only W steps, and update.state holds W\'s moments only',
  features: ['odd-shape', 'non-square', 'no-bias'],
  attributes: { bias: false },
  update: { type: 'adam', lr: 0.05, steps: 3 },
  data: (rng) => ({ inputs: { x: randn(rng, [3, 5]) }, params: { W: randn(rng, [5, 7], { std: Math.sqrt(2 / 5) }) } }),
});

export default linear;

// Cases for spec/ops/mlp.md. Each expect() writes fixtures/mlp/<id>.json.
// The graphs follow the `sizes` attribute (as the registry's W{layer}, b{layer} params do), so any depth works.
import { opCases, type Attributes } from '../define-op';
import { isPlainSgd } from '../rules';
import type { Graph } from '../onnx/graph';
import { linearBackward, linearForward } from '../formulas/linear';
import { lossFormulas, type LossName } from '../formulas/losses';
import { randn, randomOneHot, tensor, uniform, type Tensor } from '../tensor';
import type { Prng } from '../prng';
import type { OptimizerSpec } from '../formulas/optimizers';

function layerCount(a: Attributes): number {
  const sizes = Array.isArray(a.sizes) ? a.sizes : [];
  if (sizes.length >= 2) return sizes.length - 1;
  throw new Error(`mlp: sizes [${String(sizes)}] must name at least two widths (input and output)`);
}

const loss = (a: Attributes) => lossFormulas(a.loss as LossName, a.reduction === 'sum' ? 'sum' : 'mean');

/** A hidden activation: y from the pre-activation a, and dy → da from a or y (the op pages' rules). */
interface Hidden {
  forward(g: Graph, a: string): string;
  backward(g: Graph, a: string, y: string, dy: string): string;
}

/** The `activation` attribute's ops (f5). Each is the op's own graph; a new activation is one line. */
const HIDDEN: Record<string, Hidden> = {
  // relu.md: max(a, 0); dy where a > 0, else 0 (ReLU'(0) = 0, relu.md#b2).
  relu: { forward: (g, a) => g.op('Relu', [a]), backward: (g, a, _y, dy) => g.op('Where', [g.op('Greater', [a, g.constant(0)]), dy, g.constant(0)]) },
  // sigmoid.md: 1/(1 + e^−a); dy·y·(1 − y).
  sigmoid: {
    forward: (g, a) => g.op('Div', [g.constant(1), g.op('Add', [g.constant(1), g.op('Exp', [g.op('Neg', [a])])])]),
    backward: (g, _a, y, dy) => g.op('Mul', [dy, g.op('Mul', [y, g.op('Sub', [g.constant(1), y])])]),
  },
  // tanh.md: tanh(a); dy·(1 − y²).
  tanh: { forward: (g, a) => g.op('Tanh', [a]), backward: (g, _a, y, dy) => g.op('Mul', [dy, g.op('Sub', [g.constant(1), g.op('Mul', [y, y])])]) },
  // leaky_relu.md with its default alpha 0.01: a where a > 0, else 0.01·a; the slope at 0 is alpha (b2).
  leaky_relu: {
    forward: (g, a) => g.op('Where', [g.op('Greater', [a, g.constant(0)]), a, g.op('Mul', [g.constant(0.01), a])]),
    backward: (g, a, _y, dy) => g.op('Where', [g.op('Greater', [a, g.constant(0)]), dy, g.op('Mul', [g.constant(0.01), dy])]),
  },
};

function hidden(a: Attributes): Hidden {
  const name = a.activation ?? 'relu';
  const h = typeof name === 'string' ? HIDDEN[name] : undefined;
  if (!h) throw new Error(`mlp: activation ${String(name)} is not one of ${Object.keys(HIDDEN).join(', ')}`);
  return h;
}

const mlp = opCases('mlp', {
  // The loss's rule (f2 cross_entropy, f3 mse, f4 mse_softmax); f5 for another hidden activation; u3 for another optimizer.
  rules: ({ attribute, optimizer }) => ({
    'forward.loss': ({ cross_entropy: 'f2', mse: 'f3', mse_softmax: 'f4' } as Record<string, string>)[String(attribute('loss'))] ?? 'f2',
    ...(attribute('activation') !== 'relu' ? { 'forward.logits': 'f5' } : {}),
    ...(optimizer && !isPlainSgd(optimizer) ? { 'update.params.W{layer}': 'u3', 'update.params.b{layer}': 'u3' } : {}),
  }),
  // f1: Linear → activation → … → Linear; layer i's input `in<i>` and pre-activation `pre<i>` are
  // kept for the backward.
  forward: (g, v, a) => {
    const layers = layerCount(a);
    const out: Record<string, string> = { in0: v.x! };
    for (let i = 0; i < layers; i++) {
      out[`pre${i}`] = linearForward(g, out[`in${i}`]!, v[`W${i}`]!, v[`b${i}`]!);
      if (i < layers - 1) out[`in${i + 1}`] = hidden(a).forward(g, out[`pre${i}`]!);
    }
    out.logits = out[`pre${layers - 1}`]!;
    out.loss = loss(a).forward(g, out.logits, v.target!); // f2–f4
    return out;
  },
  // b1: the loss's gradient, then each layer in reverse, through the activation's own backward.
  backward: (g, v, dy, a, out) => {
    const layers = layerCount(a);
    const grads: Record<string, string> = {};
    let d = loss(a).backward(g, out.logits!, v.target!, dy.loss!);
    for (let i = layers - 1; i >= 0; i--) {
      if (i < layers - 1) d = hidden(a).backward(g, out[`pre${i}`]!, out[`in${i + 1}`]!, d);
      const lin = linearBackward(g, out[`in${i}`]!, v[`W${i}`]!, d);
      [grads[`W${i}`], grads[`b${i}`], d] = [lin.W, lin.b, lin.x];
    }
    grads.x = d;
    return grads;
  },
});

/** Kaiming init W ~ N(0, 2/in), small random biases, x uniform in [0, 1) like MNIST pixels. */
function network(rng: Prng, sizes: number[], batch: number) {
  const params: Record<string, Tensor> = {};
  for (let i = 0; i + 1 < sizes.length; i++) {
    params[`W${i}`] = randn(rng, [sizes[i]!, sizes[i + 1]!], { std: Math.sqrt(2 / sizes[i]!) });
    params[`b${i}`] = randn(rng, [sizes[i + 1]!], { std: 0.1 });
  }
  const x = uniform(rng, [batch, sizes[0]!], 0, 1);
  return { inputs: { x, target: randomOneHot(rng, batch, sizes[sizes.length - 1]!) }, params };
}

mlp.expect({
  id: 'readable-4-3-2',
  rule: 'u1',
  description: 'a 4-3-2 network, batch 2, cross-entropy; three SGD steps with lr 0.5',
  features: ['readable', 'reduction-mean'],
  attributes: { sizes: [4, 3, 2], loss: 'cross_entropy', reduction: 'mean' },
  update: { lr: 0.5, steps: 3 },
  data: () => ({
    inputs: { x: tensor([2, 4], [1, 0.5, -1, 2, 0, -0.5, 1.5, 1]), target: tensor([2, 2], [1, 0, 0, 1]) },
    params: {
      W0: tensor([4, 3], [0.5, -0.25, 0.75, -0.5, 1, 0.25, 0.25, 0.5, -1, 1, -0.5, 0.5]),
      b0: tensor([3], [0.1, 0, -0.1]),
      W1: tensor([3, 2], [1, -1, -0.5, 0.5, 0.75, 0.25]),
      b1: tensor([2], [0, 0.2]),
    },
  }),
});

mlp.expect({
  id: 'dead-hidden-unit',
  rule: 's1',
  description: 'hidden unit 1 is inactive on every row: its W0 column, b0 entry and W1 row get 0',
  features: ['readable', 'exact-zero', 'reduction-mean'],
  attributes: { sizes: [2, 3, 2], loss: 'cross_entropy', reduction: 'mean' },
  data: () => ({
    inputs: { x: tensor([2, 2], [1, 2, 0.5, -1]), target: tensor([2, 2], [0, 1, 1, 0]) },
    params: {
      W0: tensor([2, 3], [1, -0.5, 0.5, -0.5, -0.25, 1]),
      b0: tensor([3], [0.5, -2, 0.25]),
      W1: tensor([3, 2], [1, -1, 2, 0.5, -0.5, 1]),
      b1: tensor([2], [0, 0]),
    },
  }),
});

mlp.expect({
  id: 'mnist-784-50-10',
  rule: 'u2',
  description: "the seed's 784-50-10 network, batch 8, Kaiming init; 5 SGD steps with lr 0.1",
  features: ['large', 'reduction-mean'],
  attributes: { sizes: [784, 50, 10], loss: 'cross_entropy', reduction: 'mean' },
  update: { lr: 0.1, steps: 5 },
  data: (rng) => network(rng, [784, 50, 10], 8),
});

for (const [lossName, rule] of [['cross_entropy', 'f2'], ['mse', 'f3'], ['mse_softmax', 'f4']] as const) {
  mlp.expect({
    id: `small-${lossName.replace('_', '-')}`,
    rule,
    description: `a 6-5-3 network, batch 4, loss ${lossName}; four SGD steps with lr 0.5`,
    features: lossName === 'cross_entropy' ? ['reduction-mean'] : [],
    attributes: { sizes: [6, 5, 3], loss: lossName, ...(lossName === 'cross_entropy' ? { reduction: 'mean' } : {}) },
    update: { lr: 0.5, steps: 4 },
    data: (rng) => network(rng, [6, 5, 3], 4),
  });
}

mlp.expect({
  id: 'deep-5-6-4-3',
  rule: 'b1',
  description: 'three Linear layers (5-6-4-3), batch 3, cross-entropy; two SGD steps with lr 0.3',
  features: ['odd-shape', 'reduction-mean'],
  attributes: { sizes: [5, 6, 4, 3], loss: 'cross_entropy', reduction: 'mean' },
  update: { lr: 0.3, steps: 2 },
  data: (rng) => network(rng, [5, 6, 4, 3], 3),
});

mlp.expect({
  id: 'batch-1',
  rule: 'f1',
  description: 'a 5-4-3 network on a single example, cross-entropy, one SGD step',
  features: ['batch-1', 'odd-shape', 'reduction-mean'],
  attributes: { sizes: [5, 4, 3], loss: 'cross_entropy', reduction: 'mean' },
  update: { lr: 0.1 },
  data: (rng) => network(rng, [5, 4, 3], 1),
});

mlp.expect({
  id: 'small-cross-entropy-float32',
  rule: 'b1',
  description: 'float32 variant: a 6-5-3 network, batch 4, cross-entropy, three steps',
  dtype: 'float32',
  features: ['reduction-mean'],
  attributes: { sizes: [6, 5, 3], loss: 'cross_entropy', reduction: 'mean' },
  update: { lr: 0.5, steps: 3 },
  data: (rng) => network(rng, [6, 5, 3], 4),
});

// A loss seed ≠ 1 scales every gradient and so every SGD step; a backward that ignores it passes the
// cases above (seed 1).
mlp.expect({
  id: 'seeded-loss-6-5-3',
  rule: 'b1',
  description: 'a 6-5-3 network, batch 4, cross-entropy with loss seed −0.75; three SGD steps with lr 0.5',
  features: ['non-unit-seed', 'reduction-mean'],
  attributes: { sizes: [6, 5, 3], loss: 'cross_entropy', reduction: 'mean' },
  update: { lr: 0.5, steps: 3 },
  data: (rng) => ({ ...network(rng, [6, 5, 3], 4), grad_output: { loss: tensor([], [-0.75]) } }),
});

// u3: every optimizer as the trajectory's, its state after the last step in update.state.
for (const [id, update, steps, features] of [
  ['momentum-6-5-3', { lr: 0.5, momentum: 0.9, dampening: 0.1, weight_decay: 1e-3 }, 4, []],
  ['nesterov-6-5-3', { lr: 0.5, momentum: 0.9, nesterov: true }, 4, []],
  ['weight-decay-6-5-3', { lr: 0.5, weight_decay: 0.05 }, 3, []],
  ['adam-6-5-3', { type: 'adam', lr: 0.01 }, 4, []],
  ['adam-weight-decay-6-5-3', { type: 'adam', lr: 0.01, weight_decay: 0.1 }, 3, []],
  ['adamw-6-5-3', { type: 'adamw', lr: 0.01, weight_decay: 0.1 }, 4, []],
  // Non-default betas and eps: without this case, src's createOptimizer dropping the betas survived mutation testing.
  ['adam-betas-eps-6-5-3', { type: 'adam', lr: 0.01, betas: [0.8, 0.99], eps: 1e-3 }, 3, []],
] as [string, OptimizerSpec, number, []][]) {
  mlp.expect({
    id,
    rule: 'u3',
    description: `6-5-3 network, batch 4; ${steps} steps of ${Object.entries(update).map(([k, v]) => `${k} ${String(v)}`).join(', ')}`,
    features: [...features, 'reduction-mean'],
    attributes: { sizes: [6, 5, 3], loss: 'cross_entropy', reduction: 'mean' },
    update: { ...update, steps },
    data: (rng) => network(rng, [6, 5, 3], 4),
  });
}

mlp.expect({
  id: 'adamw-mnist-784-50-10',
  rule: 'u3',
  description: "the seed's 784-50-10 network, batch 8, Kaiming init; 3 AdamW steps with lr 1e-3",
  features: ['large', 'reduction-mean'],
  attributes: { sizes: [784, 50, 10], loss: 'cross_entropy', reduction: 'mean' },
  update: { type: 'adamw', lr: 1e-3, steps: 3 },
  data: (rng) => network(rng, [784, 50, 10], 8),
});

mlp.expect({
  id: 'adam-6-5-3-float32',
  rule: 'u3',
  description: 'float32 variant: a 6-5-3 network, batch 4, cross-entropy; 3 Adam steps with lr 0.01',
  dtype: 'float32',
  features: ['reduction-mean'],
  attributes: { sizes: [6, 5, 3], loss: 'cross_entropy', reduction: 'mean' },
  update: { type: 'adam', lr: 0.01, steps: 3 },
  data: (rng) => network(rng, [6, 5, 3], 4),
});

// f5: the hidden activation.
for (const [id, activation, sizes, update, dtype, features] of [
  ['tanh-6-5-3', 'tanh', [6, 5, 3], { lr: 0.5 }, 'float64', []],
  ['leaky-relu-deep-5-6-4-3', 'leaky_relu', [5, 6, 4, 3], { lr: 0.5 }, 'float64', ['odd-shape']],
  ['tanh-6-5-3-adam-float32', 'tanh', [6, 5, 3], { type: 'adam', lr: 0.01 }, 'float32', []],
  ['sigmoid-6-5-3', 'sigmoid', [6, 5, 3], { lr: 0.5 }, 'float64', []],
  ['sigmoid-deep-5-6-4-3-momentum', 'sigmoid', [5, 6, 4, 3], { lr: 0.5, momentum: 0.9 }, 'float64', ['odd-shape']],
  ['sigmoid-6-5-3-adam-float32', 'sigmoid', [6, 5, 3], { type: 'adam', lr: 0.01 }, 'float32', []],
] as const) {
  mlp.expect({
    id,
    rule: 'f5',
    description: `${dtype === 'float32' ? 'float32: ' : ''}${sizes.join('-')} network with ${activation} hidden layers, batch 4, cross-entropy; 3 ${'type' in update ? 'Adam' : 'SGD'} steps`,
    features: [...features, 'reduction-mean'],
    dtype,
    attributes: { sizes: [...sizes], loss: 'cross_entropy', reduction: 'mean', activation },
    update: { ...update, steps: 3 },
    data: (rng) => network(rng, [...sizes], 4),
  });
}

export default mlp;

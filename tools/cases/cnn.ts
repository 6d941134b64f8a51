// Cases for spec/ops/cnn.md. Each expect() writes fixtures/cnn/<id>.json.
// The network is fixed (two conv → ReLU → max-pool blocks, flatten, Linear, cross-entropy); its
// sizes come from the params' shapes, its padding and pooling from the attributes.
import { opCases, type Attributes } from '../define-op';
import { conv2dBackward, conv2dForward, convGeometry } from '../formulas/conv';
import { linearBackward, linearForward } from '../formulas/linear';
import { crossEntropyBackward, crossEntropyForward } from '../formulas/losses';
import { maxPool2dBackward, maxPool2dForward, poolGeometry } from '../formulas/pool';
import type { Graph } from '../onnx/graph';
import type { Prng } from '../prng';
import { randn, randomOneHot, uniform, type Tensor } from '../tensor';
import type { Values } from '../define-op';

/** Every intermediate shape, from x's and the params' shapes (the graph needs them for im2col). */
function plan(g: Graph, v: Values, a: Attributes) {
  const padding = (a.padding as number[] | undefined) ?? [0, 0];
  const pool = typeof a.pool === 'number' ? a.pool : 2;
  const poolAttrs = { kernel_size: [pool, pool], stride: [pool, pool] };
  const conv0 = convGeometry(g.inputShape(v.x!), g.inputShape(v.W0!), { padding: [padding[0], padding[0]] });
  const pool0 = poolGeometry([conv0.N, conv0.O, conv0.OH, conv0.OW], poolAttrs);
  const conv1 = convGeometry([pool0.N, pool0.C, pool0.OH, pool0.OW], g.inputShape(v.W1!), { padding: [padding[1], padding[1]] });
  const pool1 = poolGeometry([conv1.N, conv1.O, conv1.OH, conv1.OW], poolAttrs);
  return { conv0, pool0, conv1, pool1, flat: [pool1.N, pool1.C, pool1.OH, pool1.OW] };
}

const reductionOf = (a: Attributes) => (a.reduction === 'sum' ? 'sum' : 'mean');
const relu = (g: Graph, x: string) => g.op('Relu', [x]);
/** relu.md#b2: dy where the pre-activation is > 0, else 0. */
const reluBack = (g: Graph, pre: string, dy: string) => g.op('Where', [g.op('Greater', [pre, g.constant(0)]), dy, g.constant(0)]);

const cnn = opCases('cnn', {
  // f1: the values each backward step needs are kept as outputs of the forward.
  forward: (g, v, a) => {
    const p = plan(g, v, a);
    const c0 = conv2dForward(g, v.x!, v.W0!, v.b0!, p.conv0);
    const h0 = relu(g, c0.y);
    const m0 = maxPool2dForward(g, h0, p.pool0);
    const c1 = conv2dForward(g, m0, v.W1!, v.b1!, p.conv1);
    const h1 = relu(g, c1.y);
    const m1 = maxPool2dForward(g, h1, p.pool1);
    const flat = g.op('Reshape', [m1, g.constant([p.flat[0]!, -1], [2], 'int64')]);
    const logits = linearForward(g, flat, v.W2!, v.b2!);
    return { logits, loss: crossEntropyForward(g, logits, v.target!, reductionOf(a)), a0: c0.y, cols0: c0.cols, h0, a1: c1.y, cols1: c1.cols, h1, flat };
  },
  // b1: the loss, then each layer's own backward in reverse.
  backward: (g, v, dy, a, out) => {
    const p = plan(g, v, a);
    const dLogits = crossEntropyBackward(g, out.logits!, v.target!, dy.loss!, reductionOf(a));
    const lin = linearBackward(g, out.flat!, v.W2!, dLogits);
    const dm1 = g.op('Reshape', [lin.x, g.constant(p.flat, [4], 'int64')]);
    const da1 = reluBack(g, out.a1!, maxPool2dBackward(g, out.h1!, dm1, p.pool1));
    const conv1 = conv2dBackward(g, out.cols1!, v.W1!, da1, p.conv1);
    const da0 = reluBack(g, out.a0!, maxPool2dBackward(g, out.h0!, conv1.x, p.pool0));
    const conv0 = conv2dBackward(g, out.cols0!, v.W0!, da0, p.conv0);
    return { x: conv0.x, W0: conv0.W, b0: conv0.b, W1: conv1.W, b1: conv1.b, W2: lin.W, b2: lin.b };
  },
});

interface Net {
  /** x's shape (N, C, H, W). */
  x: [number, number, number, number];
  /** Filters of the two convolutions. */
  filters: [number, number];
  kernel: [number, number];
  padding: [number, number];
  pool: number;
  classes: number;
  /** x uniform in [0, 1) like MNIST pixels; else N(0, 1). */
  pixels?: boolean;
}

/** The flattened width after both blocks. */
function flatWidth(n: Net): number {
  let [h, w] = [n.x[2], n.x[3]];
  for (let i = 0; i < 2; i++) {
    const k = n.kernel[i]!, pad = n.padding[i]!;
    [h, w] = [Math.floor((h + 2 * pad - k + 1) / n.pool), Math.floor((w + 2 * pad - k + 1) / n.pool)];
  }
  return n.filters[1] * h * w;
}

/** Kaiming-normal weights (std √(2/fan_in)) as src's Conv2d and Linear draw them; biases N(0, 0.1²). */
function network(rng: Prng, n: Net): { inputs: Record<string, Tensor>; params: Record<string, Tensor> } {
  const [N, C] = n.x;
  const [k0, k1] = n.kernel;
  const [f0, f1] = n.filters;
  const flat = flatWidth(n);
  return {
    inputs: { x: n.pixels ? uniform(rng, n.x, 0, 1) : randn(rng, n.x), target: randomOneHot(rng, N, n.classes) },
    params: {
      W0: randn(rng, [f0, C, k0, k0], { std: Math.sqrt(2 / (C * k0 * k0)) }),
      b0: randn(rng, [f0], { std: 0.1 }),
      W1: randn(rng, [f1, f0, k1, k1], { std: Math.sqrt(2 / (f0 * k1 * k1)) }),
      b1: randn(rng, [f1], { std: 0.1 }),
      W2: randn(rng, [flat, n.classes], { std: Math.sqrt(2 / flat) }),
      b2: randn(rng, [n.classes], { std: 0.1 }),
    },
  };
}

function text(n: Net): string {
  return `x ${n.x.join('×')}, filters ${n.filters[0]}@${n.kernel[0]}² ${n.filters[1]}@${n.kernel[1]}², pad ${n.padding.join('/')}, pool ${n.pool}, ${flatWidth(n)}→${n.classes}`;
}

const SMALL: Net = { x: [2, 1, 8, 8], filters: [3, 4], kernel: [3, 3], padding: [1, 1], pool: 2, classes: 3 };

cnn.expect({
  id: 'small-3-steps',
  rule: 'u1',
  description: `three SGD steps (lr 0.1): ${text(SMALL)}`,
  features: ['padding', 'reduction-mean'],
  attributes: { padding: SMALL.padding, pool: 2, reduction: 'mean' },
  update: { lr: 0.1, steps: 3 },
  data: (rng) => network(rng, SMALL),
});

const LENET: Net = { x: [4, 1, 28, 28], filters: [6, 16], kernel: [5, 5], padding: [2, 0], pool: 2, classes: 10, pixels: true };
cnn.expect({
  id: 'lenet-mnist',
  rule: 'u2',
  description: `LeNet-5 on MNIST-sized images, 3 SGD steps: ${text(LENET)}`,
  features: ['large', 'padding', 'reduction-mean'],
  attributes: { padding: LENET.padding, pool: 2, reduction: 'mean' },
  update: { lr: 0.05, steps: 3 },
  data: (rng) => network(rng, LENET),
});

const VALID: Net = { x: [2, 1, 10, 10], filters: [3, 4], kernel: [3, 3], padding: [0, 0], pool: 2, classes: 3 };
cnn.expect({
  id: 'no-padding',
  rule: 'f1',
  description: `no padding: the maps shrink to 1×1: ${text(VALID)}`,
  features: ['reduction-mean'],
  attributes: { padding: VALID.padding, pool: 2, reduction: 'mean' },
  update: { lr: 0.1, steps: 2 },
  data: (rng) => network(rng, VALID),
});

const ODD: Net = { x: [3, 2, 9, 7], filters: [3, 5], kernel: [3, 2], padding: [1, 0], pool: 2, classes: 4 };
cnn.expect({
  id: 'odd-sizes',
  rule: 'b1',
  description: `the pools drop a row or column: ${text(ODD)}`,
  features: ['odd-shape', 'uneven-tiling', 'padding', 'reduction-mean'],
  attributes: { padding: ODD.padding, pool: 2, reduction: 'mean' },
  update: { lr: 0.1, steps: 2 },
  data: (rng) => network(rng, ODD),
});

const POOL3: Net = { x: [2, 1, 9, 9], filters: [2, 3], kernel: [3, 3], padding: [1, 1], pool: 3, classes: 3 };
cnn.expect({
  id: 'pool-3',
  rule: 'f1',
  description: `3×3 pooling: ${text(POOL3)}`,
  features: ['padding', 'reduction-mean'],
  attributes: { padding: POOL3.padding, pool: 3, reduction: 'mean' },
  update: { lr: 0.1 },
  data: (rng) => network(rng, POOL3),
});

cnn.expect({
  id: 'batch-1',
  rule: 'b1',
  description: `a single image, one SGD step: ${text({ ...SMALL, x: [1, 1, 8, 8] })}`,
  features: ['batch-1', 'padding', 'reduction-mean'],
  attributes: { padding: SMALL.padding, pool: 2, reduction: 'mean' },
  update: { lr: 0.1 },
  data: (rng) => network(rng, { ...SMALL, x: [1, 1, 8, 8] }),
});

cnn.expect({
  id: 'reduction-sum',
  rule: 'f2',
  description: `summed cross-entropy, two SGD steps: ${text(SMALL)}`,
  features: ['padding', 'reduction-sum'],
  attributes: { padding: SMALL.padding, pool: 2, reduction: 'sum' },
  update: { lr: 0.05, steps: 2 },
  data: (rng) => network(rng, SMALL),
});

cnn.expect({
  id: 'small-float32',
  rule: 'u1',
  description: `float32 variant, three SGD steps: ${text(SMALL)}`,
  dtype: 'float32',
  features: ['padding', 'reduction-mean'],
  attributes: { padding: SMALL.padding, pool: 2, reduction: 'mean' },
  update: { lr: 0.1, steps: 3 },
  data: (rng) => network(rng, SMALL),
});

export default cnn;

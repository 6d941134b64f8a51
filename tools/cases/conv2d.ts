// Cases for spec/ops/conv2d.md. Each expect() writes fixtures/conv2d/<id>.json.
// Every fixture but default-attributes spells out all five attributes; that one pins the defaults.
import { opCases, type Attributes, type CaseSpec } from '../define-op';
import { conv2dBackward, conv2dForward, convGeometry, nativeConv2dBackward, nativeConv2dForward } from '../formulas/conv';
import type { Graph } from '../onnx/graph';
import type { Feature } from '../../spec/types/fixture';
import type { Prng } from '../prng';
import { randn, tensor } from '../tensor';

const geometryOf = (g: Graph, v: Record<string, string>, a: Attributes) => convGeometry(g.inputShape(v.x!), g.inputShape(v.W!), a);

const conv2d = opCases('conv2d', {
  // f1: windows of the zero-padded x times the kernel, per group; no kernel flip (cross-correlation).
  forward: (g, v, a) => conv2dForward(g, v.x!, v.W!, a.bias === false ? undefined : v.b!, geometryOf(g, v, a)),
  // b1–b3, written out: dx is a transposed convolution (col2im of Wᵀ·dy), dW correlates x with dy.
  backward: (g, v, dy, a, out) => {
    const grads = conv2dBackward(g, out.cols!, v.W!, dy.y!, geometryOf(g, v, a));
    return a.bias === false ? { x: grads.x, W: grads.W } : grads;
  },
  native: {
    forward: (g, v, a) => ({ y: nativeConv2dForward(g, v.x!, v.W!, a.bias === false ? undefined : v.b!, geometryOf(g, v, a)) }),
    backward: (g, v, dy, a) => {
      const grads = nativeConv2dBackward(g, v.x!, v.W!, dy.y!, geometryOf(g, v, a));
      if (a.bias === false) delete grads.b;
      return grads;
    },
  },
});

interface Layout {
  N: number;
  C: number;
  H: number;
  W: number;
  O: number;
  kernel: [number, number];
  stride?: [number, number];
  padding?: number[];
  dilation?: [number, number];
  groups?: number;
  bias?: boolean;
}

function attributesOf(l: Layout): Attributes {
  return { stride: l.stride ?? [1, 1], padding: l.padding ?? [0, 0], dilation: l.dilation ?? [1, 1], groups: l.groups ?? 1, bias: l.bias ?? true };
}

/** x ~ N(0, 1); W Kaiming-like, N(0, 2/fan_in) with fan_in = (C/G)·kH·kW; b ~ N(0, 0.5²) so a missing bias shows. */
function randomConv(rng: Prng, l: Layout) {
  const Cg = l.C / (l.groups ?? 1);
  const fanIn = Cg * l.kernel[0] * l.kernel[1];
  return {
    inputs: { x: randn(rng, [l.N, l.C, l.H, l.W]) },
    params: {
      W: randn(rng, [l.O, Cg, ...l.kernel], { std: Math.sqrt(2 / fanIn) }),
      ...(l.bias === false ? {} : { b: randn(rng, [l.O], { std: 0.5 }) }),
    },
  };
}

function shapeText(l: Layout): string {
  const parts = [`x ${l.N}×${l.C}×${l.H}×${l.W}`, `${l.O} filters ${l.kernel.join('×')}`];
  if (l.stride && (l.stride[0] !== 1 || l.stride[1] !== 1)) parts.push(`stride ${l.stride.join(',')}`);
  if (l.padding && l.padding.some((p) => p !== 0)) parts.push(`padding [${l.padding.join(', ')}]`);
  if (l.dilation && (l.dilation[0] !== 1 || l.dilation[1] !== 1)) parts.push(`dilation ${l.dilation.join(',')}`);
  if (l.groups && l.groups !== 1) parts.push(`groups ${l.groups}`);
  if (l.bias === false) parts.push('no bias');
  return parts.join(', ');
}

function randomCase(id: string, rule: CaseSpec['rule'], why: string, l: Layout, features: Feature[], extra: Partial<CaseSpec> = {}): void {
  conv2d.expect({
    id,
    rule,
    description: `${why}: ${shapeText(l)}`,
    features,
    attributes: attributesOf(l),
    data: (rng) => randomConv(rng, l),
    ...extra,
  });
}

conv2d.expect({
  id: 'readable-4x4-k2',
  rule: 'f1',
  description: 'one 4×4 channel of small integers, one 2×2 filter of halves and a bias: a 3×3 output by hand',
  features: ['readable', 'batch-1'],
  attributes: attributesOf({ N: 1, C: 1, H: 4, W: 4, O: 1, kernel: [2, 2] }),
  data: () => ({
    inputs: { x: tensor([1, 1, 4, 4], [1, 2, 0, -1, 3, -2, 1, 0, 0, 1, 2, 1, -1, 0, 1, 3]) },
    params: { W: tensor([1, 1, 2, 2], [0.5, -1, 1, 0.5]), b: tensor([1], [0.25]) },
    grad_output: { y: tensor([1, 1, 3, 3], [1, 0, -1, 2, 1, 0, 0, -2, 1]) },
  }),
});

conv2d.expect({
  id: 'readable-flip-3x3',
  rule: 'b1',
  description: 'an asymmetric 3×3 kernel on a 5×5 input with padding 1: dx needs the kernel rotated 180°',
  features: ['readable', 'batch-1', 'padding'],
  attributes: attributesOf({ N: 1, C: 1, H: 5, W: 5, O: 1, kernel: [3, 3], padding: [1, 1] }),
  data: (rng) => ({
    inputs: { x: randn(rng, [1, 1, 5, 5]) },
    params: { W: tensor([1, 1, 3, 3], [1, 2, 3, 0, 0, 0, -1, 0, 0.5]), b: tensor([1], [0]) },
  }),
});

randomCase('padding-symmetric', 'f3', 'zero padding 1 on every side keeps 5×5', { N: 2, C: 3, H: 5, W: 5, O: 4, kernel: [3, 3], padding: [1, 1] }, ['padding', 'odd-shape']);
randomCase('padding-asymmetric', 'f3', 'padding top 1, left 0, bottom 2, right 1', { N: 2, C: 2, H: 5, W: 4, O: 3, kernel: [3, 2], padding: [1, 0, 2, 1] }, [
  'padding',
  'odd-shape',
]);
randomCase('padding-2-kernel-3', 'b1', 'padding 2: border inputs are in fewer windows', { N: 1, C: 2, H: 4, W: 6, O: 2, kernel: [3, 3], padding: [2, 2] }, [
  'padding',
  'batch-1',
]);
randomCase('stride-2-uneven', 's1', 'stride 2 over 8×8: the last row and column are in no window', { N: 2, C: 2, H: 8, W: 8, O: 3, kernel: [3, 3], stride: [2, 2] }, [
  'uneven-tiling',
]);
randomCase('stride-greater-than-kernel', 's1', 'stride 3 > kernel 2: every third row is skipped', { N: 2, C: 1, H: 8, W: 7, O: 2, kernel: [2, 2], stride: [3, 3] }, [
  'uneven-tiling',
  'odd-shape',
]);
randomCase('stride-2-1-padding', 'f2', 'stride 2 down, 1 across, padding 1', { N: 2, C: 2, H: 7, W: 6, O: 3, kernel: [3, 3], stride: [2, 1], padding: [1, 1] }, [
  'padding',
  'odd-shape',
]);
randomCase('dilation-2', 'f1', 'a dilated 3×3 kernel spans 5×5', { N: 2, C: 2, H: 9, W: 8, O: 3, kernel: [3, 3], dilation: [2, 2] }, ['odd-shape']);
randomCase('dilation-stride-padding', 'b2', 'all three at once', { N: 2, C: 3, H: 9, W: 9, O: 2, kernel: [3, 3], dilation: [2, 2], stride: [2, 2], padding: [2, 2] }, [
  'padding',
  'odd-shape',
]);
randomCase('groups-2', 'f4', 'filters 0–2 see channels 0–1, 3–5 see 2–3', { N: 2, C: 4, H: 5, W: 5, O: 6, kernel: [3, 3], groups: 2 }, ['groups']);
randomCase('depthwise', 'f4', 'depthwise, two filters per channel', { N: 2, C: 3, H: 6, W: 5, O: 6, kernel: [3, 3], groups: 3, padding: [1, 1] }, [
  'groups',
  'padding',
]);
randomCase('kernel-1x1', 'b2', 'a 1×1 kernel mixes channels only', { N: 3, C: 5, H: 3, W: 4, O: 3, kernel: [1, 1] }, ['odd-shape']);
randomCase('kernel-1x3', 'b1', 'a 1×3 kernel with padding [0, 1]', { N: 2, C: 2, H: 4, W: 6, O: 3, kernel: [1, 3], padding: [0, 1] }, ['padding', 'non-square']);
randomCase('kernel-3x1-stride', 'b2', 'a 3×1 kernel with stride 2 down', { N: 2, C: 2, H: 7, W: 3, O: 2, kernel: [3, 1], stride: [2, 1] }, ['non-square', 'odd-shape']);
randomCase('no-bias', 's2', 'bias false: the layer has W only', { N: 2, C: 2, H: 5, W: 5, O: 3, kernel: [3, 3], bias: false }, ['odd-shape']);
randomCase('batch-1', 'b3', 'a single image', { N: 1, C: 3, H: 6, W: 6, O: 4, kernel: [3, 3], padding: [1, 1] }, ['batch-1', 'padding']);
randomCase('odd-3x3x7x5', 'b3', 'odd sizes everywhere and a 3×2 kernel', { N: 3, C: 3, H: 7, W: 5, O: 5, kernel: [3, 2] }, ['odd-shape', 'non-square']);
randomCase('one-pixel', 'f2', 'a 1×1 image and a 1×1 kernel', { N: 1, C: 1, H: 1, W: 1, O: 1, kernel: [1, 1] }, ['batch-1', 'odd-shape']);
randomCase('large-lenet-c1', 'b2', "LeNet's first layer", { N: 4, C: 1, H: 16, W: 16, O: 6, kernel: [5, 5], padding: [2, 2] }, [
  'large',
  'padding',
]);
randomCase('large-c3', 'b1', 'a strided layer', { N: 4, C: 3, H: 15, W: 15, O: 8, kernel: [3, 3], stride: [2, 2], padding: [1, 1] }, [
  'large',
  'padding',
  'odd-shape',
]);
randomCase('update-2-steps', 'u1', 'two SGD steps (lr 0.1) on W and b', { N: 2, C: 2, H: 5, W: 4, O: 3, kernel: [3, 3], padding: [1, 1] }, ['padding'], { update: { lr: 0.1, steps: 2 } });

// No attributes: the spec's defaults (stride 1, padding 0, dilation 1, groups 1, a bias) must apply.
// Every other case spells them out, so a wrong default passed them all.
conv2d.expect({
  id: 'default-attributes',
  rule: 'f2',
  description: 'no attributes: stride 1, padding 0, dilation 1, groups 1, a bias by default; x 2×2×5×4, 3×2 kernel',
  features: ['odd-shape', 'non-square'],
  attributes: {},
  data: (rng) => randomConv(rng, { N: 2, C: 2, H: 5, W: 4, O: 3, kernel: [3, 2] }),
});

for (const [id, rule, why, layout, features] of [
  ['float32-padding-stride', 'b1', 'float32 variant', { N: 2, C: 3, H: 7, W: 6, O: 4, kernel: [3, 3], stride: [2, 2], padding: [1, 0, 2, 1] }, ['padding', 'odd-shape']],
  ['float32-depthwise-dilated', 'f4', 'float32 variant', { N: 2, C: 3, H: 8, W: 7, O: 3, kernel: [3, 3], groups: 3, dilation: [2, 1], padding: [1, 1] }, ['groups', 'padding']],
  ['float32-groups-2', 'f4', 'float32 variant', { N: 2, C: 4, H: 5, W: 5, O: 6, kernel: [3, 3], groups: 2 }, ['groups']],
  ['float32-large-lenet-c1', 'b2', 'float32 variant', { N: 4, C: 1, H: 16, W: 16, O: 6, kernel: [5, 5], padding: [2, 2] }, ['large', 'padding']],
] as [string, CaseSpec['rule'], string, Layout, Feature[]][]) {
  // dW of the large case sums N·OH·OW = 1024 products of N(0, 1) values (partial sums ≈ 30): float32
  // summation orders differ by up to ~3e-5 there (ORT's against a float64-accumulating kernel: 2.2e-5).
  const tolerance = features.includes('large') ? { backward: { rtol: 1e-5, atol: 1e-4 } } : undefined;
  randomCase(id, rule, why, layout, features, { dtype: 'float32', update: { lr: 0.1 }, ...(tolerance ? { tolerance } : {}) });
}

export default conv2d;

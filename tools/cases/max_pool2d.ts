// Cases for spec/ops/max_pool2d.md. Each expect() writes fixtures/max_pool2d/<id>.json.
import { opCases, type Attributes, type CaseSpec } from '../define-op';
import type { Graph } from '../onnx/graph';
import { maxPool2dBackward, maxPool2dForward, nativeMaxPool2dBackward, poolGeometry } from '../formulas/pool';
import type { Feature } from '../../spec/types/fixture';
import { randn, tensor } from '../tensor';

const geometryOf = (g: Graph, x: string, a: Attributes) => poolGeometry(g.inputShape(x), a);

const maxPool2d = opCases('max_pool2d', {
  rules: (c) => (c.hasFeature('exact-tie') ? { 'backward.grad_inputs.x': 's1' } : {}), // which tied maximum takes dy
  forward: (g, v, a) => ({ y: maxPool2dForward(g, v.x!, geometryOf(g, v.x!, a)) }),
  // b1: the window's first maximum in row-major order takes dy (s1), written as an ArgMax mask.
  backward: (g, v, dy, a) => ({ x: maxPool2dBackward(g, v.x!, dy.y!, geometryOf(g, v.x!, a)) }),
  // MaxPool's own Indices output and a scatter-add: ORT's CPU kernel keeps the first maximum too.
  native: {
    forward: () => ({}),
    backward: (g, v, dy, a) => ({ x: nativeMaxPool2dBackward(g, v.x!, dy.y!, geometryOf(g, v.x!, a)) }),
  },
});

interface Pool {
  shape: [number, number, number, number];
  kernel: [number, number];
  stride?: [number, number];
  padding?: [number, number];
}

const attributesOf = (p: Pool): Attributes => ({ kernel_size: p.kernel, stride: p.stride ?? p.kernel, padding: p.padding ?? [0, 0] });

function describe(p: Pool): string {
  const parts = [`x ${p.shape.join('×')}`, `kernel ${p.kernel.join('×')}`, `stride ${(p.stride ?? p.kernel).join(',')}`];
  if (p.padding && p.padding.some((v) => v)) parts.push(`padding ${p.padding.join(',')}`);
  return parts.join(', ');
}

function randomCase(id: string, rule: CaseSpec['rule'], why: string, p: Pool, features: Feature[], extra: Partial<CaseSpec> = {}): void {
  maxPool2d.expect({
    id,
    rule,
    description: `${why}: ${describe(p)}`,
    features,
    attributes: attributesOf(p),
    data: (rng) => ({ inputs: { x: randn(rng, p.shape) } }),
    ...extra,
  });
}

maxPool2d.expect({
  id: 'readable-4x4-k2',
  rule: 'f1',
  description: 'a 4×4 image of distinct small integers, 2×2 windows, stride 2',
  features: ['readable', 'batch-1'],
  attributes: attributesOf({ shape: [1, 1, 4, 4], kernel: [2, 2] }),
  data: () => ({
    inputs: { x: tensor([1, 1, 4, 4], [1, 5, -2, 0, 3, 2, 4, -1, -3, 0, 6, 7, 2, -4, 1, 8]) },
    grad_output: { y: tensor([1, 1, 2, 2], [1, 2, 3, 4]) },
  }),
});

// Ties: each window's flat positions are listed so the gradcheck skips the tied elements (the op is
// not differentiable there: a nudge up or down moves the maximum).
for (const dtype of ['float64', 'float32'] as const) {
  maxPool2d.expect({
    id: dtype === 'float64' ? 'exact-tie' : 'exact-tie-float32',
    rule: 's1',
    description: `equal maxima in every 2×2 window: only the first in row-major order gets dy (${dtype})`,
    features: ['readable', 'exact-tie', 'batch-1', 'kink'],
    dtype,
    attributes: attributesOf({ shape: [1, 1, 4, 4], kernel: [2, 2] }),
    // windows: [3 3 / 1 3] → (0,0); [2 0 / 2 2] → (0,2); [5 5 / 5 5] → (2,0); [-1 4 / 4 -1] → (2,3)
    kinkElements: { x: [0, 1, 5, 2, 6, 7, 8, 9, 12, 13, 11, 14] },
    data: () => ({
      inputs: { x: tensor([1, 1, 4, 4], [3, 3, 2, 0, 1, 3, 2, 2, 5, 5, -1, 4, 5, 5, 4, -1]) },
      grad_output: { y: tensor([1, 1, 2, 2], [1, 2, 3, 4]) },
    }),
  });
}

maxPool2d.expect({
  id: 'exact-tie-overlapping',
  rule: 's1',
  description: 'a plateau under overlapping 2×2 windows (stride 1): each window gives dy to its own first maximum',
  features: ['readable', 'exact-tie', 'batch-1', 'kink'],
  attributes: attributesOf({ shape: [1, 1, 3, 3], kernel: [2, 2], stride: [1, 1] }),
  // windows: [2 2 / 2 2] → 0; [2 1 / 2 2] → 1; [2 2 / 0 2] → 3; [2 2 / 2 2] → 4; elements 2 and 6 are below the plateau
  kinkElements: { x: [0, 1, 3, 4, 5, 7, 8] },
  data: () => ({
    inputs: { x: tensor([1, 1, 3, 3], [2, 2, 1, 2, 2, 2, 0, 2, 2]) },
    grad_output: { y: tensor([1, 1, 2, 2], [1, 10, 100, 1000]) },
  }),
});

// A window of −∞ only: its maximum is −∞ and, all elements tied, its first takes dy (S1; ORT's MaxPool
// indices agree). Without it, a running maximum that did not take a window's first element whatever its
// value passed every case (the start index +1, or only `v > best`, survived the mutation run).
maxPool2d.expect({
  id: 'window-of-minus-infinity',
  rule: 's1',
  description: 'the first 2×2 window holds only −∞: y = −∞ there and its first element gets all of dy',
  features: ['readable', 'exact-tie', 'batch-1', 'kink', 'extreme-values'],
  attributes: attributesOf({ shape: [1, 1, 2, 4], kernel: [2, 2] }),
  // windows: [−∞ −∞ / −∞ −∞] → 0 (a tie, skipped by the gradcheck); [1 −2 / 0.5 3] → 7
  kinkElements: { x: [0, 1, 4, 5] },
  data: () => ({
    inputs: { x: tensor([1, 1, 2, 4], [-Infinity, -Infinity, 1, -2, -Infinity, -Infinity, 0.5, 3]) },
    grad_output: { y: tensor([1, 1, 1, 2], [5, 7]) },
  }),
});

maxPool2d.expect({
  id: 'padding-negative-input',
  rule: 'f2',
  description: 'an all-negative input with padding 1: the padding is −∞, so no window returns 0',
  features: ['readable', 'padding', 'batch-1'],
  attributes: attributesOf({ shape: [1, 1, 4, 4], kernel: [3, 3], stride: [2, 2], padding: [1, 1] }),
  data: (rng) => ({ inputs: { x: randn(rng, [1, 1, 4, 4], { mean: -3, std: 1 }) } }),
});

randomCase('overlapping-k3-s1', 'b1', 'an element that is the maximum of several windows sums their dy', { shape: [2, 2, 5, 5], kernel: [3, 3], stride: [1, 1] }, ['odd-shape']);
randomCase('padding-k3-s2', 'f2', "overlapping 3×3 windows, stride 2 (AlexNet's)", { shape: [2, 3, 7, 7], kernel: [3, 3], stride: [2, 2], padding: [1, 1] }, ['padding', 'odd-shape']);
randomCase('uneven-k2-s2', 's2', 'the last row and column are in no window', { shape: [2, 2, 7, 5], kernel: [2, 2] }, ['uneven-tiling', 'odd-shape']);
randomCase('stride-greater-than-kernel', 's2', 'windows with gaps between them', { shape: [1, 2, 7, 8], kernel: [2, 2], stride: [3, 3] }, ['uneven-tiling', 'batch-1']);
randomCase('kernel-1x3', 'f1', 'a 1×3 window, stride 1 down and 2 across', { shape: [2, 2, 4, 7], kernel: [1, 3], stride: [1, 2] }, ['non-square', 'odd-shape']);
randomCase('kernel-3x2-padding', 'b1', 'a 3×2 window with padding 1 and 0', { shape: [2, 1, 6, 5], kernel: [3, 2], stride: [2, 2], padding: [1, 0] }, ['non-square', 'padding']);
randomCase('batch-1', 'b1', 'a single image', { shape: [1, 3, 6, 6], kernel: [2, 2] }, ['batch-1']);
randomCase('odd-3x5x7x5', 'b1', 'odd sizes', { shape: [3, 5, 7, 5], kernel: [3, 3], stride: [2, 2] }, ['odd-shape']);
randomCase('one-window', 'f1', 'the window is the whole 3×3 image', { shape: [2, 2, 3, 3], kernel: [3, 3] }, ['odd-shape']);
randomCase('large-lenet', 'b1', "LeNet's pooling", { shape: [4, 6, 14, 14], kernel: [2, 2] }, ['large']);
randomCase('float32-padding-k3-s2', 'b1', 'float32 variant', { shape: [2, 3, 7, 7], kernel: [3, 3], stride: [2, 2], padding: [1, 1] }, ['padding', 'odd-shape'], { dtype: 'float32' });
randomCase('float32-large-lenet', 'b1', 'float32 variant', { shape: [4, 6, 14, 14], kernel: [2, 2] }, ['large'], { dtype: 'float32' });

export default maxPool2d;

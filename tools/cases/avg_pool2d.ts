// Cases for spec/ops/avg_pool2d.md. Each expect() writes fixtures/avg_pool2d/<id>.json.
import { opCases, type Attributes, type CaseSpec } from '../define-op';
import type { Graph } from '../onnx/graph';
import { avgPool2dBackward, avgPool2dForward, nativeAvgPool2dForward, poolGeometry } from '../formulas/pool';
import type { Feature } from '../../spec/types/fixture';
import { randn, tensor } from '../tensor';

const geometryOf = (g: Graph, x: string, a: Attributes) => poolGeometry(g.inputShape(x), a);
const includePad = (a: Attributes) => a.count_include_pad !== false;

const avgPool2d = opCases('avg_pool2d', {
  // With padding, y hangs on the divisor at the borders (f2: count_include_pad).
  rules: (c) => ((c.attribute('padding') as number[] | undefined)?.some((v) => v !== 0) ? { 'forward.y': 'f2' } : {}),
  // f1–f2 on im2col windows: ORT has no float64 AveragePool.
  forward: (g, v, a) => ({ y: avgPool2dForward(g, v.x!, geometryOf(g, v.x!, a), includePad(a)) }),
  // b1: dy / divisor to every element of the window.
  backward: (g, v, dy, a) => ({ x: avgPool2dBackward(g, dy.y!, geometryOf(g, v.x!, a), includePad(a)) }),
  native: { forward: (g, v, a) => ({ y: nativeAvgPool2dForward(g, v.x!, geometryOf(g, v.x!, a), includePad(a)) }) },
});

interface Pool {
  shape: [number, number, number, number];
  kernel: [number, number];
  stride?: [number, number];
  padding?: [number, number];
  countIncludePad?: boolean;
}

const attributesOf = (p: Pool): Attributes => ({
  kernel_size: p.kernel,
  stride: p.stride ?? p.kernel,
  padding: p.padding ?? [0, 0],
  count_include_pad: p.countIncludePad ?? true,
});

function describe(p: Pool): string {
  const parts = [`x ${p.shape.join('×')}`, `kernel ${p.kernel.join('×')}`, `stride ${(p.stride ?? p.kernel).join(',')}`];
  if (p.padding && p.padding.some((v) => v)) parts.push(`padding ${p.padding.join(',')}, count_include_pad ${p.countIncludePad ?? true}`);
  return parts.join(', ');
}

function randomCase(id: string, rule: CaseSpec['rule'], why: string, p: Pool, features: Feature[], extra: Partial<CaseSpec> = {}): void {
  avgPool2d.expect({
    id,
    rule,
    description: `${why}: ${describe(p)}`,
    features,
    attributes: attributesOf(p),
    data: (rng) => ({ inputs: { x: randn(rng, p.shape) } }),
    ...extra,
  });
}

avgPool2d.expect({
  id: 'readable-4x4-k2',
  rule: 'f1',
  description: 'a 4×4 image of small integers, 2×2 windows, stride 2: each output is a mean of four',
  features: ['readable', 'batch-1'],
  attributes: attributesOf({ shape: [1, 1, 4, 4], kernel: [2, 2] }),
  data: () => ({
    inputs: { x: tensor([1, 1, 4, 4], [1, 5, -2, 0, 3, 3, 4, -2, -3, 0, 6, 8, 2, -4, 1, 1]) },
    grad_output: { y: tensor([1, 1, 2, 2], [4, -8, 2, 1]) },
  }),
});

for (const countIncludePad of [true, false]) {
  const name = countIncludePad ? 'include-pad' : 'exclude-pad';
  avgPool2d.expect({
    id: `readable-${name}`,
    rule: 'f2',
    description: `a 3×3 image of ones, 3×3 windows, stride 2, padding 1: corners average ${countIncludePad ? '4/9' : '4/4'}`,
    features: ['readable', 'padding', 'batch-1', 'uniform-input'],
    attributes: attributesOf({ shape: [1, 1, 3, 3], kernel: [3, 3], stride: [2, 2], padding: [1, 1], countIncludePad }),
    data: () => ({ inputs: { x: tensor([1, 1, 3, 3], [1, 1, 1, 1, 1, 1, 1, 1, 1]) }, grad_output: { y: tensor([1, 1, 2, 2], [1, 1, 1, 1]) } }),
  });
  randomCase(`padding-k3-s2-${name}`, 'b1', 'border windows', { shape: [2, 3, 7, 6], kernel: [3, 3], stride: [2, 2], padding: [1, 1], countIncludePad }, [
    'padding',
    'odd-shape',
  ]);
  randomCase(`padding-k3-s1-${name}`, 'b1', 'overlapping padded windows', { shape: [2, 2, 5, 5], kernel: [3, 3], stride: [1, 1], padding: [1, 1], countIncludePad }, [
    'padding',
    'odd-shape',
  ]);
}

randomCase('overlapping-k3-s1', 'b1', 'overlapping windows: an element gets a share from each', { shape: [2, 2, 5, 6], kernel: [3, 3], stride: [1, 1] }, ['odd-shape']);
randomCase('uneven-k2-s2', 's1', 'the last row and column are in no window', { shape: [2, 2, 7, 5], kernel: [2, 2] }, ['uneven-tiling', 'odd-shape']);
randomCase('stride-greater-than-kernel', 's1', 'windows with gaps between them', { shape: [1, 2, 8, 7], kernel: [2, 2], stride: [3, 3] }, ['uneven-tiling', 'batch-1']);
randomCase('kernel-2x3-padding', 'f2', 'a 2×3 window', { shape: [2, 2, 6, 5], kernel: [2, 3], stride: [2, 2], padding: [0, 1], countIncludePad: false }, [
  'non-square',
  'padding',
]);
randomCase('batch-1', 'b1', 'a single image', { shape: [1, 3, 6, 6], kernel: [2, 2] }, ['batch-1']);
randomCase('odd-3x5x7x5', 'b1', 'odd sizes', { shape: [3, 5, 7, 5], kernel: [3, 3], stride: [2, 2] }, ['odd-shape']);
randomCase('large-lenet', 'b1', 'LeNet-5 subsampling', { shape: [4, 6, 14, 14], kernel: [2, 2] }, ['large']);
// No count_include_pad: the spec's default (true, PyTorch's; ONNX's is the opposite) must apply. Every
// other case gives it, so a wrong default passed them all.
avgPool2d.expect({
  id: 'default-count-include-pad',
  rule: 'f2',
  description: 'no count_include_pad: true by default (divide by kH·kW); x 2×2×5×5, kernel 3×3, stride 2, padding 1',
  features: ['padding', 'odd-shape'],
  attributes: { kernel_size: [3, 3], stride: [2, 2], padding: [1, 1] },
  data: (rng) => ({ inputs: { x: randn(rng, [2, 2, 5, 5]) } }),
});

randomCase('float32-padding-exclude-pad', 'f2', 'float32 variant', { shape: [2, 3, 7, 6], kernel: [3, 3], stride: [2, 2], padding: [1, 1], countIncludePad: false }, [
  'padding',
  'odd-shape',
], { dtype: 'float32' });
randomCase('float32-padding-include-pad', 'f2', 'float32 variant', { shape: [2, 3, 7, 6], kernel: [3, 3], stride: [2, 2], padding: [1, 1], countIncludePad: true }, [
  'padding',
  'odd-shape',
], { dtype: 'float32' });
randomCase('float32-large-lenet', 'b1', 'float32 variant', { shape: [4, 6, 14, 14], kernel: [2, 2] }, ['large'], { dtype: 'float32' });

export default avgPool2d;

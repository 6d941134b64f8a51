// Cases for spec/ops/flatten.md. Each expect() writes fixtures/flatten/<id>.json.
import { opCases, type Attributes } from '../define-op';
import type { Graph } from '../onnx/graph';
import type { Feature } from '../../spec/types/fixture';
import { randn, tensor } from '../tensor';

/** f1: the kept leading axes, then the product of the rest. */
export function flattenedShape(shape: readonly number[], startAxis: number): number[] {
  const start = startAxis < 0 ? startAxis + shape.length : startAxis;
  if (!(start >= 0 && start < shape.length)) throw new Error(`flatten: start_axis ${startAxis} is not an axis of shape [${shape.join(', ')}]`);
  return [...shape.slice(0, start), shape.slice(start).reduce((n, d) => n * d, 1)];
}

const startOf = (a: Attributes) => (typeof a.start_axis === 'number' ? a.start_axis : 1);
const ints = (g: Graph, values: number[]) => g.constant(values, [values.length], 'int64');

const flatten = opCases('flatten', {
  // Reshape, not ONNX Flatten: Flatten(axis) always returns 2-D, torch.flatten keeps the leading axes.
  forward: (g, v, a) => ({ y: g.op('Reshape', [v.x!, ints(g, flattenedShape(g.inputShape(v.x!), startOf(a)))]) }),
  // b1: the gradient is dy reshaped back to x's shape.
  backward: (g, v, dy) => ({ x: g.op('Reshape', [dy.y!, ints(g, g.inputShape(v.x!))]) }),
});

flatten.expect({
  id: 'readable-2x2x3',
  rule: 'f1',
  description: 'two 2×3 matrices of 1…12 become two rows of 6, in row-major order',
  features: ['readable'],
  attributes: { start_axis: 1 },
  data: () => ({ inputs: { x: tensor([2, 2, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) } }),
});

for (const [id, rule, shape, start, why, features] of [
  ['nchw-start-1', 'f1', [2, 3, 4, 5], 1, 'conv feature maps into rows (nn.Flatten)', ['non-square']],
  ['start-0', 'f2', [2, 3, 4], 0, 'start_axis 0: everything into one axis', ['odd-shape']],
  ['start-2', 'f2', [2, 3, 4, 5], 2, 'start_axis 2 keeps two axes (ONNX Flatten would not)', ['non-square']],
  ['start-negative', 'f2', [3, 2, 5, 2], -2, 'start_axis −2 is axis 2 of four', ['odd-shape']],
  ['start-last', 's1', [3, 4, 5], 2, 'starting at the last axis changes nothing', ['odd-shape']],
  ['one-axis', 's1', [7], 0, 'a 1-D input stays as it is', ['odd-shape']],
  ['batch-1', 'b1', [1, 6, 5, 5], 1, 'a single image', ['batch-1']],
  ['large-lenet', 'b1', [8, 16, 5, 5], 1, "LeNet's 16×5×5 maps into 400 features", ['large']],
] as [string, 'f1' | 'f2' | 'b1' | 's1', number[], number, string, Feature[]][]) {
  flatten.expect({
    id,
    rule,
    description: `${why}: x ${shape.join('×')} → ${flattenedShape(shape, start).join('×')}`,
    features,
    attributes: { start_axis: start },
    data: (rng) => ({ inputs: { x: randn(rng, shape) } }),
  });
}

flatten.expect({
  id: 'float32-nchw-start-1',
  rule: 'b1',
  description: 'float32 variant: x 4×3×5×5 → 4×75',
  dtype: 'float32',
  attributes: { start_axis: 1 },
  data: (rng) => ({ inputs: { x: randn(rng, [4, 3, 5, 5]) } }),
});

export default flatten;

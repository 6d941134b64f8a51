// The cases softmax and log_softmax share (spec/ops/softmax.md, log_softmax.md): both normalise each
// row along the last axis, so the same inputs catch the same slips in either, a reduction over the
// wrong axis above all. Each op's own file adds what only it has (its extreme logits, its formulas).
import type { OpCases } from './define-op';
import { randn, tensor } from './tensor';

/** What differs between the two ops in the shared cases' descriptions. */
export interface LastAxisWording {
  /** The op as the descriptions name it: 'softmax', 'log-softmax'. */
  name: string;
  /** single-element: what y and dx are for a 1×1 input. */
  singleElement: string;
  /** uniform-row: what rows of identical values give. */
  uniformRow: string;
}

export const AXIS = { axis: -1 };

export function lastAxisCases(op: OpCases, wording: LastAxisWording): void {
  op.expect({
    id: 'readable-2x3',
    rule: 'f1',
    description: 'a 2×3 matrix of small logits, rows normalised independently',
    features: ['readable'],
    attributes: AXIS,
    data: () => ({
      inputs: { x: tensor([2, 3], [1, 2, 3, -1, 0, 0.5]) },
      grad_output: { y: tensor([2, 3], [1, 0, -1, 0.5, 2, -0.5]) },
    }),
  });

  op.expect({
    id: 'single-element',
    rule: 's3',
    description: `a 1×1 input: ${wording.singleElement}`,
    features: ['batch-1', 'odd-shape', 'exact-zero'],
    attributes: AXIS,
    data: () => ({ inputs: { x: tensor([1, 1], [0.7]) }, grad_output: { y: tensor([1, 1], [3]) } }),
  });

  op.expect({
    id: 'uniform-row',
    rule: 's2',
    description: `rows of identical values give ${wording.uniformRow}`,
    features: ['uniform-input', 'readable'],
    attributes: AXIS,
    data: () => ({
      inputs: { x: tensor([2, 4], [5, 5, 5, 5, -200, -200, -200, -200]) },
      grad_output: { y: tensor([2, 4], [1, 2, 3, 4, -1, 0, 0, 1]) },
    }),
  });

  // Square inputs (B = C): a max, a sum or a broadcast over the wrong axis gives wrong values instead
  // of a shape error. The rows and the columns of the readable case differ.
  op.expect({
    id: 'square-3x3',
    rule: 'f2',
    description: 'a square 3×3 input whose rows and columns differ: reductions run along rows',
    features: ['square', 'readable'],
    attributes: AXIS,
    data: () => ({
      inputs: { x: tensor([3, 3], [3, 0, -1, 1, 2, 0.5, -2, 4, 1]) },
      grad_output: { y: tensor([3, 3], [1, -1, 2, 0.5, 0, -2, 3, 1, -1]) },
    }),
  });

  for (const dtype of ['float64', 'float32'] as const) {
    op.expect({
      id: `random-square-6x6${dtype === 'float32' ? '-float32' : ''}`,
      rule: 'f2',
      description: `random N(0, 2²) logits of the square shape 6×6 (${dtype})`,
      features: ['square'],
      dtype,
      attributes: AXIS,
      data: (rng) => ({ inputs: { x: randn(rng, [6, 6], { std: 2 }) } }),
    });
  }

  for (const [id, shape, features] of [
    ['random-batch-1', [1, 7], ['batch-1']],
    ['random-3x5x7', [3, 5, 7], ['odd-shape']],
    ['random-64x10', [64, 10], ['large']],
  ] as const) {
    op.expect({
      id,
      rule: shape.length === 3 ? 'f2' : 'b1',
      description: `random N(0, 2²) logits of shape ${shape.join('×')}, ${wording.name} over the last axis`,
      features: [...features],
      attributes: AXIS,
      data: (rng) => ({ inputs: { x: randn(rng, [...shape], { std: 2 }) } }),
    });
  }

  op.expect({
    id: 'random-4x6-float32',
    rule: 'b1',
    description: 'float32 variant of random 4×6 logits',
    dtype: 'float32',
    attributes: AXIS,
    data: (rng) => ({ inputs: { x: randn(rng, [4, 6], { std: 2 }) } }),
  });
}

// Issue 13's "Why" observations, one test each: every one failed on main before hints became evidence
// (evidence.ts, factor-hints.ts, pattern-hints.ts). In-process, small tensors, no fixtures read.
import { compareTensor } from '../compare';
import { hintFor, type HintCase } from '../hints';
import type { Tensor } from '../implementation';
import type { TensorPlace } from '../results';

const t = (shape: number[], values: ArrayLike<number>): Tensor => ({ dtype: 'float64', shape, data: Float64Array.from(values) });
const F64 = { rtol: 1e-10, atol: 1e-12 };
const F32 = { rtol: 1e-5, atol: 1e-6 };
const place = (stage: TensorPlace['stage'], label: string, name = label.replace(/^d/, '')): TensorPlace => ({ stage, label, name });
const range = (n: number, f: (i: number) => number): number[] => Array.from({ length: n }, (_, i) => f(i));
/** Deterministic values in (−1, 1), none zero. */
const values = (n: number, seed = 1): number[] => range(n, (i) => Math.sin(seed * 12.9898 + i * 78.233) * 0.9 + (i % 2 ? 0.05 : -0.05));

function hint(expected: Tensor, actual: Tensor, at: TensorPlace, c: HintCase, tol = F64): string | undefined {
  const m = compareTensor(expected, actual, tol, at);
  if (!m) throw new Error('expected a mismatch');
  return hintFor(m, c);
}

const sgd = (lr: number) => ({ type: 'sgd' as const, lr, steps: 1 });

describe("issue 13's observations", () => {
  it('an SGD step with lr² (lr = 0.1) is lr applied twice, not "averaged instead of summed (N = 10 elements)"', () => {
    const W = t([2, 3], values(6)), g = values(6, 2);
    const c: HintCase = { op: 'linear', attributes: {}, inputs: { x: t([5, 2], values(10)) }, params: { W }, singleStep: true, optimizer: sgd(0.1) };
    const h = hint(t([2, 3], range(6, (i) => W.data[i]! - 0.1 * g[i]!)), t([2, 3], range(6, (i) => W.data[i]! - 0.01 * g[i]!)), place('update', 'W'), c);
    expect(h).toBe('the step of W is 0.1× the expected (= lr, lr = 0.1): lr applied twice (a step of lr²·∇p)');
  });

  it('a doubled step with B = 2 is stated as a step 2× the expected, not "averaged over the batch only"', () => {
    const param = t([2, 2], values(4)), g = values(4, 3);
    const c: HintCase = { op: 'sgd', attributes: { lr: 0.1 }, inputs: { param, grad: t([2, 2], g) }, params: {} };
    const step = (k: number) => t([2, 2], range(4, (i) => param.data[i]! - k * 0.1 * g[i]!));
    expect(hint(step(1), step(2), place('forward', 'param_next'), c)).toBe('the step of param_next is 2× the expected: check lr and whether the gradients are averaged');
  });

  it('a bias never updated is "unchanged", not "1/50176 of the expected" (the float32 slack accepted 0 as e/50176)', () => {
    const b = t([50], values(50)), g = values(50, 4);
    const c: HintCase = { op: 'linear', attributes: {}, inputs: { x: t([64, 784], new Float64Array(50176).fill(0.5)) }, params: { b }, singleStep: true, optimizer: sgd(0.1) };
    const expected = t([50], range(50, (i) => b.data[i]! - 0.1 * g[i]!));
    expect(hint(expected, b, place('update', 'b'), c, F32)).toBe('b is unchanged: the update was not applied to b');
  });

  it('the factor-2 MSE hint is not suppressed when B = 2', () => {
    const c: HintCase = { op: 'mse', attributes: {}, inputs: { prediction: t([2, 3], values(6)), target: t([2, 3], values(6, 5)) }, params: {} };
    const e = values(6, 6);
    expect(hint(t([2, 3], e), t([2, 3], e.map((v) => v / 2)), place('backward', 'dprediction'), c)).toBe(
      'every element of dprediction is 0.5× the expected (= 1/2): the 2 of d/dy (y − t)² = 2(y − t) is missing',
    );
  });

  it('a 0.5·SSE loss is named as such when N/2 = B, not "averaged over the batch"', () => {
    const c: HintCase = { op: 'mse', attributes: {}, inputs: { prediction: t([4, 2], values(8)), target: t([4, 2], values(8, 7)) }, params: {} };
    expect(hint(t([], [0.3]), t([], [1.2]), place('forward', 'loss'), c)).toBe('loss is 4× the expected (= N/2, N = 8): ½·Σ(y − t)² instead of the mean of (y − t)²');
  });

  it("mlp's MSE takes N from the loss's tensor (the target, 12 elements), not from x (24)", () => {
    const c: HintCase = { op: 'mlp', attributes: { loss: 'mse' }, inputs: { x: t([4, 6], values(24)), target: t([4, 3], values(12, 8)) }, params: {} };
    expect(hint(t([], [0.25]), t([], [3]), place('forward', 'loss'), c)).toBe('loss is 12× the expected (= N, N = 12): summed instead of averaged over all N elements');
  });

  it('the factor-2 derivative explanation is not attached to a loss value', () => {
    const c: HintCase = { op: 'mse', attributes: {}, inputs: { prediction: t([3, 3], values(9)), target: t([3, 3], values(9, 9)) }, params: {} };
    expect(hint(t([], [0.3]), t([], [0.6]), place('forward', 'loss'), c)).toBeUndefined();
  });

  it('a +∞ loss with a correct gradient is log(softmax) underflowing, not "subtract the row max"', () => {
    const c: HintCase = { op: 'cross_entropy', attributes: {}, inputs: { logits: t([2, 3], values(6)) }, params: {}, hasBackward: true, failed: ['loss'] };
    expect(hint(t([], [500]), t([], [Infinity]), place('forward', 'loss'), c)).toBe(
      '+∞ loss with a finite gradient: log(softmax) underflowed to log 0; compute log-softmax directly (x − m − log Σ exp(x − m), m the row max)',
    );
  });

  it('a constant ratio on exactly the negative inputs is a slope (leaky_relu with 0.1 for 0.01)', () => {
    const x = values(8), dy = values(8, 10);
    const c: HintCase = { op: 'leaky_relu', attributes: { alpha: 0.01 }, inputs: { x: t([2, 4], x) }, params: {}, gradOutput: { y: t([2, 4], dy) } };
    const dx = (slope: number) => t([2, 4], range(8, (i) => (x[i]! > 0 ? dy[i]! : slope * dy[i]!)));
    const negatives = x.filter((v) => v < 0).length;
    expect(hint(dx(0.01), dx(0.1), place('backward', 'dx'), c)).toBe(`dx is wrong exactly where x < 0 (${negatives} of 8 elements), right elsewhere: the slope there is 0.1, the rule's is 0.01`);
  });

  it('a result that is the expected with two axes swapped (rank 3)', () => {
    const e = t([2, 3, 4], values(24));
    const swapped = t([2, 4, 3], range(24, (i) => e.data[Math.floor(i / 12) * 12 + (i % 3) * 4 + (Math.floor(i / 3) % 4)]!));
    expect(hint(e, swapped, place('backward', 'dx'), { op: 'conv2d', attributes: {}, inputs: {}, params: {} })).toBe('dx looks transposed (axes in the order (0, 2, 1) of the expected)');
  });

  it('a bias gradient summed along another axis (B = out, so the shape is right)', () => {
    const dy = t([3, 3], values(9));
    const sum = (axis: 0 | 1) => t([3], range(3, (j) => range(3, (i) => dy.data[axis === 0 ? i * 3 + j : j * 3 + i]!).reduce((a, b) => a + b)));
    const c: HintCase = { op: 'linear', attributes: {}, inputs: { x: t([3, 2], values(6)) }, params: {}, gradOutput: { y: dy } };
    expect(hint(sum(0), sum(1), place('backward', 'db'), c)).toBe('db is grad_output.y summed over every axis but axis 0; the rule keeps axis 1 (the channel/out axis) and sums over the others');
  });

  it('a log_softmax shifted along another axis: normalised along axis 0', () => {
    const x = values(6);
    const lse = (idx: number[]) => Math.log(idx.reduce((s, i) => s + Math.exp(x[i]!), 0));
    const byRow = t([2, 3], range(6, (i) => x[i]! - lse([0, 1, 2].map((j) => Math.floor(i / 3) * 3 + j))));
    const byColumn = t([2, 3], range(6, (i) => x[i]! - lse([i % 3, (i % 3) + 3])));
    expect(hint(byRow, byColumn, place('forward', 'y'), { op: 'log_softmax', attributes: {}, inputs: { x: t([2, 3], x) }, params: {} })).toBe(
      'y is normalised along axis 0, not the last axis: each slice along axis 0 has a log-sum-exp of 0, the rows along axis 1 do not',
    );
  });

  it("leaky_relu wrong at x = 0 gets leaky_relu's rule (slope alpha there), not ReLU's", () => {
    const x = [0, -1, 2, -0], dy = [1, 2, 3, 4];
    const c: HintCase = { op: 'leaky_relu', attributes: { alpha: 0.2 }, inputs: { x: t([4], x) }, params: {}, gradOutput: { y: t([4], dy) } };
    const h = hint(t([4], [0.2, 0.4, 3, 0.8]), t([4], [1, 0.4, 3, 4]), place('backward', 'dx'), c);
    expect(h).toBe('at x = 0 (and −0) the slope is alpha: dx = alpha·dy there, not dy (dx is wrong exactly where x = 0: 2 of 4 elements)');
  });

  it('dropout without its 1/(1 − p) scale is the scale, not a reduction over the batch (B = 2 = 1/(1 − p))', () => {
    const x = values(8), mask = [1, 0, 1, 1, 0, 1, 0, 1];
    const c: HintCase = { op: 'dropout', attributes: { p: 0.5 }, inputs: { x: t([2, 4], x), mask: t([2, 4], mask) }, params: {} };
    const y = (scale: number) => t([2, 4], range(8, (i) => x[i]! * mask[i]! * scale));
    expect(hint(y(2), y(1), place('forward', 'y'), c)).toBe('every element of y is 0.5× the expected (= 1 − p, p = 0.5): the 1/(1 − p) scale of the kept elements is missing');
  });
});

// Each hint fires on its signature and stays quiet on a plain wrong value. The hints read the
// comparator's facts; the per-op knowledge (exp, the sgd step, weight layout) comes from op-hints.ts.
import { compareTensor } from '../compare';
import { hintFor, type HintCase } from '../hints';
import type { Tensor } from '../implementation';
import { failureReport } from '../messages';
import type { TensorFailure, TensorPlace } from '../results';

const t = (shape: number[], values: number[]): Tensor => ({ dtype: 'float64', shape, data: Float64Array.from(values) });
const F64 = { rtol: 1e-7, atol: 1e-9 };
const fwd = (label = 'y'): TensorPlace => ({ stage: 'forward', label, name: label });

/** The failing tensor's report with its hint, as run-case makes it. */
function hinted(expected: Tensor, actual: Tensor, tolerance: { rtol: number; atol: number }, place: TensorPlace, c: HintCase): TensorFailure {
  const m = compareTensor(expected, actual, tolerance, place);
  if (!m) throw new Error('expected a mismatch');
  return failureReport(m, hintFor(m, c));
}

describe('hints', () => {
  const ctx = (over: Partial<HintCase> = {}): HintCase => ({
    op: 'linear',
    attributes: {},
    inputs: { x: t([4, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) },
    params: {},
    ...over,
  });
  const grad = (label: string, name: string): TensorPlace => ({ stage: 'backward', label, name });
  const expected = t([3], [0.5, -1.25, 2]);
  const plainWrong = t([3], [0.5, -1.25, 2.5]);

  it('wrong reduction: a layer param gradient averaged instead of summed over the batch; any other constant factor is stated as such', () => {
    const mean = hinted(expected, t([3], [0.125, -0.3125, 0.5]), F64, grad('db', 'b'), ctx())!;
    expect(mean.hint).toBe('every element of db is 0.25× the expected (= 1/B, B = 4): averaged instead of summed over the batch');
    const sum = hinted(expected, t([3], [2, -5, 8]), F64, grad('db', 'b'), ctx())!;
    expect(sum.hint).toBe('every element of db is 4× the expected: a constant factor is missing or extra');
    expect(hinted(expected, plainWrong, F64, grad('db', 'b'), ctx())!.hint).toBeUndefined();
  });

  it('wrong reduction: scaled by the element count (mse)', () => {
    const mse = ctx({ op: 'mse', inputs: { prediction: t([2, 3], [1, 2, 3, 4, 5, 6]), target: t([2, 3], [0, 0, 0, 0, 0, 0]) } });
    const loss = t([], [0.7]);
    expect(hinted(loss, t([], [4.2]), F64, fwd('loss'), mse)!.hint).toBe('loss is 6× the expected (= N, N = 6): summed instead of averaged over all N elements');
    // 3 = N/B = N/2: both causes fit, both are named.
    expect(hinted(loss, t([], [2.1]), F64, fwd('loss'), mse)!.hint).toBe(
      'loss is 3× the expected (= N/B = N/2, N = 6, B = 2): averaged over the batch only instead of over all N elements, or ½·Σ(y − t)² instead of the mean of (y − t)²',
    );
    // A single number is a multiple of any other: no known cause, no hint.
    expect(hinted(loss, t([], [1.4]), F64, fwd('loss'), mse)!.hint).toBeUndefined();
    expect(hinted(loss, t([], [0.71]), F64, fwd('loss'), mse)!.hint).toBeUndefined();
  });

  it('sign flip', () => {
    const f = hinted(expected, t([3], [-0.5, 1.25, -2]), F64, grad('dx', 'x'), ctx())!;
    expect(f.hint).toMatch(/^sign flip/);
    expect(hinted(expected, t([3], [-0.5, 1.25, -2.1]), F64, grad('dx', 'x'), ctx())!.hint).toBeUndefined();
  });

  it('sign flip in an sgd step is recognised relative to the param (op-hints: param_next steps from param)', () => {
    const param = t([2], [1, 2]);
    const sgd = ctx({ op: 'sgd', inputs: { param, grad: t([2], [1, 1]) } });
    // expected p − 0.5·g = [0.5, 1.5]; flipped p + 0.5·g = [1.5, 2.5]
    const f = hinted(t([2], [0.5, 1.5]), t([2], [1.5, 2.5]), F64, fwd('param_next'), sgd)!;
    expect(f.hint).toMatch(/^sign flip.*p ← p − lr·∇p/);
  });

  it('transposed: the transposed shape', () => {
    const e = t([2, 3], [1, 2, 3, 4, 5, 6]);
    const f = hinted(e, t([3, 2], [1, 4, 2, 5, 3, 6]), F64, grad('dW', 'W'), ctx())!;
    expect(f.kind).toBe('shape');
    expect(f.hint).toBe('dW looks transposed (weight layout is (in, out), dW = xᵀ·dy)');
    expect(f.detail).toContain('hint: dW looks transposed');
    expect(hinted(e, t([6, 1], [1, 2, 3, 4, 5, 6]), F64, grad('dW', 'W'), ctx())!.hint).toBeUndefined();
  });

  it('transposed: the note comes from op-hints, for the tensors and stages it names', () => {
    const e = t([2, 3], [1, 2, 3, 4, 5, 6]);
    const eT = t([3, 2], [1, 4, 2, 5, 3, 6]);
    const note = (op: string, place: TensorPlace): string | undefined => hinted(e, eT, F64, place, ctx({ op })).hint;
    expect(note('mlp', grad('dW1', 'W1'))).toBe('dW1 looks transposed (weight layout is (in, out), dW = xᵀ·dy)');
    expect(note('linear', grad('dx', 'x'))).toBe('dx looks transposed');
    expect(note('matmul', grad('da', 'a'))).toBe('da looks transposed (for y = a·b: da = dy·bᵀ, db = aᵀ·dy)');
    expect(note('matmul', fwd('y'))).toBe('y looks transposed');
    expect(note('softmax', grad('dx', 'x'))).toBe('dx looks transposed');
  });

  it('transposed: same shape, the data of expectedᵀ', () => {
    const square = t([2, 2], [1, 2, 3, 4]);
    expect(hinted(square, t([2, 2], [1, 3, 2, 4]), F64, grad('dW', 'W'), ctx())!.hint).toMatch(/looks transposed/);
    const e = t([2, 3], [1, 2, 3, 4, 5, 6]);
    expect(hinted(e, t([2, 3], [1, 4, 2, 5, 3, 6]), F64, grad('dW', 'W'), ctx())!.hint).toMatch(/looks transposed/);
    expect(hinted(square, t([2, 2], [1, 3, 2, 5]), F64, grad('dW', 'W'), ctx())!.hint).toBeUndefined();
  });

  it("ReLU'(0) must be 0", () => {
    const relu = ctx({
      op: 'relu',
      inputs: { x: t([5], [0, -1, 0, 2, -0]) },
      gradOutput: { y: t([5], [1, 2, 3, 4, 5]) },
    });
    const e = t([5], [0, 0, 0, 4, 0]);
    expect(hinted(e, t([5], [1, 0, 3, 4, 5]), F64, grad('dx', 'x'), relu)!.hint).toMatch(/^ReLU'\(0\) must be 0/);
    // Differs where x ≠ 0 as well, or differs at x = 0 by something other than grad_output: no hint.
    expect(hinted(e, t([5], [1, 0, 3, 5, 5]), F64, grad('dx', 'x'), relu)!.hint).toBeUndefined();
    // Wrong at one of the three zeros only: not the x = 0 rule; the fact is stated, no cause claimed.
    expect(hinted(e, t([5], [0.5, 0, 0, 4, 0]), F64, grad('dx', 'x'), relu)!.hint).toBe('dx is non-zero at 1 of 5 elements where the expected is 0, and right elsewhere');
  });

  it('overflow: NaN/Infinity where a finite value is expected, for ops that exp', () => {
    const e = t([2, 2], [0.5, 0.5, 1, 0]);
    const nan = t([2, 2], [0.5, 0.5, NaN, NaN]);
    expect(hinted(e, nan, F64, fwd(), ctx({ op: 'softmax' }))!.hint).toBe('overflow: subtract the row max before exp (2 NaN where finite values are due)');
    expect(hinted(t([], [0.3]), t([], [Infinity]), F64, fwd('loss'), ctx({ op: 'cross_entropy' }))!.hint).toMatch(/^\+∞ loss \(1 \+∞\): exp overflowed .*, or log\(softmax\) underflowed/);
    expect(hinted(e, nan, F64, fwd(), ctx({ op: 'relu' }))!.hint).toBeUndefined();
    expect(hinted(e, t([2, 2], [0.5, 0.5, 0.9, 0.1]), F64, fwd(), ctx({ op: 'softmax' }))!.hint).toBeUndefined();
  });

  it('gives no hint when all expected values are zero (any scaling fits)', () => {
    expect(hinted(t([2], [0, 0]), t([2], [1, 1]), F64, grad('dx', 'x'), ctx())!.hint).toBeUndefined();
  });

  it('where the failing elements sit: only on the diagonal; zeros where values are due', () => {
    const e = t([3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(hinted(e, t([3, 3], [0, 2, 3, 4, 4, 6, 7, 8, 10]), F64, fwd(), ctx({ op: 'softmax' }))!.hint).toBe(
      'y is wrong exactly on the diagonal (3 of 9 elements), right elsewhere: a term of the i = j elements is wrong',
    );
    expect(hinted(e, t([3, 3], [1, 0, 3, 4, 5, 0, 7, 8, 9]), F64, fwd(), ctx({ op: 'softmax' }))!.hint).toBe('y is 0 at 2 of 9 elements where the expected is not, and right elsewhere');
    expect(hinted(e, t([3, 3], [1, 0, 3, 4, 5, 0, 7, 8, 9.5]), F64, fwd(), ctx({ op: 'softmax' }))!.hint).toBeUndefined();
  });

  it('a step with no known factor: check lr and the averaging; a param left as it was: not updated', () => {
    const W = t([2], [1, 2]);
    const c = ctx({ params: { W }, singleStep: true, optimizer: { type: 'sgd', lr: 0.5, steps: 1 } });
    const expectedW = t([2], [0.5, 1.25]);
    expect(hinted(expectedW, t([2], [-0.5, -0.25]), F64, { stage: 'update', label: 'W', name: 'W' }, c)!.hint).toBe(
      'the step of W is 3× the expected: check lr and whether the gradients are averaged',
    );
    expect(hinted(expectedW, W, F64, { stage: 'update', label: 'W', name: 'W' }, c)!.hint).toBe('W is unchanged: the update was not applied to W');
    expect(hinted(expectedW, t([2], [0.5, 1.3]), F64, { stage: 'update', label: 'W', name: 'W' }, c)!.hint).toBeUndefined();
  });

  it('−∞ in log_softmax: each row keeping a finite max is log(softmax) underflowing; a row all −∞ is an overflow', () => {
    const e = t([2, 2], [0, -1000, -0.6931, -0.6931]);
    const ls = ctx({ op: 'log_softmax' });
    expect(hinted(e, t([2, 2], [0, -Infinity, -0.6931, -0.6931]), { rtol: 1e-3, atol: 1e-4 }, fwd(), ls)!.hint).toMatch(/^−∞ at 1 elements, but each row's max is finite: softmax underflowed/);
    expect(hinted(e, t([2, 2], [-Infinity, -Infinity, -0.6931, -0.6931]), { rtol: 1e-3, atol: 1e-4 }, fwd(), ls)!.hint).toMatch(/^overflow: subtract the row max before exp \(2 −∞/);
  });

  it('a +∞ loss whose gradient failed too is not called an underflow alone', () => {
    const c = ctx({ op: 'cross_entropy', hasBackward: true, failed: ['loss', 'dlogits'] });
    expect(hinted(t([], [3]), t([], [Infinity]), F64, fwd('loss'), c)!.hint).toMatch(/^\+∞ loss \(1 \+∞\): exp overflowed \(subtract the row max before exp\), or log\(softmax\) underflowed/);
  });

  it('an optimizer state tensor: the ratio as evidence, then the rule that updates it', () => {
    const c = ctx({ optimizer: { type: 'sgd', lr: 0.1, momentum: 0.9, steps: 3 } });
    const place: TensorPlace = { stage: 'update', label: 'momentum_buffer.W', name: 'W', stateKind: 'momentum_buffer' };
    expect(hinted(t([2], [1, 2]), t([2], [0.5, 1]), F64, place, c)!.hint).toMatch(/^every element of momentum_buffer\.W is 0\.5× the expected; momentum_buffer differs after 3 steps/);
  });

  it('a state tensor after several steps with its param wrong too: the state update, or the gradients of an earlier wrong param', () => {
    const place: TensorPlace = { stage: 'update', label: 'momentum_buffer.W', name: 'W', stateKind: 'momentum_buffer' };
    const c = (failed: string[]) => ctx({ optimizer: { type: 'sgd', lr: 0.1, momentum: 0.9, steps: 3 }, failed });
    expect(hinted(t([2], [1, 2]), t([2], [1.5, 1]), F64, place, c(['W', 'momentum_buffer.W']))!.hint).toMatch(/\); or an earlier step left W wrong, and the gradients taken from it$/);
    expect(hinted(t([2], [1, 2]), t([2], [1.5, 1]), F64, place, c(['momentum_buffer.W']))!.hint).toMatch(/weight_decay·p\)$/);
  });
});


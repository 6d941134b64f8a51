import { Adam, AdamW, SGD, Tensor, adamStep, createOptimizer, sgdMomentumStep, type Parameter } from '../../src';

const param = (values: number[]): Parameter => ({ name: 'p', value: Tensor.fromArray(values, [values.length]), grad: Tensor.fromArray(values.map(() => 1), [values.length]) });

describe('SGD with momentum', () => {
  test('the buffer starts as the first gradient (no dampening), then μ·buf + (1 − τ)·g; nesterov steps along g + μ·buf', () => {
    const first = sgdMomentumStep(Tensor.fromArray([1], [1]), Tensor.fromArray([2], [1]), null, 0.5, { momentum: 0.9, dampening: 0.5 });
    expect([first.buffer.data[0], first.param.data[0]]).toEqual([2, 0]);
    const second = sgdMomentumStep(first.param, Tensor.fromArray([2], [1]), first.buffer, 0.5, { momentum: 0.9, dampening: 0.5 });
    expect(second.buffer.data[0]).toBeCloseTo(0.9 * 2 + 0.5 * 2, 15);
    const nesterov = sgdMomentumStep(Tensor.fromArray([1], [1]), Tensor.fromArray([2], [1]), null, 0.5, { momentum: 0.9, nesterov: true });
    expect(nesterov.param.data[0]).toBeCloseTo(1 - 0.5 * (2 + 0.9 * 2), 15);
  });

  test('weight decay enters the gradient, so the buffer; the SGD class keeps one buffer per parameter', () => {
    const p = param([2, -2]);
    const sgd = new SGD([p], 0.1, { momentum: 0.9, weightDecay: 0.5 });
    sgd.step();
    expect(Array.from(sgd.stateOf(p).momentum_buffer!.data)).toEqual([2, 0]); // 1 + 0.5·2, 1 + 0.5·(−2)
    expect(new SGD([param([1])], 0.1).stateOf(p)).toEqual({});
  });

  test('bad input names the op and the value', () => {
    const t = Tensor.fromArray([1], [1]);
    expect(() => sgdMomentumStep(t, t, null, 0.1, { momentum: 0 })).toThrow(/^sgd_momentum: momentum must be > 0, got 0/);
    expect(() => sgdMomentumStep(t, t, null, 0.1, { momentum: 0.9, dampening: 0.1, nesterov: true })).toThrow(/^sgd_momentum: nesterov needs dampening 0, got 0.1/);
    expect(() => sgdMomentumStep(t, Tensor.zeros([2]), null, 0.1, { momentum: 0.9 })).toThrow(/^sgd_momentum: grad \(2\) does not match param \(1\)$/);
  });
});

describe('Adam and AdamW', () => {
  test('step 1 from zero moments is ≈ lr·sign(g) (bias-corrected); ε outside the square root', () => {
    const zeros = { expAvg: Tensor.zeros([2]), expAvgSq: Tensor.zeros([2]) };
    const next = adamStep(Tensor.fromArray([1, 1], [2]), Tensor.fromArray([3, -1e-9], [2]), zeros, 1, 0.1, {});
    expect(next.param.data[0]).toBeCloseTo(1 - 0.1 * 3 / (3 + 1e-8), 15);
    expect(next.param.data[1]).toBeCloseTo(1 + 0.1 * 1e-9 / (1e-9 + 1e-8), 15);
    expect(() => adamStep(Tensor.zeros([1]), Tensor.zeros([1]), { expAvg: Tensor.zeros([1]), expAvgSq: Tensor.zeros([1]) }, 0, 0.1, {})).toThrow(/^adam: step must be an integer ≥ 1, got 0$/);
  });

  test('Adam couples weight decay into the moments, AdamW decays the param first (default λ 0.01)', () => {
    const a = param([2]);
    const adam = new Adam([a], 0.1, { weightDecay: 0.5 });
    adam.step();
    expect(adam.stateOf(a).exp_avg!.data[0]).toBeCloseTo(0.1 * (1 + 0.5 * 2), 15);
    const w = param([2]);
    const adamw = createOptimizer({ type: 'adamw', lr: 0.1 }, [w]);
    expect(adamw).toBeInstanceOf(AdamW);
    adamw.step();
    expect(adamw.stateOf(w).exp_avg!.data[0]).toBeCloseTo(0.1, 15);
    expect(w.value.data[0]).toBeCloseTo(2 * (1 - 0.1 * 0.01) - 0.1, 7);
    expect(() => createOptimizer({ type: 'rmsprop', lr: 0.1 }, [])).toThrow("createOptimizer: unknown optimizer type 'rmsprop'; expected sgd, adam or adamw");
  });
});

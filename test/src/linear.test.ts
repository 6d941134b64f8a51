import { Linear, Rng, Tensor } from '../../src';
import { dot, expectClose, numericGradient, randomTensor } from './helpers/numeric';

const rng = new Rng(2);

describe('Linear', () => {
  test('y = x·W + b with W (in×out) and b (out)', () => {
    const layer = Linear.fromWeights(Tensor.fromArray([1, 2, 3, 4, 5, 6], [3, 2]), Tensor.fromArray([10, 20], [2]));
    const y = layer.forward(Tensor.fromArray([1, 0, -1, 2, 1, 0], [2, 3]));
    expect(y.shape).toEqual([2, 2]);
    expect(Array.from(y.data)).toEqual([1 - 5 + 10, 2 - 6 + 20, 2 + 3 + 10, 4 + 4 + 20]);
  });

  test('backward matches central differences for dx, dW and db', () => {
    const W = randomTensor(rng, [4, 3]), b = randomTensor(rng, [3]), x = randomTensor(rng, [5, 4]), g = randomTensor(rng, [5, 3]);
    const layer = Linear.fromWeights(W, b);
    layer.forward(x);
    const dx = layer.backward(g);
    const lossAt = (xx: Tensor, WW: Tensor, bb: Tensor): number => dot(g, Linear.fromWeights(WW, bb).forward(xx));
    expectClose(dx, numericGradient((t) => lossAt(t, W, b), x), 1e-7);
    expectClose(layer.weight.grad!, numericGradient((t) => lossAt(x, t, b), W), 1e-7);
    expectClose(layer.bias!.grad!, numericGradient((t) => lossAt(x, W, t), b), 1e-7);
  });

  test('initialisations: Kaiming std sqrt(2/in), Xavier std sqrt(2/(in+out)), zeros; seeded; bias 0', () => {
    const std = (t: Tensor): number => Math.sqrt(Array.from(t.data).reduce((s, v) => s + v * v, 0) / t.size);
    expect(std(new Linear(200, 300, { seed: 1 }).weight.value)).toBeCloseTo(Math.sqrt(2 / 200), 3);
    expect(std(new Linear(200, 300, { init: 'xavier', seed: 1 }).weight.value)).toBeCloseTo(Math.sqrt(2 / 500), 3);
    expect(std(new Linear(20, 30, { init: 'zeros' }).weight.value)).toBe(0);
    expect(new Linear(3, 4, { seed: 5 }).weight.value.data).toEqual(new Linear(3, 4, { seed: 5 }).weight.value.data);
    expect(new Linear(3, 4).weight.value.data).not.toEqual(new Linear(3, 4).weight.value.data); // default seeds differ
    expect(Array.from(new Linear(3, 4).bias!.value.data)).toEqual([0, 0, 0, 0]);
    expect(new Linear(3, 4, { dtype: 'float32' }).weight.value.dtype).toBe('float32');
  });

  test('fromWeights copies W and b', () => {
    const W = Tensor.fromArray([1, 2], [1, 2]), b = Tensor.fromArray([0, 0], [2]);
    const layer = Linear.fromWeights(W, b);
    layer.weight.value.data[0] = 9;
    expect(W.data[0]).toBe(1);
    expect(layer.weight.value).not.toBe(W);
    expect(layer.bias!.value).not.toBe(b);
  });

  describe('bad input', () => {
    const layer = new Linear(3, 5, { seed: 0 });
    test('input features ≠ in', () => {
      expect(() => layer.forward(Tensor.zeros([2, 4]))).toThrow(/^linear: input \(2×4\) has 4 features, but weight \(3×5\) expects 3$/);
    });
    test('input not 2-D', () => {
      expect(() => layer.forward(Tensor.zeros([3]))).toThrow(/^linear: expected a 2-D input \(batch×features\), got \(3\)$/);
    });
    test('empty batch', () => {
      expect(() => layer.forward(Tensor.zeros([0, 3]))).toThrow(/^linear: empty batch: input \(0×3\) has no elements$/);
    });
    test('dtype of x ≠ dtype of W', () => {
      expect(() => layer.forward(Tensor.zeros([2, 3], 'float32'))).toThrow(/^linear: dtype mismatch: input is float32 \(2×3\) but weight is float64 \(3×5\)$/);
    });
    test('NaN or Infinity in the input, located', () => {
      const x = Tensor.zeros([2, 3]);
      x.data[5] = NaN;
      expect(() => layer.forward(x)).toThrow(/^linear: input contains NaN at \[1,2\]$/);
      x.data[5] = 0;
      x.data[1] = -Infinity;
      expect(() => layer.forward(x)).toThrow(/^linear: input contains -Infinity at \[0,1\]$/);
    });
    test('backward before forward', () => {
      expect(() => new Linear(3, 5).backward(Tensor.zeros([2, 5]))).toThrow(/^linear: backward called before forward$/);
    });
    test('gradOutput of the wrong shape', () => {
      const l = new Linear(3, 5);
      l.forward(Tensor.zeros([2, 3]));
      expect(() => l.backward(Tensor.zeros([2, 4]))).toThrow(/^linear: gradOutput \(2×4\) does not match output \(2×5\)$/);
    });
    test('bad sizes, init, bias', () => {
      expect(() => new Linear(0, 5)).toThrow(/^linear: inFeatures must be a positive integer, got 0$/);
      expect(() => new Linear(3, 2.5)).toThrow(/^linear: outFeatures must be a positive integer, got 2.5$/);
      expect(() => new Linear(3, 5, { init: 'he' as 'kaiming' })).toThrow(/^linear: unknown init 'he'/);
      expect(() => Linear.fromWeights(Tensor.zeros([3, 5]), Tensor.zeros([4]))).toThrow(/^linear: bias \(4\) does not match weight \(3×5\): expected \(5\)$/);
      expect(() => Linear.fromWeights(Tensor.zeros([3, 5]), Tensor.zeros([5], 'float32'))).toThrow(/^linear: dtype mismatch: bias is float32 \(5\) but weight is float64 \(3×5\)$/);
    });
  });
});

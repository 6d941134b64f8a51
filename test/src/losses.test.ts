import { BCEWithLogits, CrossEntropy, CrossEntropyIndex, MSE, MSES, NLL, Rng, Tensor, logSoftmax, oneHot, softmax } from '../../src';
import { expectClose, numericGradient, randomTensor } from './helpers/numeric';

const rng = new Rng(4);

describe('MSE', () => {
  test('mean over all elements; grad 2(p − t)/N scaled by the seed', () => {
    const loss = new MSE();
    expect(loss.forward(Tensor.fromArray([1, 2, 3, 4], [2, 2]), Tensor.fromArray([1, 0, 3, 0], [2, 2]))).toBe((4 + 16) / 4);
    expect(Array.from(loss.backward().data)).toEqual([0, 1, 0, 2]);
    expect(Array.from(loss.backward(3).data)).toEqual([0, 3, 0, 6]);
  });
});

describe('MSES', () => {
  test('MSE of softmax(logits); backward through the softmax Jacobian matches central differences', () => {
    const z = randomTensor(rng, [3, 4]), t = oneHot([0, 3, 1], 4);
    const loss = new MSES();
    const value = loss.forward(z, t);
    expect(value).toBeCloseTo(new MSE().forward(softmax(z), t), 15);
    expectClose(loss.backward(2), numericGradient((x) => 2 * new MSES().forward(x, t), z), 1e-8);
  });
});

describe('CrossEntropy', () => {
  test('mean: −Σ t·log softmax(z) / batch; grad (softmax − t) / batch', () => {
    const z = randomTensor(rng, [5, 3]), t = oneHot([0, 2, 1, 1, 0], 3);
    const mean = new CrossEntropy(), sum = new CrossEntropy({ reduction: 'sum' });
    const meanValue = mean.forward(z, t), sumValue = sum.forward(z, t);
    expect(meanValue * 5).toBeCloseTo(sumValue, 12);
    const p = softmax(z);
    expect(sumValue).toBeCloseTo(-[0, 5, 7, 10, 12].reduce((s, i) => s + Math.log(p.data[i]!), 0), 12);
    expectClose(mean.backward(), numericGradient((x) => new CrossEntropy().forward(x, t), z), 1e-8);
    expectClose(sum.backward(), numericGradient((x) => new CrossEntropy({ reduction: 'sum' }).forward(x, t), z), 1e-8);
  });

  test.each(['float64', 'float32'] as const)('%s: forward and backward give exactly the bits of −Σ t·logSoftmax(z) and (softmax(z) − t)·seed (backward reuses the forward\'s row sums)', (dtype) => {
    const z = Tensor.fromArray(randomTensor(rng, [6, 7]).data, [6, 7], dtype), t = Tensor.fromArray(oneHot([0, 6, 3, 3, 1, 5], 7).data, [6, 7], dtype);
    const loss = new CrossEntropy({ reduction: 'sum' });
    const logP = logSoftmax(z), p = softmax(z);
    let expected = 0;
    for (let i = 0; i < t.size; i++) expected -= t.data[i]! * logP.data[i]!;
    expect(loss.forward(z, t)).toBe(expected);
    const grad = loss.backward(3);
    const reference = Array.from(p.data, (v, i) => 3 * (v - t.data[i]!));
    expect(Array.from(grad.data)).toEqual(Array.from(Tensor.fromArray(reference, z.shape, dtype).data));
  });

  test('stable for ±1e3 logits', () => {
    const loss = new CrossEntropy();
    expect(loss.forward(Tensor.fromArray([1000, -1000], [1, 2]), oneHot([1], 2))).toBe(2000);
    expect(Array.from(loss.backward().data)).toEqual([1, -1]);
  });
});

describe('class-index losses', () => {
  const classes = (values: number[]) => Tensor.fromArray(values, [values.length]);

  test('cross_entropy_index equals cross_entropy on the same classes, for both reductions and any seed', () => {
    const z = randomTensor(rng, [4, 4]);
    for (const reduction of ['mean', 'sum'] as const) {
      const index = new CrossEntropyIndex({ reduction }), oneHotLoss = new CrossEntropy({ reduction });
      expect(index.forward(z, classes([3, 0, 0, 1]))).toBeCloseTo(oneHotLoss.forward(z, oneHot([3, 0, 0, 1], 4)), 14);
      expectClose(index.backward(-2.5), oneHotLoss.backward(-2.5), 1e-15);
    }
  });

  test('ignore_index rows add nothing, mean divides by the rows kept, all ignored is NaN with a zero gradient', () => {
    const z = randomTensor(rng, [3, 2]);
    const loss = new NLL();
    const lp = logSoftmax(z);
    expect(loss.forward(lp, classes([1, -100, 0]))).toBeCloseTo(-(lp.data[1]! + lp.data[4]!) / 2, 14);
    expect(Array.from(loss.backward(2).data)).toEqual([0, -1, 0, 0, -1, 0]);
    expect(new NLL({ ignoreIndex: 0 }).forward(lp, classes([1, 0, 0]))).toBeCloseTo(-lp.data[1]!, 14);
    expect(loss.forward(lp, classes([-100, -100, -100]))).toBeNaN();
    expect(Array.from(loss.backward().data)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(new NLL({ reduction: 'sum' }).forward(lp, classes([-100, -100, -100]))).toBe(0);
  });

  test('a target that is neither a class nor ignore_index, or of the wrong shape, is named', () => {
    const z = Tensor.zeros([2, 3]);
    expect(() => new CrossEntropyIndex().forward(z, classes([0, 3]))).toThrow(/^cross_entropy_index: target\[1\] = 3 is not a class in \[0, 3\) nor ignore_index -100$/);
    expect(() => new NLL().forward(z, classes([0.5, 1]))).toThrow(/^nll: target\[0\] = 0.5 is not a class/);
    expect(() => new NLL().forward(z, classes([0, 1, 2]))).toThrow(/^nll: target \(3\) must hold one class index per row of log_probs \(2×3\): expected \(2\)$/);
  });
});

describe('BCEWithLogits', () => {
  test('equals −[p·t·log σ + (1 − t)·log(1 − σ)] averaged over every element; backward matches central differences', () => {
    const z = randomTensor(rng, [3, 4]);
    const t = Tensor.fromArray([1, 0, 0.5, 1, 0, 0, 1, 0.25, 1, 1, 0, 0], [3, 4]);
    const p = Tensor.fromArray([2, 0.5, 1, 3], [4]);
    const loss = new BCEWithLogits({ posWeight: p });
    let naive = 0;
    for (let i = 0; i < 12; i++) {
      const s = 1 / (1 + Math.exp(-z.data[i]!));
      naive -= p.data[i % 4]! * t.data[i]! * Math.log(s) + (1 - t.data[i]!) * Math.log(1 - s);
    }
    expect(loss.forward(z, t)).toBeCloseTo(naive / 12, 13);
    expectClose(loss.backward(-1.5), numericGradient((x) => -1.5 * new BCEWithLogits({ posWeight: p }).forward(x, t), z), 1e-8);
    expect(new BCEWithLogits({ reduction: 'sum' }).forward(z, t) / 12).toBeCloseTo(new BCEWithLogits().forward(z, t), 14);
  });

  test('finite at ±1e3, and a pos_weight of the wrong shape is named', () => {
    const loss = new BCEWithLogits({ reduction: 'sum' });
    expect(loss.forward(Tensor.fromArray([1000, -1000, 1000], [1, 3]), Tensor.fromArray([1, 1, 0], [1, 3]))).toBe(2000);
    expect(Array.from(loss.backward().data)).toEqual([0, -1, 1]);
    expect(() => new BCEWithLogits({ posWeight: Tensor.zeros([2]) }).forward(Tensor.zeros([2, 3]), Tensor.zeros([2, 3]))).toThrow(
      /^binary_cross_entropy_with_logits: pos_weight \(2\) does not match the last axis of logits \(2×3\) \(3\)$/,
    );
  });
});

describe('bad input to losses', () => {
  test('target shape ≠ prediction shape', () => {
    expect(() => new CrossEntropy().forward(Tensor.zeros([2, 4]), Tensor.zeros([2, 3]))).toThrow(/^cross_entropy: target \(2×3\) does not match logits \(2×4\)$/);
    expect(() => new MSE().forward(Tensor.zeros([2, 4]), Tensor.zeros([4, 2]))).toThrow(/^mse: target \(4×2\) does not match prediction \(2×4\)$/);
    expect(() => new MSES().forward(Tensor.zeros([2, 4]), Tensor.zeros([2]))).toThrow(/^mse_softmax: target \(2\) does not match logits \(2×4\)$/);
  });

  test('a target row that is not one-hot, naming the row and its sum', () => {
    const z = Tensor.zeros([3, 3]);
    expect(() => new CrossEntropy().forward(z, Tensor.fromArray([1, 0, 0, 0, 1, 1, 0, 0, 1], [3, 3]))).toThrow(/^cross_entropy: target row 1 is not one-hot: it sums to 2$/);
    expect(() => new CrossEntropy().forward(z, Tensor.fromArray([1, 0, 0, 0, 0, 0, 0, 0, 1], [3, 3]))).toThrow(/^cross_entropy: target row 1 is not one-hot: it sums to 0$/);
    expect(() => new CrossEntropy().forward(z, Tensor.fromArray([0.5, 0.5, 0, 0, 1, 0, 0, 0, 1], [3, 3]))).toThrow(/^cross_entropy: target row 0 is not one-hot: it sums to 1 and holds 0.5 at column 0$/);
  });

  test('logits of the wrong rank', () => {
    expect(() => new CrossEntropy().forward(Tensor.zeros([4]), Tensor.zeros([4]))).toThrow(/^cross_entropy: expected 2-D logits \(batch×classes\), got \(4\)$/);
  });

  test('empty batch', () => {
    expect(() => new CrossEntropy().forward(Tensor.zeros([0, 4]), Tensor.zeros([0, 4]))).toThrow(/^cross_entropy: empty batch: logits \(0×4\) has no elements$/);
    expect(() => new MSE().forward(Tensor.zeros([0, 2]), Tensor.zeros([0, 2]))).toThrow(/^mse: empty batch: prediction \(0×2\) has no elements$/);
    expect(() => new MSES().forward(Tensor.zeros([0, 2]), Tensor.zeros([0, 2]))).toThrow(/^mse_softmax: empty batch: logits \(0×2\) has no elements$/);
  });

  test('NaN or Infinity in prediction or target, located', () => {
    const bad = Tensor.fromArray([0, 1, Infinity, 0], [2, 2]);
    expect(() => new MSE().forward(bad, Tensor.zeros([2, 2]))).toThrow(/^mse: prediction contains Infinity at \[1,0\]$/);
    expect(() => new MSE().forward(Tensor.zeros([2, 2]), Tensor.fromArray([0, NaN, 0, 0], [2, 2]))).toThrow(/^mse: target contains NaN at \[0,1\]$/);
    expect(() => new CrossEntropy().forward(bad, oneHot([0, 1], 2))).toThrow(/^cross_entropy: logits contains Infinity at \[1,0\]$/);
    expect(() => new MSES().forward(bad, oneHot([0, 1], 2))).toThrow(/^mse_softmax: logits contains Infinity at \[1,0\]$/);
  });

  test('backward before forward; a non-finite seed; an unknown reduction', () => {
    expect(() => new MSE().backward()).toThrow(/^mse: backward called before forward$/);
    expect(() => new MSES().backward()).toThrow(/^mse_softmax: backward called before forward$/);
    expect(() => new CrossEntropy().backward()).toThrow(/^cross_entropy: backward called before forward$/);
    const loss = new MSE();
    loss.forward(Tensor.zeros([1, 2]), Tensor.zeros([1, 2]));
    expect(() => loss.backward(NaN)).toThrow(/^mse: gradOutput must be a finite number, got NaN$/);
    expect(() => new CrossEntropy({ reduction: 'avg' as 'mean' })).toThrow(/^cross_entropy: reduction must be 'mean' or 'sum', got 'avg'$/);
  });
});

import { Tensor, accuracy, normalize, oneHot } from '../../src';

describe('oneHot', () => {
  test('a 1 per row at the label', () => {
    const t = oneHot([2, 0], 3);
    expect(t.shape).toEqual([2, 3]);
    expect(Array.from(t.data)).toEqual([0, 0, 1, 1, 0, 0]);
    expect(oneHot(new Uint8Array([1]), 2, 'float32').dtype).toBe('float32');
  });

  test('bad input: out of range, not an integer, bad class count', () => {
    expect(() => oneHot([0, 3], 3)).toThrow(/^oneHot: label 3 at index 1 is out of range \[0, 3\)$/);
    expect(() => oneHot([-1], 3)).toThrow(/^oneHot: label -1 at index 0 is out of range \[0, 3\)$/);
    expect(() => oneHot([0, 1, 1.5], 3)).toThrow(/^oneHot: label 1.5 at index 2 is not an integer$/);
    expect(() => oneHot([0], 0)).toThrow(/^oneHot: classes must be a positive integer, got 0$/);
  });
});

describe('normalize', () => {
  test('global mean and population std, or the ones given', () => {
    const { x, mean, std } = normalize(Tensor.fromArray([1, 3, 5, 7], [2, 2]));
    expect(mean).toBe(4);
    expect(std).toBeCloseTo(Math.sqrt(5), 15);
    expect(Array.from(x.data).reduce((a, b) => a + b)).toBeCloseTo(0, 14);
    expect(Array.from(normalize(Tensor.fromArray([4, 6], [2]), 4, 2).x.data)).toEqual([0, 1]);
  });

  test('into a given array of the same length and dtype, or a one-sentence error', () => {
    const out = new Float32Array(2);
    const { x } = normalize(Tensor.fromArray([4, 6], [2], 'float32'), 4, 2, out);
    expect(x.data).toBe(out);
    expect(Array.from(out)).toEqual([0, 1]);
    expect(() => normalize(Tensor.fromArray([4, 6], [2]), 4, 2, new Float32Array(2))).toThrow(/^normalize: out must be an array of 2 float64 values, like x$/);
    expect(() => normalize(Tensor.fromArray([4, 6], [2]), 4, 2, new Float64Array(3))).toThrow(/^normalize: out must be an array of 2 float64 values, like x$/);
  });

  test('bad input: std = 0, empty, non-finite', () => {
    expect(() => normalize(Tensor.fromArray([5, 5, 5], [3]))).toThrow(/^normalize: standard deviation is 0 \(all 3 values of \(3\) equal 5\); cannot divide by it$/);
    expect(() => normalize(Tensor.fromArray([1, 2], [2]), 0, 0)).toThrow(/^normalize: standard deviation is 0; cannot divide by it$/);
    expect(() => normalize(Tensor.zeros([0, 3]))).toThrow(/^normalize: empty batch: input \(0×3\) has no elements$/);
    expect(() => normalize(Tensor.fromArray([1, NaN], [2]))).toThrow(/^normalize: input contains NaN at \[1\]$/);
  });
});

describe('accuracy', () => {
  const logits = Tensor.fromArray([0.1, 0.9, 0.8, 0.2, 0.3, 0.7], [3, 2]);
  test('argmax match against labels or one-hot rows', () => {
    expect(accuracy(logits, [1, 0, 0])).toBeCloseTo(2 / 3, 15);
    expect(accuracy(logits, oneHot([1, 0, 1], 2))).toBe(1);
  });

  test('bad input: mismatched targets, empty batch, NaN, rank', () => {
    expect(() => accuracy(logits, [1, 0])).toThrow(/^accuracy: 2 labels do not match logits \(3×2\)$/);
    expect(() => accuracy(logits, oneHot([1, 0, 1], 3))).toThrow(/^accuracy: target \(3×3\) does not match logits \(3×2\)$/);
    expect(() => accuracy(Tensor.zeros([0, 2]), [])).toThrow(/^accuracy: empty batch: logits \(0×2\) has no elements$/);
    expect(() => accuracy(Tensor.fromArray([NaN, 0], [1, 2]), [0])).toThrow(/^accuracy: logits contains NaN at \[0,0\]$/);
    expect(() => accuracy(Tensor.zeros([2]), [0, 1])).toThrow(/^accuracy: expected 2-D logits \(batch×classes\), got \(2\)$/);
  });
});

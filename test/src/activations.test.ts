import { ReLU, Rng, Softmax, Tensor, logSoftmax, softmax } from '../../src';
import { dot, expectClose, numericGradient, randomTensor } from './helpers/numeric';

const rng = new Rng(3);

describe('ReLU', () => {
  test('max(x, 0) on any shape; NaN is not hidden', () => {
    const y = new ReLU().forward(Tensor.fromArray([-2, -0.5, 0.25, 1, -0, NaN], [2, 3]));
    expect(Array.from(y.data)).toEqual([0, 0, 0.25, 1, 0, NaN]);
    expect(new ReLU().forward(Tensor.zeros([3, 5, 7])).shape).toEqual([3, 5, 7]);
  });

  test("backward passes dy where x > 0 and 0 elsewhere: ReLU'(0) = 0", () => {
    const layer = new ReLU();
    layer.forward(Tensor.fromArray([0, -1, 0, 2, -0], [1, 5]));
    expect(Array.from(layer.backward(Tensor.fromArray([1, 2, 3, 4, 5], [1, 5])).data)).toEqual([0, 0, 0, 4, 0]);
  });

  test('bad input: backward before forward, gradOutput shape', () => {
    expect(() => new ReLU().backward(Tensor.zeros([2]))).toThrow(/^relu: backward called before forward$/);
    const layer = new ReLU();
    layer.forward(Tensor.zeros([2, 3]));
    expect(() => layer.backward(Tensor.zeros([3, 2]))).toThrow(/^relu: gradOutput \(3×2\) does not match input \(2×3\)$/);
  });
});

describe('Softmax', () => {
  test('rows over the last axis sum to 1; ±1e3 logits stay finite', () => {
    const y = softmax(Tensor.fromArray([1000, -1000, 0, 1, 2, 3], [2, 3]));
    expect(y.data[0]).toBe(1);
    expect(y.data[1]).toBe(0);
    expect(y.data[3]! + y.data[4]! + y.data[5]!).toBeCloseTo(1, 15);
    const z = softmax(randomTensor(rng, [3, 5, 7]));
    for (let row = 0; row < 15; row++) expect(Array.from(z.data.subarray(row * 7, row * 7 + 7)).reduce((a, b) => a + b)).toBeCloseTo(1, 14);
  });

  test('logSoftmax is stable for large logits', () => {
    expect(Array.from(logSoftmax(Tensor.fromArray([1000, 0], [1, 2])).data)).toEqual([0, -1000]);
  });

  test('backward y ⊙ (dy − Σ dy ⊙ y) matches central differences', () => {
    const x = randomTensor(rng, [3, 4]), g = randomTensor(rng, [3, 4]);
    const layer = new Softmax();
    layer.forward(x);
    expectClose(layer.backward(g), numericGradient((t) => dot(g, softmax(t)), x), 1e-8);
  });

  test('bad input: scalar, backward before forward, gradOutput shape', () => {
    expect(() => softmax(Tensor.zeros([]))).toThrow(/^softmax: expected a tensor with at least 1 axis, got \(\)$/);
    expect(() => new Softmax().backward(Tensor.zeros([2]))).toThrow(/^softmax: backward called before forward$/);
    const layer = new Softmax();
    layer.forward(Tensor.zeros([2, 3]));
    expect(() => layer.backward(Tensor.zeros([2, 4]))).toThrow(/^softmax: gradOutput \(2×4\) does not match output \(2×3\)$/);
  });
});

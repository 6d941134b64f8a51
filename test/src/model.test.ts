import { CrossEntropy, Linear, Model, ReLU, Rng, SGD, Tensor, accuracy, oneHot, sgdStep } from '../../src';
import { randomTensor } from './helpers/numeric';

describe('sgdStep', () => {
  test('returns p − lr·grad as a new tensor', () => {
    const p = Tensor.fromArray([1, 2], [2]), g = Tensor.fromArray([10, -10], [2]);
    const next = sgdStep(p, g, 0.1);
    expect(Array.from(next.data)).toEqual([0, 3]);
    expect(Array.from(p.data)).toEqual([1, 2]);
  });

  test('bad input: shapes, dtypes, learning rate', () => {
    expect(() => sgdStep(Tensor.zeros([3, 2]), Tensor.zeros([2, 3]), 0.1)).toThrow(/^sgd: grad \(2×3\) does not match param \(3×2\)$/);
    expect(() => sgdStep(Tensor.zeros([2]), Tensor.zeros([2], 'float32'), 0.1)).toThrow(/^sgd: dtype mismatch: grad is float32 \(2\) but param is float64 \(2\)$/);
    expect(() => sgdStep(Tensor.zeros([2]), Tensor.zeros([2]), NaN)).toThrow(/^sgd: learning rate must be a finite number, got NaN$/);
  });
});

describe('SGD', () => {
  test('step replaces values; zeroGrad makes the next step a no-op; step before backward throws', () => {
    const layer = Linear.fromWeights(Tensor.fromArray([1, 2], [1, 2]), Tensor.fromArray([0, 0], [2]));
    const optimizer = new SGD(layer.parameters(), 0.5);
    expect(() => optimizer.step()).toThrow(/^sgd: parameter 'W' has no gradient; call backward before step$/);
    const before = layer.weight.value;
    layer.forward(Tensor.fromArray([2], [1, 1]));
    layer.backward(Tensor.fromArray([1, 1], [1, 2]));
    optimizer.step();
    expect(Array.from(layer.weight.value.data)).toEqual([0, 1]);
    expect(Array.from(layer.bias!.value.data)).toEqual([-0.5, -0.5]);
    expect(Array.from(before.data)).toEqual([1, 2]);
    optimizer.zeroGrad();
    optimizer.step();
    expect(Array.from(layer.weight.value.data)).toEqual([0, 1]);
  });
});

describe('Model', () => {
  test('forward in order, backward in reverse, parameters of all layers', () => {
    const calls: string[] = [];
    const tag = (name: string) => ({
      forward: (x: Tensor) => (calls.push(`f${name}`), x),
      backward: (g: Tensor) => (calls.push(`b${name}`), g),
      parameters: () => [],
    });
    const model = new Model([tag('1'), tag('2')]);
    model.backward(model.forward(Tensor.zeros([1])));
    expect(calls).toEqual(['f1', 'f2', 'b2', 'b1']);
    expect(new Model([new Linear(2, 3), new ReLU(), new Linear(3, 1)]).parameters().map((p) => p.name)).toEqual(['W', 'b', 'W', 'b']);
  });

  test('trains a small MLP to 100% on a separable problem', () => {
    const rng = new Rng(9);
    const x = randomTensor(rng, [40, 4]);
    const labels = Array.from({ length: 40 }, (_, i) => (x.data[i * 4]! + x.data[i * 4 + 1]! > 0 ? 1 : 0));
    const target = oneHot(labels, 2);
    const model = new Model([new Linear(4, 16, { seed: 1 }), new ReLU(), new Linear(16, 2, { seed: 2 })]);
    const loss = new CrossEntropy();
    const first = loss.forward(model.forward(x), target);
    for (let epoch = 0; epoch < 300; epoch++) {
      loss.forward(model.forward(x), target);
      model.backward(loss.backward());
      model.update(0.5);
    }
    expect(loss.forward(model.forward(x), target)).toBeLessThan(first / 10);
    expect(accuracy(model.forward(x), labels)).toBe(1);
  });

  test('update before backward throws', () => {
    expect(() => new Model([new Linear(2, 2)]).update(0.1)).toThrow(/^sgd: parameter 'W' has no gradient/);
  });
});

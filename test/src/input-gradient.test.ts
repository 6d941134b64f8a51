// Skipping dL/dinput when the input is data: Linear.backwardParameters, matmulGradA/B and
// Model.backward(g, { inputGradient: false }) give the same parameter gradients as a full backward.
import { type Layer, Linear, Model, type Parameter, ReLU, Rng, Tensor, matmulBackward, matmulGradA, matmulGradB } from '../../src';
import { randomTensor } from './helpers/numeric';

const rng = new Rng(11);

/** A copy of every parameter gradient, in parameters() order. */
const grads = (model: Layer): number[][] => model.parameters().map((p) => Array.from(p.grad!.data));

/** A parameter-free layer that records its backward calls and passes gradients through. */
function spy(calls: string[], name: string): Layer {
  return { forward: (x) => x, backward: (g) => (calls.push(name), g), parameters: () => [] };
}

describe('skipping the input gradient', () => {
  test('matmulGradA and matmulGradB are the two halves of matmulBackward, bit for bit', () => {
    const a = randomTensor(rng, [5, 7]), b = randomTensor(rng, [7, 3]), g = randomTensor(rng, [5, 3]);
    const { gradA, gradB } = matmulBackward(a, b, g);
    expect(matmulGradA(a, b, g).data).toEqual(gradA.data);
    expect(matmulGradB(a, b, g).data).toEqual(gradB.data);
  });

  test('Linear.backwardParameters sets the same W.grad and b.grad as backward', () => {
    for (const dtype of ['float64', 'float32'] as const) {
      const x = randomTensor(rng, [6, 9], dtype), g = randomTensor(rng, [6, 4], dtype);
      const full = new Linear(9, 4, { seed: 3, dtype }), skip = new Linear(9, 4, { seed: 3, dtype });
      full.forward(x);
      full.backward(g);
      skip.forward(x);
      expect(skip.backwardParameters(g)).toBeUndefined();
      expect(grads(skip)).toEqual(grads(full));
      expect(skip.weight.grad!.dtype).toBe(dtype);
    }
  });

  test('Linear.backwardParameters checks like backward', () => {
    expect(() => new Linear(3, 5).backwardParameters(Tensor.zeros([2, 5]))).toThrow(/^linear: backward called before forward$/);
    const layer = new Linear(3, 5);
    layer.forward(Tensor.zeros([2, 3]));
    expect(() => layer.backwardParameters(Tensor.zeros([2, 4]))).toThrow(/^linear: gradOutput \(2×4\) does not match output \(2×5\)$/);
  });

  test('Model.backward with inputGradient: false returns null and the same parameter gradients', () => {
    const x = randomTensor(rng, [8, 5]), g = randomTensor(rng, [8, 3]);
    const build = () => new Model([new Linear(5, 6, { seed: 1 }), new ReLU(), new Linear(6, 3, { seed: 2 })]);
    const full = build(), skip = build();
    full.forward(x);
    const dx = full.backward(g);
    skip.forward(x);
    expect(skip.backward(g, { inputGradient: false })).toBeNull();
    expect(grads(skip)).toEqual(grads(full));
    skip.forward(x);
    expect(skip.backward(g, { inputGradient: true })!.data).toEqual(dx.data); // true is the default
  });

  test('skips the layers before the first one with parameters, and that layer’s dx', () => {
    const calls: string[] = [];
    const first = new Linear(4, 4, { seed: 1 });
    const dx = jest.spyOn(first, 'backward');
    const model = new Model([spy(calls, 'before'), first, spy(calls, 'after'), new Linear(4, 2, { seed: 2 })]);
    model.forward(randomTensor(rng, [3, 4]));
    model.backward(randomTensor(rng, [3, 2]), { inputGradient: false });
    expect(calls).toEqual(['after']);
    expect(dx).not.toHaveBeenCalled();
    expect(first.weight.grad).not.toBeNull();
  });

  test('a first layer without backwardParameters gets backward; a nested model skips too', () => {
    const W: Parameter = { name: 'W', value: Tensor.zeros([1]), grad: null };
    const plain: Layer = { forward: (x) => x, backward: (g) => ((W.grad = Tensor.zeros([1])), g), parameters: () => [W] };
    new Model([plain]).backward(Tensor.zeros([1]), { inputGradient: false });
    expect(W.grad).not.toBeNull();
    const inner = new Linear(2, 2, { seed: 1 });
    const dx = jest.spyOn(inner, 'backward');
    const nested = new Model([new Model([inner, new ReLU()]), new Linear(2, 1, { seed: 2 })]);
    nested.forward(randomTensor(rng, [3, 2]));
    expect(nested.backward(randomTensor(rng, [3, 1]), { inputGradient: false })).toBeNull();
    expect(dx).not.toHaveBeenCalled();
    expect(inner.weight.grad).not.toBeNull();
  });

  test('a model without parameters computes nothing', () => {
    const calls: string[] = [];
    expect(new Model([spy(calls, 'a'), spy(calls, 'b')]).backward(Tensor.zeros([1]), { inputGradient: false })).toBeNull();
    expect(calls).toEqual([]);
  });
});

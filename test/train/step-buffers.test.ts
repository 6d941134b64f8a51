// During train()'s steps a Model's ReLU layers write into the same two arrays every step
// (train/step-buffers.ts): the same values as ops/relu.ts, and never outside the steps.
import { Linear } from '../../src/layers/linear';
import { ReLU } from '../../src/layers/relu';
import { Model } from '../../src/model';
import { relu, reluBackward } from '../../src/ops/relu';
import { Rng } from '../../src/random';
import { Tensor } from '../../src/tensor';
import { buildMlp, createLoss } from '../../src/train/setup';
import { train } from '../../src/train/train';

const bits = (t: Tensor) => Array.from(t.data, (v) => (Object.is(v, -0) ? '-0' : String(v)));

describe.each(['float64', 'float32'] as const)('ReLU with reuseBuffers, %s', (dtype) => {
  const special = [-0, 0, NaN, Infinity, -Infinity, 1e-300, -1e-300, 2.5, -2.5, 3];
  const x = Tensor.fromArray(special, [2, 5], dtype);
  const dy = Tensor.fromArray([1, 2, 3, 4, 5, 6, 7, 8, -0, NaN], [2, 5], dtype);

  test('the same bits as relu and reluBackward (−0, NaN, ±∞, tiny values), in the same arrays every call', () => {
    const layer = new ReLU();
    layer.reuseBuffers = true;
    const y1 = layer.forward(x), dx1 = layer.backward(dy);
    expect(bits(y1)).toEqual(bits(relu(x)));
    expect(bits(dx1)).toEqual(bits(reluBackward(x, dy)));
    expect(y1.dtype).toBe(dtype);
    const y2 = layer.forward(x), dx2 = layer.backward(dy);
    expect(y2).toBe(y1);
    expect(dx2).toBe(dx1);
    const partial = layer.forward(Tensor.fromArray([1, -1], [1, 2], dtype)); // a smaller batch: a new array of its shape
    expect(partial.shape).toEqual([1, 2]);
    expect(Array.from(partial.data)).toEqual([1, 0]);
  });

  test('backward still checks gradOutput against the input', () => {
    const layer = new ReLU();
    layer.reuseBuffers = true;
    layer.forward(x);
    expect(() => layer.backward(Tensor.zeros([5, 2], dtype))).toThrow(/relu: gradOutput/);
  });
});

describe('train() and the ReLU buffers', () => {
  function data() {
    const rng = new Rng(3);
    const x = Tensor.zeros([40, 6]), y = Tensor.zeros([40, 3]);
    for (let i = 0; i < x.size; i++) x.data[i] = rng.normal();
    for (let i = 0; i < 40; i++) y.data[i * 3 + (i % 3)] = 1;
    return { x, y };
  }

  test('reuses them during the steps only: callbacks and the model after train() get new tensors', () => {
    const model = buildMlp([6, 5, 3], { seed: 1 });
    const reluLayer = (model as Model).layers.find((l) => l instanceof ReLU) as ReLU;
    const forward = reluLayer.forward.bind(reluLayer);
    const outputs: Tensor[] = [];
    reluLayer.forward = (t) => {
      const y = forward(t);
      outputs.push(y);
      return y;
    };
    const duringCallbacks: boolean[] = [];
    train(model, createLoss('cross_entropy'), { train: data(), test: data() }, {
      epochs: 2, lr: 0.1, batchSize: 16, evalBatchSize: 40,
      onBatch: () => duringCallbacks.push(reluLayer.reuseBuffers),
    });
    // batches of 16, 16, 8 per epoch: an epoch's second batch writes into its first's array (the last one, smaller, gets its own)
    const steps = outputs.filter((y) => y.shape[0] === 16);
    expect(steps.length).toBe(4);
    expect(steps[1]).toBe(steps[0]);
    expect(steps[3]).toBe(steps[2]);
    expect(duringCallbacks).toEqual(Array(6).fill(false));
    expect(reluLayer.reuseBuffers).toBe(false);
    const evaluations = outputs.filter((y) => y.shape[0] === 40); // evaluate() after each epoch: new tensors
    expect(evaluations.length).toBe(2);
    expect(evaluations[0]).not.toBe(evaluations[1]);
  });

  test('leaves a layer the caller set to reuse as it was', () => {
    const reluLayer = new ReLU();
    reluLayer.reuseBuffers = true;
    const model = new Model([new Linear(6, 5, { seed: 1 }), reluLayer, new Linear(5, 3, { seed: 2 })]);
    train(model, createLoss('cross_entropy'), { train: data() }, { epochs: 1, lr: 0.1, batchSize: 16 });
    expect(reluLayer.reuseBuffers).toBe(true);
  });
});

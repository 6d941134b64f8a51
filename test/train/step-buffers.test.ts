// During train()'s steps a Model's Linear and ReLU layers write into the same two arrays every step
// (train/step-buffers.ts), in the kernel's memory: the same values as new tensors, and never outside the steps.
import { isKernelArray } from '../../src/kernels/arena';
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

describe.each(['float64', 'float32'] as const)('Linear with reuseBuffers, %s', (dtype) => {
  const rng = new Rng(8);
  const random = (shape: number[]) => Tensor.fromArray(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()), shape, dtype);
  const W = random([6, 5]), b = random([5]);

  test('the same bits as a fresh layer, forward and backward, in the same kernel-memory arrays every call', () => {
    const fresh = Linear.fromWeights(W, b), reusing = Linear.fromWeights(W, b);
    reusing.reuseBuffers = true;
    const x = random([4, 6]), dy = random([4, 5]);
    const y1 = reusing.forward(x), dx1 = reusing.backward(dy);
    expect(bits(y1)).toEqual(bits(fresh.forward(x)));
    expect(bits(dx1)).toEqual(bits(fresh.backward(dy)));
    expect(bits(reusing.weight.grad!)).toEqual(bits(fresh.weight.grad!));
    expect(bits(reusing.bias!.grad!)).toEqual(bits(fresh.bias!.grad!));
    expect([y1.dtype, dx1.dtype]).toEqual([dtype, dtype]);
    expect(isKernelArray(y1.data) && isKernelArray(dx1.data)).toBe(true); // matmul writes them in place, ReLU reads them in WebAssembly
    const x2 = random([4, 6]), dy2 = random([4, 5]);
    const y2 = reusing.forward(x2), dx2 = reusing.backward(dy2);
    expect(y2).toBe(y1);
    expect(dx2).toBe(dx1);
    expect(bits(y2)).toEqual(bits(fresh.forward(x2)));
    expect(bits(dx2)).toEqual(bits(fresh.backward(dy2)));
    const partial = reusing.forward(random([1, 6])); // a smaller batch: a new array of its shape
    expect(partial.shape).toEqual([1, 5]);
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
    const outputs: Tensor[] = [], inputs: Tensor[] = [];
    reluLayer.forward = (t) => {
      const y = forward(t);
      outputs.push(y);
      inputs.push(t); // the first Linear's output
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
    const linearSteps = inputs.filter((h) => h.shape[0] === 16);
    expect(linearSteps[1]).toBe(linearSteps[0]);
    expect(linearSteps[3]).toBe(linearSteps[2]);
    expect(duringCallbacks).toEqual(Array(6).fill(false));
    expect(reluLayer.reuseBuffers).toBe(false);
    expect((model as Model).layers.filter((l) => l instanceof Linear).map((l) => (l as Linear).reuseBuffers)).toEqual([false, false]);
    const evaluations = outputs.filter((y) => y.shape[0] === 40); // evaluate() after each epoch: new tensors
    expect(evaluations.length).toBe(2);
    expect(evaluations[0]).not.toBe(evaluations[1]);
    const linearEvaluations = inputs.filter((h) => h.shape[0] === 40);
    expect(linearEvaluations[0]).not.toBe(linearEvaluations[1]);
  });

  test('leaves a layer the caller set to reuse as it was', () => {
    const reluLayer = new ReLU();
    reluLayer.reuseBuffers = true;
    const model = new Model([new Linear(6, 5, { seed: 1 }), reluLayer, new Linear(5, 3, { seed: 2 })]);
    train(model, createLoss('cross_entropy'), { train: data() }, { epochs: 1, lr: 0.1, batchSize: 16 });
    expect(reluLayer.reuseBuffers).toBe(true);
  });
});

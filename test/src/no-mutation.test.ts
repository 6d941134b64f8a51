// No op writes into its inputs: every forward and backward leaves x, gradOutput, targets and the
// caller's weights as they were (the seed tutorial's ReLU backward wrote into gradOutput).
import {
  AvgPool2d,
  BatchNorm,
  Conv2d,
  CrossEntropy,
  Flatten,
  LayerNorm,
  Linear,
  type Layer,
  MSE,
  MSES,
  MaxPool2d,
  Model,
  ReLU,
  Rng,
  Softmax,
  Tensor,
  matmul,
  matmulBackward,
  oneHot,
  sgdStep,
} from '../../src';
import { randomTensor } from './helpers/numeric';

const rng = new Rng(5);

/** Runs `f` and checks every tensor in `inputs` still holds its old values. */
function expectUnchanged(inputs: Tensor[], f: () => void): void {
  const before = inputs.map((t) => Array.from(t.data));
  f();
  inputs.forEach((t, i) => expect(Array.from(t.data)).toEqual(before[i]));
}

const layers: [string, () => Layer, number[], number[]][] = [
  ['Linear', () => new Linear(4, 3, { seed: 1 }), [5, 4], [5, 3]],
  ['ReLU', () => new ReLU(), [5, 4], [5, 4]],
  ['Softmax', () => new Softmax(), [5, 4], [5, 4]],
  ['Model', () => new Model([new Linear(4, 6, { seed: 2 }), new ReLU(), new Linear(6, 3, { seed: 3 }), new Softmax()]), [5, 4], [5, 3]],
  ['Conv2d', () => new Conv2d(2, 3, 3, { padding: 1, seed: 4 }), [2, 2, 4, 4], [2, 3, 4, 4]],
  ['MaxPool2d', () => new MaxPool2d({ kernelSize: 2 }), [2, 2, 4, 4], [2, 2, 2, 2]],
  ['AvgPool2d', () => new AvgPool2d({ kernelSize: 3, stride: 1, padding: 1, countIncludePad: false }), [2, 2, 4, 4], [2, 2, 4, 4]],
  ['Flatten', () => new Flatten(1), [2, 2, 4, 4], [2, 32]],
  ['BatchNorm', () => new BatchNorm(2), [3, 2, 2, 2], [3, 2, 2, 2]],
  ['LayerNorm', () => new LayerNorm([4]), [5, 4], [5, 4]],
];

describe('no layer mutates its input or gradOutput', () => {
  for (const [name, make, inShape, outShape] of layers) {
    test(name, () => {
      const layer = make();
      const x = randomTensor(rng, inShape), g = randomTensor(rng, outShape);
      x.data[0] = 0; // ReLU's kink and a negative value, where an in-place backward would write
      x.data[1] = -1;
      expectUnchanged([x, g], () => {
        const y = layer.forward(x);
        expect(y).not.toBe(x);
        const dx = layer.backward(g);
        expect(dx).not.toBe(g);
      });
    });
  }

  test('Linear.fromWeights and SGD leave the caller’s W and b alone', () => {
    const W = randomTensor(rng, [4, 3]), b = randomTensor(rng, [3]);
    expectUnchanged([W, b], () => {
      const layer = Linear.fromWeights(W, b);
      layer.forward(randomTensor(rng, [2, 4]));
      layer.backward(randomTensor(rng, [2, 3]));
      new Model([layer]).update(0.1);
    });
  });
});

describe('no op or loss mutates its inputs', () => {
  test('matmul, matmulBackward, sgdStep', () => {
    const a = randomTensor(rng, [3, 4]), b = randomTensor(rng, [4, 2]), g = randomTensor(rng, [3, 2]);
    expectUnchanged([a, b, g], () => {
      matmul(a, b);
      matmulBackward(a, b, g);
      sgdStep(b, b, 0.5);
    });
  });

  for (const [name, make] of [['MSE', () => new MSE()], ['MSES', () => new MSES()], ['CrossEntropy', () => new CrossEntropy()]] as const) {
    test(name, () => {
      const z = randomTensor(rng, [3, 4]), t = oneHot([1, 3, 0], 4);
      expectUnchanged([z, t], () => {
        const loss = make();
        loss.forward(z, t);
        loss.backward(2);
      });
    });
  }
});

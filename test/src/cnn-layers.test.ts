// The CNN layers of src/ beyond what the fixtures check: conv2d's im2col against the direct loops of
// spec/ops/conv2d.md#f1, the errors bad input gets, the layers' state (running statistics, training
// mode, no bias), what a first layer may skip, and a LeNet built from them.
import {
  AvgPool2d,
  BatchNorm,
  Conv2d,
  Flatten,
  LayerNorm,
  MaxPool2d,
  Model,
  Reshape,
  Rng,
  Tensor,
  buildLenet,
  conv2d,
  conv2dBackward,
  setTraining,
} from '../../src';
import { dot, expectClose, numericGradient, randomTensor } from './helpers/numeric';

const rng = new Rng(11);

/** conv2d f1 as written: y[n,o,i,j] = b[o] + Σ W[o,c',kh,kw]·xp[n, g·C/G + c', i·sH + kh·dH, j·sW + kw·dW]. */
function directConv(x: Tensor, W: Tensor, b: Tensor, s: [number, number], pads: [number, number, number, number], d: [number, number], groups: number): Tensor {
  const [N, C, H, Wd] = x.shape as [number, number, number, number];
  const [O, Cg, kH, kW] = W.shape as [number, number, number, number];
  const OH = Math.floor((H + pads[0] + pads[2] - d[0] * (kH - 1) - 1) / s[0]) + 1;
  const OW = Math.floor((Wd + pads[1] + pads[3] - d[1] * (kW - 1) - 1) / s[1]) + 1;
  const y = Tensor.zeros([N, O, OH, OW]);
  for (let n = 0; n < N; n++) for (let o = 0; o < O; o++) for (let i = 0; i < OH; i++) for (let j = 0; j < OW; j++) {
    const g = Math.floor(o / (O / groups));
    let sum = b.data[o]!;
    for (let c = 0; c < Cg; c++) for (let kh = 0; kh < kH; kh++) for (let kw = 0; kw < kW; kw++) {
      const h = i * s[0] + kh * d[0] - pads[0], w = j * s[1] + kw * d[1] - pads[1];
      if (h >= 0 && h < H && w >= 0 && w < Wd) sum += W.data[((o * Cg + c) * kH + kh) * kW + kw]! * x.data[((n * C + g * Cg + c) * H + h) * Wd + w]!;
    }
    y.data[((n * O + o) * OH + i) * OW + j] = sum;
  }
  return y;
}

describe('conv2d', () => {
  const configs: [string, number[], number[], [number, number], [number, number, number, number], [number, number], number][] = [
    ['plain', [2, 3, 6, 5], [4, 3, 3, 3], [1, 1], [0, 0, 0, 0], [1, 1], 1],
    ['stride, asymmetric padding, dilation', [2, 2, 9, 8], [3, 2, 3, 2], [2, 1], [1, 0, 2, 1], [2, 1], 1],
    ['groups', [1, 4, 5, 5], [6, 2, 3, 3], [1, 2], [1, 1, 1, 1], [1, 1], 2],
    ['depthwise', [2, 3, 5, 4], [3, 1, 2, 2], [1, 1], [0, 1, 0, 1], [1, 1], 3],
  ];

  test.each(configs)('im2col matches the direct loops of f1: %s', (_, xShape, wShape, stride, pads, dilation, groups) => {
    const x = randomTensor(rng, xShape), W = randomTensor(rng, wShape), b = randomTensor(rng, [wShape[0]!]);
    const y = conv2d(x, W, b, { stride, padding: pads, dilation, groups });
    expectClose(y, directConv(x, W, b, stride, pads, dilation, groups), 1e-12, 1e-12);
  });

  test.each(configs)('backward matches finite differences of the direct loops: %s', (_, xShape, wShape, stride, pads, dilation, groups) => {
    const x = randomTensor(rng, xShape), W = randomTensor(rng, wShape), b = randomTensor(rng, [wShape[0]!]);
    const options = { stride, padding: pads, dilation, groups };
    const dy = randomTensor(rng, [...conv2d(x, W, b, options).shape]);
    const { gradX, gradW, gradB } = conv2dBackward(x, W, true, dy, options);
    expectClose(gradX, numericGradient((t) => dot(dy, directConv(t, W, b, stride, pads, dilation, groups)), x));
    expectClose(gradW, numericGradient((t) => dot(dy, directConv(x, t, b, stride, pads, dilation, groups)), W));
    expectClose(gradB!, numericGradient((t) => dot(dy, directConv(x, W, t, stride, pads, dilation, groups)), b));
  });

  test('bad input names the op and the shapes', () => {
    const x = Tensor.zeros([2, 3, 5, 5]);
    expect(() => conv2d(x, Tensor.zeros([4, 2, 3, 3]), null)).toThrow('conv2d: input (2×3×5×5) has 3 channels, but weight (4×2×3×3) with groups 1 expects 2');
    expect(() => conv2d(x, Tensor.zeros([4, 3, 7, 3]), null)).toThrow(/^conv2d: a 7×3 kernel \(dilation 1,1\) does not fit input \(2×3×5×5\) padded by \[0, 0, 0, 0\]$/);
    expect(() => conv2d(x, Tensor.zeros([4, 3, 3, 3]), Tensor.zeros([3]))).toThrow('conv2d: bias (3) does not match the filters (O) (4)');
    expect(() => conv2d(Tensor.zeros([2, 75]), Tensor.zeros([4, 3, 3, 3]), null)).toThrow('conv2d: expected a 4-D input (N×C×H×W), got (2×75)');
    expect(() => conv2d(x, Tensor.zeros([4, 3, 3, 3]), null, { stride: [0, 1] })).toThrow('conv2d: stride must be a positive integer or two, got [0,1]');
    expect(() => conv2d(x, Tensor.zeros([5, 1, 3, 3]), null, { groups: 3 })).toThrow('conv2d: weight (5×1×3×3) has 5 filters, not a multiple of groups 3');
  });

  test('a layer without bias has W only; backwardParameters sets the gradients backward sets', () => {
    const layer = new Conv2d(2, 3, 3, { bias: false, padding: 1, seed: 4 });
    expect(layer.parameters().map((p) => p.name)).toEqual(['W']);
    const withBias = new Conv2d(2, 3, [3, 2], { seed: 5 });
    const x = randomTensor(rng, [2, 2, 5, 5]);
    const dy = randomTensor(rng, [...withBias.forward(x).shape]);
    withBias.backward(dy);
    const [gW, gb] = withBias.parameters().map((p) => p.grad!);
    withBias.forward(x);
    withBias.backwardParameters(dy);
    expect(Array.from(withBias.weight.grad!.data)).toEqual(Array.from(gW!.data));
    expect(Array.from(withBias.bias!.grad!.data)).toEqual(Array.from(gb!.data));
  });
});

describe('pooling', () => {
  test('max_pool2d: the first of tied maxima takes dy; padding is −∞', () => {
    const pool = new MaxPool2d({ kernelSize: 2 });
    const y = pool.forward(Tensor.fromArray([3, 3, 1, 3], [1, 1, 2, 2]));
    expect(Array.from(y.data)).toEqual([3]);
    expect(Array.from(pool.backward(Tensor.fromArray([5], [1, 1, 1, 1])).data)).toEqual([5, 0, 0, 0]);
    const padded = new MaxPool2d({ kernelSize: 3, stride: 2, padding: 1 }).forward(Tensor.fromArray([-1, -2, -3, -4], [1, 1, 2, 2]));
    expect(Array.from(padded.data)).toEqual([-1]);
  });

  test('avg_pool2d: count_include_pad picks the divisor', () => {
    const ones = Tensor.fromArray([1, 1, 1, 1, 1, 1, 1, 1, 1], [1, 1, 3, 3]);
    const options = { kernelSize: 3, stride: 2, padding: 1 };
    expect(Array.from(new AvgPool2d(options).forward(ones).data)).toEqual([4 / 9, 4 / 9, 4 / 9, 4 / 9]);
    expect(Array.from(new AvgPool2d({ ...options, countIncludePad: false }).forward(ones).data)).toEqual([1, 1, 1, 1]);
  });

  test('bad input: padding over half the kernel, a kernel larger than the input, a gradOutput of the wrong shape', () => {
    const x = Tensor.zeros([1, 1, 4, 4]);
    expect(() => new MaxPool2d({ kernelSize: 2, padding: 2 }).forward(x)).toThrow('max_pool2d: padding 2 exceeds half the 2×2 kernel (at most 1)');
    expect(() => new AvgPool2d({ kernelSize: 5 }).forward(x)).toThrow(/^avg_pool2d: a 5×5 kernel/);
    const pool = new MaxPool2d({ kernelSize: 2 });
    pool.forward(x);
    expect(() => pool.backward(Tensor.zeros([1, 1, 4, 1]))).toThrow('max_pool2d: gradOutput (1×1×4×1) does not match output (1×1×2×2)');
  });
});

describe('batch_norm', () => {
  test('training updates the running statistics with the unbiased variance; evaluation leaves them', () => {
    const layer = new BatchNorm(1);
    layer.forward(Tensor.fromArray([1, 3], [2, 1])); // mean 2, biased variance 1, unbiased 2
    expect(Array.from(layer.runningMean.data)).toEqual([0.2]);
    expect(layer.runningVar.data[0]).toBeCloseTo(0.9 + 0.1 * 2, 15);
    layer.training = false;
    const y = layer.forward(Tensor.fromArray([0.2], [1, 1]));
    expect(y.data[0]).toBeCloseTo(0, 12);
    expect(Array.from(layer.runningMean.data)).toEqual([0.2]);
  });

  test('training on one value per channel is an error, as in PyTorch (batch_norm s1)', () => {
    expect(() => new BatchNorm(3).forward(Tensor.zeros([1, 3]))).toThrow(
      'batch_norm: training needs more than one value per channel, got input (1×3) (PyTorch raises too; use evaluation mode)',
    );
    expect(() => new BatchNorm(3).forward(Tensor.zeros([1, 3, 1, 1]))).toThrow(/^batch_norm: training needs more than one value per channel/);
    const evaluating = new BatchNorm(3);
    evaluating.training = false;
    expect(evaluating.forward(Tensor.zeros([1, 3])).shape).toEqual([1, 3]);
  });

  test('bad input names the op and the shapes', () => {
    expect(() => new BatchNorm(4).forward(Tensor.zeros([2, 3]))).toThrow('batch_norm: input (2×3) has 3 channels, the parameters 4');
    expect(() => new BatchNorm(3).forward(Tensor.zeros([2, 3, 4]))).toThrow('batch_norm: expected an (N×C) or (N×C×H×W) input, got (2×3×4)');
  });
});

describe('layer_norm, flatten, reshape', () => {
  test('layer_norm: each row gets mean 0; the normalized shape must be the last axes', () => {
    const y = new LayerNorm([4]).forward(Tensor.fromArray([1, 2, 3, 6, -2, 0, 2, 4], [2, 4]));
    expect(Math.abs(y.data[0]! + y.data[1]! + y.data[2]! + y.data[3]!)).toBeLessThan(1e-12);
    expect(() => new LayerNorm([3]).forward(Tensor.zeros([2, 4]))).toThrow('layer_norm: normalized shape (3) is not the last axes of input (2×4)');
  });

  test('flatten keeps the leading axes; reshape keeps the batch; both give dy back in the input shape', () => {
    const flatten = new Flatten(2);
    expect(flatten.forward(Tensor.zeros([2, 3, 4, 5])).shape).toEqual([2, 3, 20]);
    expect(flatten.backward(Tensor.zeros([2, 3, 20])).shape).toEqual([2, 3, 4, 5]);
    expect(() => new Flatten(4).forward(Tensor.zeros([2, 3, 4, 5]))).toThrow('flatten: start_axis 4 is not an axis of input (2×3×4×5)');
    const reshape = new Reshape([1, 2, 2]);
    expect(reshape.forward(Tensor.zeros([3, 4])).shape).toEqual([3, 1, 2, 2]);
    expect(() => reshape.forward(Tensor.zeros([3, 5]))).toThrow('reshape: input (3×5) cannot be a batch of (1×2×2)');
  });
});

describe('buildLenet', () => {
  test.each([false, true])('a batch of MNIST rows in, 10 logits out, gradients for every parameter (batchNorm %s)', (batchNorm) => {
    const model = buildLenet({ batchNorm, seed: 1 });
    const x = randomTensor(rng, [2, 784]);
    const logits = model.forward(x);
    expect(logits.shape).toEqual([2, 10]);
    model.backward(randomTensor(rng, [2, 10]), { inputGradient: false });
    const params = model.parameters();
    expect(params.every((p) => p.grad !== null && p.grad.shape.join() === p.value.shape.join())).toBe(true);
    // conv 150 (+6 bias without batch norm, +12 γβ with it), conv 2400 (+16 / +32), 400·120 + 120, 120·84 + 84, 84·10 + 10
    const counts = params.reduce((n, p) => n + p.value.size, 0);
    expect(counts).toBe(150 + 2400 + 48120 + 10164 + 850 + (batchNorm ? 12 + 32 : 6 + 16));
    setTraining(model, false);
    const evaluated = model.forward(x);
    expect(evaluated.shape).toEqual([2, 10]);
    expect(model instanceof Model).toBe(true);
  });
});

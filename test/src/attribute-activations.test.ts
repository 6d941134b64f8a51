// The activations with attributes (leaky_relu's alpha, gelu's approximate) and tanh, log_softmax:
// defaults, backward against central differences, and bad input as an Error naming the op.
import { GELU, LeakyReLU, LogSoftmax, Rng, Tanh, Tensor, gelu, leakyRelu, logSoftmax, tanh } from '../../src';
import { dot, expectClose, numericGradient, randomTensor } from './helpers/numeric';

const rng = new Rng(10);

test("leaky_relu: alpha defaults to 0.01 and is the slope at x = 0", () => {
  const layer = new LeakyReLU();
  expect(Array.from(layer.forward(Tensor.fromArray([-100, 0, 2], [3])).data)).toEqual([-1, 0, 2]);
  expect(Array.from(layer.backward(Tensor.fromArray([1, 1, 1], [3])).data)).toEqual([0.01, 0.01, 1]);
  expect(() => new LeakyReLU({ alpha: NaN })).toThrow(/^leaky_relu: alpha must be a finite number, got NaN$/);
});

test('backward matches central differences: tanh, leaky_relu, gelu (both forms), log_softmax', () => {
  const x = randomTensor(rng, [3, 4]);
  const g = randomTensor(rng, [3, 4]);
  const layers: [string, { forward(t: Tensor): Tensor; backward(t: Tensor): Tensor }, (t: Tensor) => Tensor][] = [
    ['tanh', new Tanh(), tanh],
    ['leaky_relu', new LeakyReLU({ alpha: 0.2 }), (t) => leakyRelu(t, 0.2)],
    ['gelu', new GELU(), (t) => gelu(t)],
    ['gelu tanh', new GELU({ approximate: 'tanh' }), (t) => gelu(t, 'tanh')],
    ['log_softmax', new LogSoftmax(), logSoftmax],
  ];
  for (const [, layer, f] of layers) {
    layer.forward(x);
    expectClose(layer.backward(g), numericGradient((t) => dot(g, f(t)), x), 1e-8);
  }
});

test('bad input: an unknown gelu form, backward before forward, a gradOutput of another shape', () => {
  expect(() => new GELU({ approximate: 'erf' as never })).toThrow(/^gelu: approximate must be 'none' or 'tanh', got "erf"$/);
  expect(() => new Tanh().backward(Tensor.zeros([2]))).toThrow(/^tanh: backward called before forward$/);
  const layer = new LogSoftmax();
  layer.forward(Tensor.zeros([2, 3]));
  expect(() => layer.backward(Tensor.zeros([3, 2]))).toThrow(/^log_softmax: gradOutput \(3×2\) does not match output \(2×3\)$/);
});

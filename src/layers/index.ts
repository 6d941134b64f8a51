// The layers, in one import, and the activation layers by their op name (spec/ops/<op>.md), so a
// model or an adapter can build one from a name.
import { GELU } from './gelu';
import { LeakyReLU } from './leaky-relu';
import { LogSoftmax } from './log-softmax';
import { ReLU } from './relu';
import { Sigmoid } from './sigmoid';
import { Softmax } from './softmax';
import { Tanh } from './tanh';

export { type Layer, type Parameter } from './layer';
export { Linear, type LinearInit, type LinearOptions } from './linear';
export { Conv2d, type Conv2dLayerOptions } from './conv2d';
export { MaxPool2d, AvgPool2d } from './pool2d';
export { Flatten } from './flatten';
export { BatchNorm, type BatchNormLayerOptions } from './batch-norm';
export { LayerNorm } from './layer-norm';
export { Reshape } from './reshape';
export { ReLU, Softmax };
export { Sigmoid, sigmoid, sigmoidBackward } from './sigmoid';
export { Tanh, tanh, tanhBackward } from './tanh';
export { LeakyReLU, type LeakyReLUOptions, DEFAULT_LEAKY_RELU_ALPHA, leakyRelu, leakyReluBackward } from './leaky-relu';
export { GELU, type GELUOptions, type GeluApproximate, gelu, geluBackward } from './gelu';
export { LogSoftmax, logSoftmaxBackward } from './log-softmax';
export { Dropout, type DropoutOptions, DEFAULT_DROPOUT_P, bernoulliMasks, dropout, dropoutBackward } from './dropout';

export const ACTIVATIONS = {
  relu: ReLU,
  sigmoid: Sigmoid,
  tanh: Tanh,
  leaky_relu: LeakyReLU,
  gelu: GELU,
  log_softmax: LogSoftmax,
  softmax: Softmax,
} as const;

export type ActivationName = keyof typeof ACTIVATIONS;

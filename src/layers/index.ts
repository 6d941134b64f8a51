// The layers, in one import, and the activation layers by their op name (spec/ops/<op>.md), so a
// model or an adapter can build one from a name.
import { ReLU } from './relu';
import { Sigmoid } from './sigmoid';
import { Softmax } from './softmax';

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

export const ACTIVATIONS = {
  relu: ReLU,
  sigmoid: Sigmoid,
  softmax: Softmax,
} as const;

export type ActivationName = keyof typeof ACTIVATIONS;

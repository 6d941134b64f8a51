// The layers, in one import.
export { type Layer, type Parameter } from './layer';
export { Linear, type LinearInit, type LinearOptions } from './linear';
export { ReLU } from './relu';
export { Softmax } from './softmax';

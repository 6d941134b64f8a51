// The losses, in one import.
export { type Loss } from './loss';
export { MSE } from './mse';
export { MSES } from './mse-softmax';
export { CrossEntropy, type CrossEntropyOptions } from './cross-entropy';

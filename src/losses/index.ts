// The losses, in one import, and each loss by its op name (spec/ops/<op>.md).
import { BCEWithLogits, type BCEWithLogitsOptions } from './bce-with-logits';
import { CrossEntropy, type CrossEntropyOptions } from './cross-entropy';
import { CrossEntropyIndex } from './cross-entropy-index';
import type { Loss } from './loss';
import type { Tensor } from '../tensor';
import { MSE } from './mse';
import { MSES } from './mse-softmax';
import { NLL, type ClassIndexOptions } from './nll';

export { type Loss, MSE, MSES, CrossEntropy, type CrossEntropyOptions };
export { CrossEntropyIndex, NLL, type ClassIndexOptions };
export { BCEWithLogits, type BCEWithLogitsOptions };

/** Options a loss may take; each loss reads the ones it has (cross_entropy: reduction; class-index losses: ignoreIndex; BCE: posWeight). */
export interface LossOptions {
  reduction?: 'mean' | 'sum';
  ignoreIndex?: number;
  posWeight?: Tensor;
}

export const LOSSES = {
  mse: () => new MSE(),
  mse_softmax: () => new MSES(),
  cross_entropy: (options: LossOptions = {}) => new CrossEntropy(options),
  cross_entropy_index: (options: LossOptions = {}) => new CrossEntropyIndex(options),
  nll: (options: LossOptions = {}) => new NLL(options),
  binary_cross_entropy_with_logits: (options: LossOptions = {}) => new BCEWithLogits(options),
} as const satisfies Record<string, (options?: LossOptions) => Loss>;

export type LossName = keyof typeof LOSSES;
export const LOSS_NAMES = Object.keys(LOSSES) as LossName[];

/** The loss called `name`, or an error naming the ones there are. */
export function createLoss(name: string, options: LossOptions = {}): Loss {
  if (!Object.prototype.hasOwnProperty.call(LOSSES, name)) throw new Error(`createLoss: unknown loss '${name}'; expected one of ${LOSS_NAMES.join(', ')}`);
  return LOSSES[name as LossName](options);
}

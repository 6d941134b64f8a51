// Building what a training run needs from plain settings: the MLP and the loss by name.
import { type LinearInit, Linear } from '../layers/linear';
import { ReLU } from '../layers/relu';
import type { Layer } from '../layers/layer';
import { CrossEntropy } from '../losses/cross-entropy';
import type { Loss } from '../losses/loss';
import { MSE } from '../losses/mse';
import { MSES } from '../losses/mse-softmax';
import { Model } from '../model';
import type { DType } from '../tensor';

export const LOSS_NAMES = ['cross_entropy', 'mse', 'mse_softmax'] as const;
export type LossName = (typeof LOSS_NAMES)[number];

/** The loss called `name`: cross_entropy (mean over the batch), mse, or mse_softmax (the seed's MSES). */
export function createLoss(name: string): Loss {
  switch (name) {
    case 'cross_entropy': return new CrossEntropy();
    case 'mse': return new MSE();
    case 'mse_softmax': return new MSES();
    default: throw new Error(`train: unknown loss '${name}'; expected one of ${LOSS_NAMES.join(', ')}`);
  }
}

export interface MlpOptions {
  /** Layer i's weights are drawn from seed·1000 + i. Default 0. */
  seed?: number;
  dtype?: DType;
  init?: LinearInit;
}

/** Linear, ReLU, Linear, ..., Linear through `sizes` (e.g. [784, 50, 10]); no ReLU after the last. */
export function buildMlp(sizes: number[], options: MlpOptions = {}): Model {
  if (sizes.length < 2) throw new Error(`train: an MLP needs at least input and output sizes, got [${sizes.join(', ')}]`);
  const { seed = 0, dtype = 'float64', init = 'kaiming' } = options;
  const layers: Layer[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    if (i > 0) layers.push(new ReLU());
    layers.push(new Linear(sizes[i]!, sizes[i + 1]!, { init, dtype, seed: seed * 1000 + i }));
  }
  return new Model(layers);
}

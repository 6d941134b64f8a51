// Building what a training run needs from plain settings: the MLP (and, re-exported, the loss by name).
import { type LinearInit, Linear } from '../layers/linear';
import { ReLU } from '../layers/relu';
import type { Layer } from '../layers/layer';
export { type LossName, LOSS_NAMES, createLoss } from '../losses';
import { Model } from '../model';
import type { DType } from '../tensor';

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

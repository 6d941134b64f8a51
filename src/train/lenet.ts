// A LeNet-5-like network for MNIST from src's layers: the 784 pixels as a 1×28×28 image, two blocks of
// convolution → ReLU → 2×2 max-pool (6 filters 5×5 with padding 2, then 16 filters 5×5), and three
// Linear layers 400 → 120 → 84 → 10. With `batchNorm`, a BatchNorm follows each convolution.
import { BatchNorm } from '../layers/batch-norm';
import { Conv2d } from '../layers/conv2d';
import { Flatten } from '../layers/flatten';
import type { Layer } from '../layers/layer';
import { Linear } from '../layers/linear';
import { MaxPool2d } from '../layers/pool2d';
import { ReLU } from '../layers/relu';
import { Reshape } from '../layers/reshape';
import { Model } from '../model';
import type { DType } from '../tensor';

export interface LenetOptions {
  /** Layer i's weights are drawn from seed·1000 + i. Default 0. */
  seed?: number;
  dtype?: DType;
  /** A BatchNorm after each convolution. Default false. */
  batchNorm?: boolean;
}

/** A LeNet Model that train() switches between training and evaluation mode. */
export type Lenet = Model & { setTraining(training: boolean): void };

export function buildLenet(options: LenetOptions = {}): Lenet {
  const { seed = 0, dtype = 'float64', batchNorm = false } = options;
  let next = 0;
  const init = () => ({ dtype, seed: seed * 1000 + next++ });
  const block = (inChannels: number, outChannels: number, padding: number): Layer[] => [
    // With batch norm right after, the convolution's bias would be cancelled by the mean: leave it out.
    new Conv2d(inChannels, outChannels, 5, { padding, bias: !batchNorm, ...init() }),
    ...(batchNorm ? [new BatchNorm(outChannels, { dtype })] : []),
    new ReLU(),
    new MaxPool2d({ kernelSize: 2 }),
  ];
  const model = new Model([
    new Reshape([1, 28, 28]),
    ...block(1, 6, 2), // 6×28×28 → 6×14×14
    ...block(6, 16, 0), // 16×10×10 → 16×5×5
    new Flatten(1),
    new Linear(400, 120, init()),
    new ReLU(),
    new Linear(120, 84, init()),
    new ReLU(),
    new Linear(84, 10, init()),
  ]);
  return Object.assign(model, { setTraining: (training: boolean) => setTraining(model, training) });
}

/** Puts every BatchNorm of `model` in training (true) or evaluation (false) mode. */
export function setTraining(model: Model, training: boolean): void {
  for (const layer of model.layers) {
    if (layer instanceof BatchNorm) layer.training = training;
    else if (layer instanceof Model) setTraining(layer, training);
  }
}

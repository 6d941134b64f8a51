// mse_softmax (spec/ops/mse_softmax.md): L = mse(softmax(z), t) with softmax over the last axis;
// dL/dz = softmax's backward applied to dL/ds = 2(s − t)/N.
import { expectFiniteNumber } from '../checks';
import { backwardBeforeForward } from '../layers/layer';
import { softmax, softmaxBackward } from '../ops/softmax';
import type { Tensor } from '../tensor';
import type { Loss } from './loss';
import { checkLossPair, meanSquaredError, meanSquaredErrorGrad } from './mse';

/** MSE on softmax(logits): the seed tutorial's "MSES". */
export class MSES implements Loss {
  private cache: { probabilities: Tensor; target: Tensor } | null = null;

  forward(logits: Tensor, target: Tensor): number {
    checkLossPair('mse_softmax', logits, 'logits', target);
    const probabilities = softmax(logits);
    this.cache = { probabilities, target };
    return meanSquaredError(probabilities, target);
  }

  /** dL/dlogits through the softmax Jacobian, scaled by `gradOutput`. */
  backward(gradOutput = 1): Tensor {
    if (this.cache === null) throw backwardBeforeForward('mse_softmax');
    expectFiniteNumber('mse_softmax', gradOutput, 'gradOutput');
    const { probabilities, target } = this.cache;
    return softmaxBackward(probabilities, meanSquaredErrorGrad(probabilities, target, gradOutput));
  }
}

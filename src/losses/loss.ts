// What every loss offers: a scalar forward and the gradient with respect to its first argument.
import type { Tensor } from '../tensor';

/** A scalar loss of a prediction (or logits) against a target. */
export interface Loss {
  /** The loss value; remembers what backward needs. */
  forward(prediction: Tensor, target: Tensor): number;
  /** dL/dprediction of the last forward, scaled by the seed dL_total/dL (default 1); a new tensor. */
  backward(gradOutput?: number): Tensor;
}

// mse (spec/ops/mse.md): L = Σ (p − t)² / N over all N elements; dL/dp = 2(p − t)/N.
import { expectFinite, expectFiniteNumber, expectNonEmptyBatch, expectShape } from '../checks';
import { backwardBeforeForward } from '../layers/layer';
import { Tensor } from '../tensor';
import type { Loss } from './loss';

/** Throws unless prediction and target share a shape, are non-empty and finite. */
export function checkLossPair(op: string, prediction: Tensor, predictionName: string, target: Tensor): void {
  expectShape(op, target, 'target', prediction.shape, predictionName);
  expectNonEmptyBatch(op, prediction, predictionName);
  expectFinite(op, prediction, predictionName);
  expectFinite(op, target, 'target');
}

/** Σ (p − t)² / N, summed in float64. */
export function meanSquaredError(p: Tensor, t: Tensor): number {
  let sum = 0;
  for (let i = 0; i < p.size; i++) sum += (p.data[i]! - t.data[i]!) ** 2;
  return sum / p.size;
}

/** seed · 2(p − t)/N, in p's dtype. */
export function meanSquaredErrorGrad(p: Tensor, t: Tensor, seed: number): Tensor {
  const grad = Tensor.zeros(p.shape, p.dtype);
  const scale = (2 * seed) / p.size;
  // Stryker disable next-line EqualityOperator: `<=` adds one pass past the end of the typed arrays: its writes are dropped and its reads feed only them
  for (let i = 0; i < p.size; i++) grad.data[i] = scale * (p.data[i]! - t.data[i]!);
  return grad;
}

/** Mean squared error over all elements. */
export class MSE implements Loss {
  private cache: { prediction: Tensor; target: Tensor } | null = null;

  forward(prediction: Tensor, target: Tensor): number {
    checkLossPair('mse', prediction, 'prediction', target);
    this.cache = { prediction, target };
    return meanSquaredError(prediction, target);
  }

  backward(gradOutput = 1): Tensor {
    if (this.cache === null) throw backwardBeforeForward('mse');
    expectFiniteNumber('mse', gradOutput, 'gradOutput');
    return meanSquaredErrorGrad(this.cache.prediction, this.cache.target, gradOutput);
  }
}

// The BatchNorm layer (spec/ops/batch_norm.md) for (N, C) and (N, C, H, W) inputs: γ and β, the
// running statistics it keeps, and a training flag (true: batch statistics; false: the running ones).
import { expectPositiveInteger } from '../checks';
import { batchNorm, batchNormBackward, type BatchNormSaved } from '../ops/batch-norm';
import { type DType, Tensor } from '../tensor';
import { type Layer, type Parameter, backwardBeforeForward } from './layer';

export interface BatchNormLayerOptions {
  /** Default 0.1 (PyTorch's convention: the weight of the new batch statistic). */
  momentum?: number;
  /** Default 1e-5. */
  eps?: number;
  dtype?: DType;
}

export class BatchNorm implements Layer {
  readonly gamma: Parameter;
  readonly beta: Parameter;
  /** Starts at 0; replaced (not written into) by each training forward. */
  runningMean: Tensor;
  /** Starts at 1. */
  runningVar: Tensor;
  /** true (the default): normalize with the batch's statistics and update the running ones; false: evaluation. */
  training = true;
  readonly momentum: number;
  readonly eps: number;
  private saved: { gamma: Tensor; state: BatchNormSaved } | null = null;

  /** γ = 1, β = 0, running mean 0 and variance 1, as PyTorch initialises them. */
  constructor(channels: number, options: BatchNormLayerOptions = {}) {
    expectPositiveInteger('batch_norm', channels, 'channels');
    const { momentum = 0.1, eps = 1e-5, dtype = 'float64' } = options;
    const ones = () => Tensor.fromArray(new Array<number>(channels).fill(1), [channels], dtype);
    this.gamma = { name: 'gamma', value: ones(), grad: null };
    // Stryker disable next-line ArrayDeclaration: the layer's initial value, which fromWeights/fromState replace before any use (the adapter builds layers only through them)
    this.beta = { name: 'beta', value: Tensor.zeros([channels], dtype), grad: null };
    // Stryker disable next-line ArrayDeclaration: the layer's initial value, which fromWeights/fromState replace before any use (the adapter builds layers only through them)
    this.runningMean = Tensor.zeros([channels], dtype);
    this.runningVar = ones();
    this.momentum = momentum;
    this.eps = eps;
  }

  /** A layer holding copies of γ, β and the running statistics. */
  static fromState(state: { gamma: Tensor; beta: Tensor; runningMean: Tensor; runningVar: Tensor }, options: BatchNormLayerOptions = {}): BatchNorm {
    const layer = new BatchNorm(state.gamma.size, { ...options, dtype: state.gamma.dtype });
    layer.gamma.value = state.gamma.clone();
    layer.beta.value = state.beta.clone();
    layer.runningMean = state.runningMean.clone();
    layer.runningVar = state.runningVar.clone();
    return layer;
  }

  forward(x: Tensor): Tensor {
    const gamma = this.gamma.value;
    const out = batchNorm(x, gamma, this.beta.value, this.runningMean, this.runningVar, { training: this.training, momentum: this.momentum, eps: this.eps });
    this.runningMean = out.runningMean;
    this.runningVar = out.runningVar;
    this.saved = { gamma, state: out.saved };
    return out.y;
  }

  /** Returns dx and sets γ.grad and β.grad. */
  backward(gradOutput: Tensor): Tensor {
    if (this.saved === null) throw backwardBeforeForward('batch_norm');
    const { gradX, gradGamma, gradBeta } = batchNormBackward(this.saved.state, this.saved.gamma, gradOutput);
    this.gamma.grad = gradGamma;
    this.beta.grad = gradBeta;
    return gradX;
  }

  parameters(): Parameter[] {
    return [this.gamma, this.beta];
  }
}

// The LayerNorm layer (spec/ops/layer_norm.md): γ and β of the normalized shape (the input's last axes).
import { layerNorm, layerNormBackward, type LayerNormSaved } from '../ops/layer-norm';
import { type DType, Tensor, sizeOf } from '../tensor';
import { type Layer, type Parameter, backwardBeforeForward } from './layer';

export class LayerNorm implements Layer {
  readonly gamma: Parameter;
  readonly beta: Parameter;
  private saved: { gamma: Tensor; state: LayerNormSaved } | null = null;

  /** γ = 1 and β = 0 of shape `normalizedShape`, as PyTorch initialises them. */
  constructor(normalizedShape: readonly number[], readonly eps = 1e-5, dtype: DType = 'float64') {
    this.gamma = { name: 'gamma', value: Tensor.fromArray(new Array<number>(sizeOf(normalizedShape)).fill(1), normalizedShape, dtype), grad: null };
    this.beta = { name: 'beta', value: Tensor.zeros(normalizedShape, dtype), grad: null };
  }

  /** A layer holding copies of γ and β. */
  static fromWeights(gamma: Tensor, beta: Tensor, eps = 1e-5): LayerNorm {
    const layer = new LayerNorm(gamma.shape, eps, gamma.dtype);
    layer.gamma.value = gamma.clone();
    layer.beta.value = beta.clone();
    return layer;
  }

  forward(x: Tensor): Tensor {
    const gamma = this.gamma.value;
    const { y, saved } = layerNorm(x, gamma, this.beta.value, this.eps);
    this.saved = { gamma, state: saved };
    return y;
  }

  backward(gradOutput: Tensor): Tensor {
    if (this.saved === null) throw backwardBeforeForward('layer_norm');
    const { gradX, gradGamma, gradBeta } = layerNormBackward(this.saved.state, this.saved.gamma, gradOutput);
    this.gamma.grad = gradGamma;
    this.beta.grad = gradBeta;
    return gradX;
  }

  parameters(): Parameter[] {
    return [this.gamma, this.beta];
  }
}

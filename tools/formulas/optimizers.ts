// The optimizers' update rules as ONNX graphs, one function per optimizer: the single-step ops
// (spec/ops/sgd.md, sgd_momentum.md, adam.md, adamw.md) and every trajectory's update (the
// `update.optimizer` of linear and mlp cases, tools/build-fixture.ts) take their graph from here, so
// a rule is written once. They follow PyTorch's torch.optim code (_single_tensor_sgd, _single_tensor_adam,
// _single_tensor_adamw) operation by operation; the rule ids are those of the op pages.
import type { Optimizer } from '../../spec/types/fixture';
import type { Graph } from '../onnx/graph';

export type { Optimizer };
export type OptimizerType = Optimizer['type'];
/** PyTorch's names for the per-parameter state (optimizer.state[p][...]). */
export type StateName = 'momentum_buffer' | 'exp_avg' | 'exp_avg_sq';

/** What a case file may say about its optimizer: an `update` without `steps` (default 1) and PyTorch's defaults. */
export interface SgdSpec { type?: 'sgd'; lr: number; momentum?: number; dampening?: number; nesterov?: boolean; weight_decay?: number }
export interface AdamSpec { type: 'adam' | 'adamw'; lr: number; betas?: [number, number]; eps?: number; weight_decay?: number }
export type OptimizerSpec = SgdSpec | AdamSpec;

const isAdam = (spec: OptimizerSpec): spec is AdamSpec => spec.type === 'adam' || spec.type === 'adamw';

/**
 * The fixture's `update.optimizer`: plain SGD stays `{type, lr, steps}` (the form every fixture had
 * before momentum existed); any other optimizer is written with every hyperparameter, PyTorch's
 * defaults filled in (Adam weight_decay 0, AdamW 1e-2), so nothing is left to a reader's default.
 */
export function optimizerConfig(spec: OptimizerSpec, steps: number): Optimizer {
  if (isAdam(spec)) {
    const { betas = [0.9, 0.999], eps = 1e-8, weight_decay = spec.type === 'adamw' ? 1e-2 : 0 } = spec;
    return { type: spec.type, lr: spec.lr, steps, betas: [betas[0], betas[1]], eps, weight_decay };
  }
  const { momentum, dampening, nesterov, weight_decay } = spec;
  if (momentum === undefined && dampening === undefined && nesterov === undefined && weight_decay === undefined) {
    return { type: 'sgd', lr: spec.lr, steps };
  }
  return { type: 'sgd', lr: spec.lr, steps, momentum: momentum ?? 0, dampening: dampening ?? 0, nesterov: nesterov ?? false, weight_decay: weight_decay ?? 0 };
}

/** The state an optimizer keeps per param: none for plain SGD, the momentum buffer, Adam's two moments. */
export function stateNames(config: Optimizer): StateName[] {
  if (config.type === 'sgd') return (config.momentum ?? 0) !== 0 ? ['momentum_buffer'] : [];
  return ['exp_avg', 'exp_avg_sq'];
}

/** One param's values in the graph: the param, its gradient, its state (undefined: not created yet). */
export interface StepValues {
  param: string;
  grad: string;
  state: Partial<Record<StateName, string>>;
  /** t, the number of this step counting from 1, a float64 scalar (Adam's bias correction). */
  step: string;
  /**
   * For a trajectory, whose graph serves every step: a bool scalar true at t = 1, where SGD's momentum
   * buffer is created from the gradient instead of updated (sgd_momentum f2). A single-step op has
   * no such flag: a first step simply has no buffer input.
   */
  firstStep?: string;
}

export interface StepResult {
  param: string;
  state: Partial<Record<StateName, string>>;
}

/** ONNX TensorProto element types for Cast. */
const CAST_TO = { float64: 11, float32: 1 } as const;

/** A float64 scalar computed in the graph, rounded once to the graph's dtype where it meets a tensor (adam f4). */
function toGraphDType(g: Graph, float64: string): string {
  if (g.dtype === 'int64') throw new Error('optimizers: an int64 graph has no float dtype');
  return g.op('Cast', [float64], { to: CAST_TO[g.dtype] });
}

/** x + α·y, the shape of torch's x.add(y, alpha=α). */
const addScaled = (g: Graph, x: string, alpha: number, y: string) => g.op('Add', [x, g.op('Mul', [g.constant(alpha), y])]);

/**
 * SGD as torch.optim.SGD: d = g + λ·p (coupled weight decay, when λ ≠ 0); with momentum μ ≠ 0 the
 * buffer is d at the first step and μ·buf + (1 − τ)·d after; the step is buf, or d + μ·buf with
 * nesterov; p ← p − lr·step. With μ = 0 and λ = 0 this is exactly sgd f1's graph, Sub(p, Mul(lr, g)).
 */
export function sgdStep(g: Graph, config: Extract<Optimizer, { type: 'sgd' }>, v: StepValues): StepResult {
  const { lr, momentum = 0, dampening = 0, nesterov = false, weight_decay: decay = 0 } = config;
  const d = decay !== 0 ? addScaled(g, v.grad, decay, v.param) : v.grad;
  if (momentum === 0) return { param: g.op('Sub', [v.param, g.op('Mul', [g.constant(lr), d])]), state: {} };
  const previous = v.state.momentum_buffer;
  let buffer: string;
  if (previous === undefined) buffer = d; // f2: the buffer starts as the first (decayed) gradient, not (1 − τ)·d
  else {
    const updated = g.op('Add', [g.op('Mul', [g.constant(momentum), previous]), g.op('Mul', [g.constant(1 - dampening), d])]);
    buffer = v.firstStep ? g.op('Where', [v.firstStep, d, updated]) : updated;
  }
  const step = nesterov ? addScaled(g, d, momentum, buffer) : buffer;
  return { param: g.op('Sub', [v.param, g.op('Mul', [g.constant(lr), step])]), state: { momentum_buffer: buffer } };
}

/**
 * Adam and AdamW as torch.optim.Adam / AdamW: AdamW first shrinks p by (1 − lr·λ) (decoupled), Adam
 * adds λ·p to the gradient (coupled); then m = β1·m + (1 − β1)·g, v = β2·v + (1 − β2)·g²,
 * p ← p − lr/(1 − β1^t) · m / (√v / √(1 − β2^t) + ε): ε outside the square root, after the correction.
 */
export function adamStep(g: Graph, config: Extract<Optimizer, { type: 'adam' | 'adamw' }>, v: StepValues): StepResult {
  const { lr, betas, eps, weight_decay: decay } = config;
  const [beta1, beta2] = betas;
  let param = v.param;
  let grad = v.grad;
  if (decay !== 0) {
    if (config.type === 'adamw') param = g.op('Mul', [param, g.constant(1 - lr * decay)]);
    else grad = addScaled(g, grad, decay, param);
  }
  // The moments start at zero (PyTorch's zeros_like), so even the first step has them as inputs.
  const moment = (name: StateName): string => {
    const value = v.state[name];
    if (value === undefined) throw new Error(`${config.type}: the graph needs ${name} as an input (zeros at the first step)`);
    return value;
  };
  const m = g.op('Add', [g.op('Mul', [g.constant(beta1), moment('exp_avg')]), g.op('Mul', [g.constant(1 - beta1), grad])]);
  const s = g.op('Add', [g.op('Mul', [g.constant(beta2), moment('exp_avg_sq')]), g.op('Mul', [g.constant(1 - beta2), g.op('Mul', [grad, grad])])]);
  // The per-step scalars in float64, as PyTorch computes them in Python floats, then rounded once.
  const one64 = g.constant(1, [], 'float64');
  const correction1 = g.op('Sub', [one64, g.op('Pow', [g.constant(beta1, [], 'float64'), v.step])]);
  const correction2 = g.op('Sub', [one64, g.op('Pow', [g.constant(beta2, [], 'float64'), v.step])]);
  const stepSize = toGraphDType(g, g.op('Div', [g.constant(lr, [], 'float64'), correction1]));
  const correction2Sqrt = toGraphDType(g, g.op('Sqrt', [correction2]));
  const denominator = g.op('Add', [g.op('Div', [g.op('Sqrt', [s]), correction2Sqrt]), g.constant(eps)]);
  const next = g.op('Sub', [param, g.op('Mul', [stepSize, g.op('Div', [m, denominator])])]);
  return { param: next, state: { exp_avg: m, exp_avg_sq: s } };
}

/** One step of `config`'s optimizer for one param. */
export function optimizerStep(g: Graph, config: Optimizer, v: StepValues): StepResult {
  return config.type === 'sgd' ? sgdStep(g, config, v) : adamStep(g, config, v);
}

/** A single-step op's attributes (spec/ops/sgd.md, sgd_momentum.md, adam.md, adamw.md) as the optimizer config of one step. */
export function singleStepConfig(op: 'sgd' | 'sgd_momentum' | 'adam' | 'adamw', a: Record<string, unknown>): Optimizer {
  const num = (name: string, fallback?: number): number => {
    const value = a[name] ?? fallback;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`${op}: attribute ${name} must be a number, got ${String(value)}`);
    return value;
  };
  const lr = num('lr');
  if (!(lr > 0)) throw new Error(`${op}: attribute lr must be a positive number, got ${lr}`);
  if (op === 'sgd') return optimizerConfig(a.weight_decay === undefined ? { lr } : { lr, weight_decay: num('weight_decay') }, 1);
  if (op === 'sgd_momentum') {
    const nesterov = a.nesterov ?? false;
    if (typeof nesterov !== 'boolean') throw new Error(`${op}: attribute nesterov must be true or false`);
    return optimizerConfig({ lr, momentum: num('momentum'), dampening: num('dampening', 0), nesterov, weight_decay: num('weight_decay', 0) }, 1);
  }
  const betas = (a.betas ?? [0.9, 0.999]) as number[];
  if (!Array.isArray(betas) || betas.length !== 2) throw new Error(`${op}: attribute betas must be [β1, β2]`);
  return optimizerConfig({ type: op, lr, betas: [betas[0]!, betas[1]!], eps: num('eps', 1e-8), weight_decay: num('weight_decay', op === 'adamw' ? 1e-2 : 0) }, 1);
}

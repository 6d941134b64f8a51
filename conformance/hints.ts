// Known signatures of wrong implementations, recognised from a failing tensor: a wrong reduction
// (scaled by the batch size or element count), a sign flip, a transposed result, ReLU'(0) ≠ 0,
// exp overflow, an input mutated in place. A hint is a guess; the message states the facts anyway.
import type { Optimizer, Tolerance } from '../spec/types/fixture';
import type { Tensor, TensorMap } from './implementation';
import type { Stage } from './compare';

export interface HintContext {
  op: string;
  stage: Stage;
  /** The tensor's name in its map ('y', 'x' for dx, 'W' for dW or the updated W). */
  name: string;
  /** As printed: 'y', 'dx', 'dW', 'W', 'losses'. */
  label: string;
  inputs: TensorMap;
  gradOutput?: TensorMap;
  /** The values this tensor is one step away from (sgd's param, the params before a single update); scale and sign hints look at the step. */
  baseline?: Tensor;
}

/** Ops whose forward calls exp: a non-finite result there is almost always a missing max-subtraction. */
const EXP_OPS = new Set(['softmax', 'mse_softmax', 'cross_entropy', 'mlp']);

export const HINTS = {
  overflow: 'overflow: subtract the row max before exp',
  reluAtZero: "ReLU'(0) must be 0: where x = 0 the gradient is 0, not grad_output",
  mutated: (name: string) => `input mutated in place: ${name}`,
} as const;

export function mutationHint(name: string): string {
  return HINTS.mutated(name);
}

/**
 * An optimizer state tensor (momentum_buffer, exp_avg, exp_avg_sq) differs after the trajectory: the
 * rule that updates it, with what it must include.
 */
export function optimizerStateHint(o: Optimizer, kind: string): string {
  const after = `${kind} differs after ${o.steps} step${o.steps === 1 ? '' : 's'}: the optimizer's state update is wrong`;
  if (o.type === 'sgd') return `${after} (the buffer starts as the first gradient itself, not at zero, then μ·buf + (1 − dampening)·g, with g = grad + weight_decay·p)`;
  if (o.type === 'adam') return `${after} (m ← β1·m + (1 − β1)·g, v ← β2·v + (1 − β2)·g², with g = grad + weight_decay·p: Adam's decay is coupled)`;
  return `${after} (m ← β1·m + (1 − β1)·g, v ← β2·v + (1 − β2)·g² with g the raw gradient: AdamW's decay is decoupled and never enters the moments)`;
}

/** The optimizer's state matches but the params do not: the step taken from the state is wrong. */
export function optimizerStepHint(o: Optimizer): string {
  if (o.type === 'sgd') return 'the momentum buffer matches but the params do not: the step from it is wrong (p ← p − lr·buf, or p − lr·(g + μ·buf) with nesterov)';
  const decay = o.type === 'adamw' ? '; p·(1 − lr·weight_decay) before the step' : '';
  return `the moments match but the params do not: the step from them is wrong (lr/(1 − β1^t) and √v/√(1 − β2^t) + ε: bias-corrected with t counting from 1, ε outside the square root${decay})`;
}

/** For a shape mismatch: the transposed shape, or a [1] where a scalar [] is due. */
export function shapeHint(expected: Tensor, actual: { shape: readonly number[] }, ctx: HintContext): string | undefined {
  const e = expected.shape;
  const a = actual.shape;
  if (e.length === 2 && a.length === 2 && e[0] !== e[1] && a[0] === e[1] && a[1] === e[0]) return transposedHint(ctx);
  if (e.length === 0 && a.length > 0 && a.every((d) => d === 1)) return `${ctx.label} must be a scalar of shape [], not [${a.join(', ')}]`;
  return undefined;
}

/** For a values mismatch of same-shaped tensors. */
export function valueHint(expected: Tensor, actual: Tensor, tolerance: Tolerance, ctx: HintContext): string | undefined {
  const E = expected.data;
  const A = actual.data;
  let unexpectedNonFinite = false;
  for (let i = 0; i < E.length; i++) if (Number.isFinite(E[i]!) && !Number.isFinite(A[i]!)) unexpectedNonFinite = true;
  if (unexpectedNonFinite) return EXP_OPS.has(ctx.op) ? HINTS.overflow : undefined;

  if (reluAtZero(expected, actual, tolerance, ctx)) return HINTS.reluAtZero;

  // Scale and sign patterns are about the step when there is a baseline (sgd, a single update).
  let e: ArrayLike<number> = E;
  let a: ArrayLike<number> = A;
  if (ctx.baseline && ctx.baseline.data.length === E.length) {
    const base = ctx.baseline.data;
    e = Float64Array.from(E, (v, i) => v - base[i]!);
    a = Float64Array.from(A, (v, i) => v - base[i]!);
  }
  const step = ctx.baseline ? ' (in the step p ← p − lr·∇p)' : '';

  if (expected.shape.length === 2 && expected.shape[0]! > 1 && expected.shape[1]! > 1) {
    const eT = transpose(e, expected.shape[0]!, expected.shape[1]!);
    if (close(a, eT, tolerance) && !close(e, eT, tolerance)) return transposedHint(ctx);
  }
  if (scaledBy(a, e, -1, tolerance)) return `sign flip: ${ctx.label} ≈ −expected${step}`;

  const first = Object.values(ctx.inputs)[0];
  const B = first && first.shape.length > 0 ? first.shape[0]! : 1;
  const N = first ? first.data.length : 1;
  const factors: [number, string][] = [];
  if (B > 1) {
    factors.push([B, `wrong reduction: ${ctx.label} is ${B}× the expected (batch B = ${B}): summed instead of averaged over the batch${step}`]);
    factors.push([1 / B, `wrong reduction: ${ctx.label} is 1/${B} of the expected (batch B = ${B}): averaged instead of summed over the batch${step}`]);
  }
  if (N > 1 && N !== B) {
    factors.push([N, `wrong reduction: ${ctx.label} is ${N}× the expected (N = ${N} elements): summed instead of averaged over all elements${step}`]);
    factors.push([1 / N, `wrong reduction: ${ctx.label} is 1/${N} of the expected (N = ${N} elements): averaged instead of summed${step}`]);
    if (B > 1) {
      factors.push([N / B, `wrong reduction: ${ctx.label} is ${N / B}× the expected: averaged over the batch only (B = ${B}), the mean is over all N = ${N} elements${step}`]);
      factors.push([B / N, `wrong reduction: ${ctx.label} is 1/${N / B} of the expected: averaged over all N = ${N} elements instead of over the batch (B = ${B})${step}`]);
    }
  }
  if ((ctx.op === 'mse' || ctx.op === 'mse_softmax') && B !== 2 && N !== 2) {
    factors.push([2, `off by a factor of 2: d/dy (y − t)² = 2(y − t)${step}`]);
    factors.push([0.5, `off by a factor of 1/2: d/dy (y − t)² = 2(y − t), the 2 is part of the gradient${step}`]);
  }
  // A scalar loss seed s ≠ 1 that the backward dropped leaves every gradient 1/s of the expected; checked
  // first, as the likelier story when 1/s is also another signature's factor (s = ½ and mse's 2).
  const seed = ctx.stage === 'backward' ? ctx.gradOutput?.loss : undefined;
  const s0 = seed && seed.data.length === 1 ? seed.data[0]! : 1;
  if (s0 !== 0 && Math.abs(s0) !== 1) factors.unshift([1 / s0, `${ctx.label} is 1/${fmtSeed(s0)} of the expected: the loss seed grad_output.loss = ${fmtSeed(s0)} was not multiplied in`]);
  for (const [s, hint] of factors) if (scaledBy(a, e, s, tolerance)) return hint;
  return undefined;
}

const fmtSeed = (s: number) => String(Number(s.toPrecision(6)));

function transposedHint(ctx: HintContext): string {
  if (/^W\d*$/.test(ctx.name) && (ctx.op === 'linear' || ctx.op === 'mlp')) {
    return `${ctx.label} looks transposed (weight layout is (in, out), dW = xᵀ·dy)`;
  }
  if (ctx.op === 'matmul' && ctx.stage === 'backward') return `${ctx.label} looks transposed (for y = a·b: da = dy·bᵀ, db = aᵀ·dy)`;
  return `${ctx.label} looks transposed`;
}

/** Every failing element sits where the op's input is exactly ±0, and equals grad_output there. */
function reluAtZero(expected: Tensor, actual: Tensor, tol: Tolerance, ctx: HintContext): boolean {
  if (ctx.stage !== 'backward' || !ctx.gradOutput) return false;
  const x = ctx.inputs[ctx.name];
  const n = expected.data.length;
  if (!x || x.data.length !== n) return false;
  const g = Object.values(ctx.gradOutput).find((t) => t.data.length === n);
  if (!g) return false;
  let failing = 0;
  for (let i = 0; i < n; i++) {
    const e = expected.data[i]!;
    const a = actual.data[i]!;
    if (Math.abs(a - e) <= tol.atol + tol.rtol * Math.abs(e)) continue;
    failing++;
    const gi = g.data[i]!;
    if (x.data[i] !== 0 || !(Math.abs(a - gi) <= tol.atol + 10 * tol.rtol * Math.abs(gi))) return false;
  }
  return failing > 0;
}

/**
 * actual ≈ s·expected everywhere, and the scaling is visible: some element where s·e and e differ by
 * far more than the tolerance. The slack is loose (0.1 %): a plain wrong value is not a near-exact multiple.
 */
export function scaledBy(actual: ArrayLike<number>, expected: ArrayLike<number>, s: number, tol: Tolerance): boolean {
  if (actual.length !== expected.length || actual.length === 0) return false;
  let visible = false;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const a = actual[i]!;
    if (!Number.isFinite(e) || !Number.isFinite(a)) return false;
    const target = s * e;
    const slack = 1e-3 * Math.abs(target) + 10 * (tol.atol + tol.rtol * Math.abs(e)) * Math.max(1, Math.abs(s));
    if (Math.abs(a - target) > slack) return false;
    if (Math.abs(target - e) > 10 * slack) visible = true;
  }
  return visible;
}

/** a ≈ b everywhere, with the same loose slack as scaledBy. */
function close(a: ArrayLike<number>, b: ArrayLike<number>, tol: Tolerance): boolean {
  for (let i = 0; i < b.length; i++) {
    const slack = 1e-3 * Math.abs(b[i]!) + 10 * (tol.atol + tol.rtol * Math.abs(b[i]!));
    if (!(Math.abs(a[i]! - b[i]!) <= slack)) return false;
  }
  return a.length === b.length;
}

function transpose(data: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c]!;
  return out;
}

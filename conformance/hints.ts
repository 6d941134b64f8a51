// Known signatures of wrong implementations, read from the comparator's facts about a failing tensor:
// a wrong reduction (scaled by the batch size or element count), a sign flip, a transposed result,
// ReLU'(0) ≠ 0, exp overflow, an input mutated in place. A hint is a guess; the message states the
// facts anyway. What is particular to an op comes from the table in op-hints.ts.
import type { Optimizer, Tolerance } from '../spec/types/fixture';
import type { Tensor, TensorMap } from './implementation';
import type { LoadedFixture } from './loader';
import { opHints } from './op-hints';
import type { TensorMismatch, TensorPlace } from './results';

/** What a hint may know about the case beyond the failing tensor. */
export interface HintCase {
  op: string;
  inputs: TensorMap;
  params: TensorMap;
  gradOutput?: TensorMap;
  /** The update ran one plain SGD step: the params before it are what the updated params are one step away from. */
  singleStep?: boolean;
  /** The update's optimizer, when the case has one. */
  optimizer?: Optimizer;
  /** The case compares optimizer state, and none of it mismatched: a params mismatch is then the step's fault. */
  stateMatched?: boolean;
}

export function hintCase(loaded: LoadedFixture): HintCase {
  const gradOutput = loaded.backward?.grad_output;
  return {
    op: loaded.op,
    inputs: loaded.inputs,
    params: loaded.params,
    ...(gradOutput ? { gradOutput } : {}),
    ...(loaded.update?.optimizer.steps === 1 && loaded.update.optimizer.type === 'sgd' && !loaded.update.state ? { singleStep: true } : {}),
    ...(loaded.update ? { optimizer: loaded.update.optimizer } : {}),
  };
}

/** Marks the case's state comparison as clean when it has state and none of `found` is a state tensor. */
export function withStateVerdict(c: HintCase, loaded: LoadedFixture, found: readonly TensorMismatch[]): HintCase {
  return loaded.update?.state ? { ...c, stateMatched: !found.some((m) => m.stateKind !== undefined) } : c;
}

/** The hint for a failing tensor, or undefined when its failure has no known signature. */
export function hintFor(m: TensorMismatch, c: HintCase): string | undefined {
  switch (m.kind) {
    case 'mutated':
      return `input mutated in place: ${m.label}`;
    case 'shape':
      return shapeHint(m.expected, m.actual, m, c);
    case 'values':
      return valueHint(m.expected, m.actual, m.tolerance, m.unexpectedNonFinite, m, c) ?? optimizerHint(m, c);
    default:
      return undefined;
  }
}

/**
 * A state tensor (momentum_buffer, exp_avg, exp_avg_sq) that differs: the rule that updates it. Params
 * that differ while the state matches: the step taken from the state.
 */
function optimizerHint(m: TensorPlace, c: HintCase): string | undefined {
  const o = c.optimizer;
  if (!o || m.stage !== 'update') return undefined;
  if (m.stateKind) {
    const after = `${m.stateKind} differs after ${o.steps} step${o.steps === 1 ? '' : 's'}: the optimizer's state update is wrong`;
    if (o.type === 'sgd') return `${after} (the buffer starts as the first gradient itself, not at zero, then μ·buf + (1 − dampening)·g, with g = grad + weight_decay·p)`;
    if (o.type === 'adam') return `${after} (m ← β1·m + (1 − β1)·g, v ← β2·v + (1 − β2)·g², with g = grad + weight_decay·p: Adam's decay is coupled)`;
    return `${after} (m ← β1·m + (1 − β1)·g, v ← β2·v + (1 − β2)·g² with g the raw gradient: AdamW's decay is decoupled and never enters the moments)`;
  }
  if (!c.stateMatched || m.label === 'losses') return undefined;
  if (o.type === 'sgd') return 'the momentum buffer matches but the params do not: the step from it is wrong (p ← p − lr·buf, or p − lr·(g + μ·buf) with nesterov)';
  const decay = o.type === 'adamw' ? '; p·(1 − lr·weight_decay) before the step' : '';
  return `the moments match but the params do not: the step from them is wrong (lr/(1 − β1^t) and √v/√(1 − β2^t) + ε: bias-corrected with t counting from 1, ε outside the square root${decay})`;
}

/** For a shape mismatch: the transposed shape, or a [1] where a scalar [] is due. */
function shapeHint(expected: Tensor, actual: Tensor, place: TensorPlace, c: HintCase): string | undefined {
  const e = expected.shape;
  const a = actual.shape;
  if (e.length === 2 && a.length === 2 && e[0] !== e[1] && a[0] === e[1] && a[1] === e[0]) return transposedHint(place, c);
  if (e.length === 0 && a.length > 0 && a.every((d) => d === 1)) return `${place.label} must be a scalar of shape [], not [${a.join(', ')}]`;
  return undefined;
}

/** For a values mismatch of same-shaped tensors. */
function valueHint(expected: Tensor, actual: Tensor, tolerance: Tolerance, unexpectedNonFinite: number, place: TensorPlace, c: HintCase): string | undefined {
  const facts = opHints(c.op);
  if (unexpectedNonFinite > 0) return facts.exp ? 'overflow: subtract the row max before exp' : undefined;
  if (facts.zeroGradAtZero && reluAtZero(expected, actual, tolerance, place, c)) return "ReLU'(0) must be 0: where x = 0 the gradient is 0, not grad_output";

  // Scale and sign patterns are about the step when the tensor is one step away from another.
  const E = expected.data;
  const A = actual.data;
  const base = baseline(place, c);
  let e: ArrayLike<number> = E;
  let a: ArrayLike<number> = A;
  if (base && base.data.length === E.length) {
    e = Float64Array.from(E, (v, i) => v - base.data[i]!);
    a = Float64Array.from(A, (v, i) => v - base.data[i]!);
  }
  const step = base ? ' (in the step p ← p − lr·∇p)' : '';
  const label = place.label;

  const [rows, cols] = expected.shape;
  if (expected.shape.length === 2 && rows! > 1 && cols! > 1) {
    const eT = transpose(e, rows!, cols!);
    if (close(a, eT, tolerance) && !close(e, eT, tolerance)) return transposedHint(place, c);
  }
  if (scaledBy(a, e, -1, tolerance)) return `sign flip: ${label} ≈ −expected${step}`;

  const first = Object.values(c.inputs)[0];
  const B = first && first.shape.length > 0 ? first.shape[0]! : 1;
  const N = first ? first.data.length : 1;
  const factors: [number, string][] = [];
  if (B > 1) {
    factors.push([B, `wrong reduction: ${label} is ${B}× the expected (batch B = ${B}): summed instead of averaged over the batch${step}`]);
    factors.push([1 / B, `wrong reduction: ${label} is 1/${B} of the expected (batch B = ${B}): averaged instead of summed over the batch${step}`]);
  }
  if (N > 1 && N !== B) {
    factors.push([N, `wrong reduction: ${label} is ${N}× the expected (N = ${N} elements): summed instead of averaged over all elements${step}`]);
    factors.push([1 / N, `wrong reduction: ${label} is 1/${N} of the expected (N = ${N} elements): averaged instead of summed${step}`]);
    if (B > 1) {
      factors.push([N / B, `wrong reduction: ${label} is ${N / B}× the expected: averaged over the batch only (B = ${B}), the mean is over all N = ${N} elements${step}`]);
      factors.push([B / N, `wrong reduction: ${label} is 1/${N / B} of the expected: averaged over all N = ${N} elements instead of over the batch (B = ${B})${step}`]);
    }
  }
  if (facts.squaredError && B !== 2 && N !== 2) {
    factors.push([2, `off by a factor of 2: d/dy (y − t)² = 2(y − t)${step}`]);
    factors.push([0.5, `off by a factor of 1/2: d/dy (y − t)² = 2(y − t), the 2 is part of the gradient${step}`]);
  }
  // A scalar loss seed s ≠ ±1 that the backward dropped leaves every gradient 1/s of the expected: checked
  // first, as the likelier story when 1/s is also another signature's factor (s = ½ and mse's 2).
  const seed = place.stage === 'backward' ? c.gradOutput?.loss : undefined;
  const s0 = seed && seed.data.length === 1 ? seed.data[0]! : 1;
  if (s0 !== 0 && Math.abs(s0) !== 1) {
    const shown = String(Number(s0.toPrecision(6)));
    factors.unshift([1 / s0, `${label} is 1/${shown} of the expected: the loss seed grad_output.loss = ${shown} was not multiplied in`]);
  }
  for (const [s, hint] of factors) if (scaledBy(a, e, s, tolerance)) return hint;
  return undefined;
}

/** What this tensor is one step away from: the input an op's output steps from (sgd), or the params before a single update. */
function baseline(place: TensorPlace, c: HintCase): Tensor | undefined {
  if (place.stage === 'forward') {
    const from = opHints(c.op).stepsFrom?.[place.name];
    return from === undefined ? undefined : c.inputs[from];
  }
  if (place.stage === 'update' && c.singleStep) return c.params[place.name];
  return undefined;
}

function transposedHint(place: TensorPlace, c: HintCase): string {
  const known = opHints(c.op).transposed;
  const applies = known && (!known.names || known.names.test(place.name)) && (!known.stages || known.stages.includes(place.stage));
  return applies ? `${place.label} looks transposed (${known.note})` : `${place.label} looks transposed`;
}

/** Every failing element sits where the op's input is exactly ±0, and equals grad_output there. */
function reluAtZero(expected: Tensor, actual: Tensor, tol: Tolerance, place: TensorPlace, c: HintCase): boolean {
  if (place.stage !== 'backward' || !c.gradOutput) return false;
  const x = c.inputs[place.name];
  const n = expected.data.length;
  if (!x || x.data.length !== n) return false;
  const g = Object.values(c.gradOutput).find((t) => t.data.length === n);
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

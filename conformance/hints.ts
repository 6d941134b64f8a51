// Known signatures of wrong implementations, read from the facts of evidence.ts about a failing
// tensor, each hint stating its evidence: a constant ratio and every cause it fits (factor-hints.ts), a
// sign flip, an unchanged param, permuted axes, where the failing elements sit and what is not finite
// (pattern-hints.ts), an input mutated in place, a wrong optimizer state. The message states the facts
// anyway; what is particular to an op comes from the table in op-hints.ts.
import type { Optimizer } from '../spec/types/fixture';
import { evidenceOf, permutationOf, sameFactor } from './evidence';
import { ratioHint, roleOf } from './factor-hints';
import type { Tensor, TensorMap } from './implementation';
import type { LoadedFixture } from './loader';
import { fmt } from './messages';
import { opHints } from './op-hints';
import { axisHint, elementHint, nonFiniteHint, summedAxisHint } from './pattern-hints';
import type { TensorMismatch, TensorPlace } from './results';

/** What a hint may know about the case beyond the failing tensor. */
export interface HintCase {
  op: string;
  attributes: Readonly<Record<string, unknown>>;
  inputs: TensorMap;
  params: TensorMap;
  gradOutput?: TensorMap;
  /** The update ran one plain SGD step: the params before it are what the updated params are one step away from. */
  singleStep?: boolean;
  /** The update's optimizer, when the case has one. */
  optimizer?: Optimizer;
  /** The case compares optimizer state, and none of it mismatched: a params mismatch is then the step's fault. */
  stateMatched?: boolean;
  hasBackward?: boolean;
  /** The labels of every failing tensor of the case, once the whole reply is compared. */
  failed?: readonly string[];
}

export function hintCase(loaded: LoadedFixture): HintCase {
  const gradOutput = loaded.backward?.grad_output;
  return {
    op: loaded.op,
    attributes: loaded.fixture.attributes as Record<string, unknown>,
    inputs: loaded.inputs,
    params: loaded.params,
    ...(gradOutput ? { gradOutput, hasBackward: true } : {}),
    ...(loaded.update?.optimizer.steps === 1 && loaded.update.optimizer.type === 'sgd' && !loaded.update.state ? { singleStep: true } : {}),
    ...(loaded.update ? { optimizer: loaded.update.optimizer } : {}),
  };
}

/** What comparing the whole reply found: which tensors failed, and whether the optimizer state (when compared) matched. */
export function withStateVerdict(c: HintCase, loaded: LoadedFixture, found: readonly TensorMismatch[]): HintCase {
  const failed = found.map((m) => m.label);
  return loaded.update?.state ? { ...c, failed, stateMatched: !found.some((m) => m.stateKind !== undefined) } : { ...c, failed };
}

/** The hint for a failing tensor, or undefined when its failure has no known signature. */
export function hintFor(m: TensorMismatch, c: HintCase): string | undefined {
  switch (m.kind) {
    case 'mutated':
      return `input mutated in place: ${m.label}`;
    case 'shape':
      return shapeHint(m, c);
    case 'values':
      return m.stateKind ? stateHint(m, c) : (valueHint(m, c) ?? optimizerHint(m, c));
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
    // After several steps with the param wrong too, the state may be right but fed gradients of wrong params: say both.
    const earlier = o.steps > 1 && c.failed?.includes(m.name) ? `; or an earlier step left ${m.name} wrong, and the gradients taken from it` : '';
    if (o.type === 'sgd') return `${after} (the buffer starts as the first gradient itself, not at zero, then μ·buf + (1 − dampening)·g, with g = grad + weight_decay·p)${earlier}`;
    if (o.type === 'adam') return `${after} (m ← β1·m + (1 − β1)·g, v ← β2·v + (1 − β2)·g², with g = grad + weight_decay·p: Adam's decay is coupled)${earlier}`;
    return `${after} (m ← β1·m + (1 − β1)·g, v ← β2·v + (1 − β2)·g² with g the raw gradient: AdamW's decay is decoupled and never enters the moments)${earlier}`;
  }
  if (!c.stateMatched || m.label === 'losses') return undefined;
  if (o.type === 'sgd') return 'the momentum buffer matches but the params do not: the step from it is wrong (p ← p − lr·buf, or p − lr·(g + μ·buf) with nesterov)';
  const decay = o.type === 'adamw' ? '; p·(1 − lr·weight_decay) before the step' : '';
  return `the moments match but the params do not: the step from them is wrong (lr/(1 − β1^t) and √v/√(1 − β2^t) + ε: bias-corrected with t counting from 1, ε outside the square root${decay})`;
}

/** An optimizer state tensor: the rule that updates it, after the ratio when one constant fits. */
function stateHint(m: Mismatch<'values'>, c: HintCase): string | undefined {
  const r = evidenceOf(m.expected, m.actual, m.tolerance).ratio;
  const rule = optimizerHint(m, c);
  return r === undefined || r === 0 || !rule ? rule : `every element of ${m.label} is ${fmt(r)}× the expected; ${rule}`;
}

type Mismatch<K extends TensorMismatch['kind']> = Extract<TensorMismatch, { kind: K }>;

/** For a shape mismatch: the expected with its axes permuted, a bias summed over other axes, or a [1] where a scalar [] is due. */
function shapeHint(m: Mismatch<'shape'>, c: HintCase): string | undefined {
  const { expected, actual } = m;
  const e = expected.shape;
  const a = actual.shape;
  const axes = permutationOf(expected, actual, LOOSE);
  if (axes) return transposedHint(m, c, axes);
  if (e.length === 2 && a.length === 2 && e[0] !== e[1] && a[0] === e[1] && a[1] === e[0]) return transposedHint(m, c);
  const summed = summedAxisHint(expected, actual, LOOSE, m, c);
  if (summed) return summed;
  if (e.length === 0 && a.length > 0 && a.every((d) => d === 1)) return `${m.label} must be a scalar of shape [], not [${a.join(', ')}]`;
  return undefined;
}

/** A shape mismatch carries no tolerance: patterns in it are matched to 1e-6. */
const LOOSE = { rtol: 1e-6, atol: 1e-9 };

/** For a values mismatch of same-shaped tensors: the evidence, read in order from the most specific. */
function valueHint(m: Mismatch<'values'>, c: HintCase): string | undefined {
  const { expected, actual, tolerance, label } = m;
  const base = baseline(m, c);
  const ev = evidenceOf(expected, actual, tolerance, base);
  const role = roleOf(m, base !== undefined);
  const { nan, posInf, negInf } = ev.nonFinite;
  if (nan + posInf + negInf > 0) return nonFiniteHint(ev, actual, m, role, c);
  if (ev.unchanged) return m.stage === 'update' ? `${label} is unchanged: the update was not applied to ${label}` : `${label} equals ${opHints(c.op).stepsFrom?.[m.name]}: the step was not applied`;
  const axes = permutationOf(expected, actual, tolerance);
  if (axes) return transposedHint(m, c, axes);
  const r = ev.ratio;
  if (r !== undefined) {
    if (r === 0) return `${label} is 0 in every element where the expected is not: ${role === 'gradient' ? `no gradient reached ${label}` : 'nothing was written'}`;
    if (sameFactor(r, -1)) return role === 'step' ? `sign flip: the step of ${label} goes the wrong way (p + lr·∇p instead of p ← p − lr·∇p)` : `sign flip: ${label} = −1 × the expected in every element`;
    return ratioHint(r, expected, m, role, c);
  }
  const pattern = elementHint(ev, expected, actual, tolerance, m, c) ?? axisHint(actual, tolerance, m, c) ?? summedAxisHint(expected, actual, tolerance, m, c);
  if (pattern) return pattern;
  if (ev.zeroWhereExpected > 0 && ev.zeroWhereExpected === ev.failing.length) {
    return `${label} is 0 at ${ev.zeroWhereExpected} of ${ev.total} elements where the expected is not, and right elsewhere`;
  }
  if (ev.nonZeroWhereZero > 0 && ev.nonZeroWhereZero === ev.failing.length && ev.failing.length < ev.total) {
    const note = opHints(c.op).extraNonZero;
    return `${label} is non-zero at ${ev.nonZeroWhereZero} of ${ev.total} elements where the expected is 0, and right elsewhere${note ? `: ${note}` : ''}`;
  }
  return undefined;
}

/** What this tensor is one step away from: the input an op's output steps from (sgd), or the params before a single update. */
function baseline(place: TensorPlace, c: HintCase): Tensor | undefined {
  if (place.stage === 'forward') {
    const from = opHints(c.op).stepsFrom?.[place.name];
    return from === undefined ? undefined : c.inputs[from];
  }
  if (place.stage === 'update' && c.singleStep && place.stateKind === undefined) return c.params[place.name];
  return undefined;
}

function transposedHint(place: TensorPlace, c: HintCase, axes?: readonly number[]): string {
  const known = opHints(c.op).transposed;
  const applies = known && (!known.names || known.names.test(place.name)) && (!known.stages || known.stages.includes(place.stage));
  const which = axes && axes.length > 2 ? ` (axes in the order (${axes.join(', ')}) of the expected)` : '';
  return applies ? `${place.label} looks transposed${which} (${known.note})` : `${place.label} looks transposed${which}`;
}

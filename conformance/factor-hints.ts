// A constant ratio r = actual/expected, read as evidence: every known cause whose factor equals r is
// listed (when B = 2 and N/B = 2 both fit, both are named, never one guessed), in words that fit the
// tensor's role — a loss value, a gradient, or an update step — and a plain "r× the expected" when no
// known cause fits.
import type { Optimizer } from '../spec/types/fixture';
import type { Tensor, TensorMap } from './implementation';
import { sameFactor } from './evidence';
import { fmt } from './messages';
import { opHints, type KnownFactor, type Reduction } from './op-hints';
import type { TensorPlace } from './results';

/** What the tensor is, for wording: a loss value, a gradient, a step (it is one step away from a known tensor), or another value. */
export type Role = 'loss' | 'gradient' | 'step' | 'value';

export interface FactorCase {
  op: string;
  attributes: Readonly<Record<string, unknown>>;
  inputs: TensorMap;
  gradOutput?: TensorMap;
  optimizer?: Optimizer;
}

type Cause = KnownFactor;

export function roleOf(place: TensorPlace, stepped: boolean): Role {
  if (stepped) return 'step';
  if (place.label === 'losses' || (place.stage === 'forward' && place.name === 'loss')) return 'loss';
  return place.stage === 'backward' ? 'gradient' : 'value';
}

/**
 * The hint for a tensor that is r× the expected (r ≠ 1, 0, −1). Without a known cause, a constant
 * ratio is evidence only over two or more non-zero elements (any one number is a multiple of another).
 */
export function ratioHint(r: number, expected: Tensor, place: TensorPlace, role: Role, c: FactorCase): string | undefined {
  const fits = causes(place, role, c).filter((k) => sameFactor(r, k.value));
  const subject = role === 'step' ? `the step of ${place.label}` : expected.data.length > 1 ? `every element of ${place.label}` : place.label;
  const head = `${subject} is ${fmt(r)}× the expected`;
  if (fits.length === 0) {
    if (Array.prototype.filter.call(expected.data, (v: number) => v !== 0).length < 2) return undefined;
    return role === 'step' ? `${head}: check lr and whether the gradients are averaged` : `${head}: a constant factor is missing or extra`;
  }
  const formulas = [...new Set(fits.map((k) => k.formula))].join(' = ');
  const symbols = [...new Set(fits.flatMap((k) => k.symbols))];
  const bound = symbols.length ? `, ${symbols.join(', ')}` : '';
  const step = role === 'step' ? ' (in the gradients the step is taken from)' : '';
  return `${head} (= ${formulas}${bound}): ${fits.map((k) => k.cause).join(', or ')}${fits.some((k) => k.formula.includes('lr')) ? '' : step}`;
}

/** Every known cause of a constant factor for this tensor. */
function causes(place: TensorPlace, role: Role, c: FactorCase): Cause[] {
  const facts = opHints(c.op);
  const out: Cause[] = [];
  const reduction = facts.reduction?.(c.attributes);
  if (reduction && applies(reduction, place)) out.push(...reductionCauses(reduction, role, c));
  if (facts.squaredError?.(c.attributes) && role !== 'loss' && role !== 'value') {
    out.push({ value: 0.5, formula: '1/2', symbols: [], cause: 'the 2 of d/dy (y − t)² = 2(y − t) is missing' });
    out.push({ value: 2, formula: '2', symbols: [], cause: 'the 2 of d/dy (y − t)² = 2(y − t) is applied twice' });
  }
  out.push(...(facts.ownFactors?.(c.attributes) ?? []));
  // A scalar loss seed s ≠ ±1 that the backward dropped leaves every gradient 1/s of the expected.
  const seed = place.stage === 'backward' ? c.gradOutput?.loss : undefined;
  const s = seed && seed.data.length === 1 ? seed.data[0]! : 1;
  if (s !== 0 && Math.abs(s) !== 1) {
    const shown = fmt(s, 6);
    out.push({ value: 1 / s, formula: '1/s', symbols: [`s = ${shown}`], cause: `the loss seed grad_output.loss = ${shown} was not multiplied in` });
  }
  const lr = role === 'step' ? learningRate(c) : undefined;
  if (lr !== undefined && lr !== 0 && lr !== 1) {
    out.push({ value: lr, formula: 'lr', symbols: [`lr = ${fmt(lr, 6)}`], cause: 'lr applied twice (a step of lr²·∇p)' });
    out.push({ value: 1 / lr, formula: '1/lr', symbols: [`lr = ${fmt(lr, 6)}`], cause: 'lr not applied (a step of ∇p)' });
  }
  return out;
}

function applies(r: Reduction, place: TensorPlace): boolean {
  return (!r.names || r.names.test(place.name)) && (!r.stages || r.stages.includes(place.stage)) && place.stateKind === undefined;
}

function reductionCauses(r: Reduction, role: Role, c: FactorCase): Cause[] {
  const t = c.inputs[r.over];
  if (!t) return [];
  const B = t.shape.length > 0 ? t.shape[0]! : 1;
  const N = t.data.length;
  const b = [`B = ${B}`];
  const n = [`N = ${N}`];
  const bn = [`N = ${N}`, `B = ${B}`];
  const out: Cause[] = [];
  const add = (ok: boolean, value: number, formula: string, symbols: string[], cause: string) => ok && out.push({ value, formula, symbols, cause });
  switch (r.kind) {
    case 'mean-batch':
      add(B > 1, B, 'B', b, 'summed instead of averaged over the batch');
      add(N !== B, B / N, 'B/N', bn, 'averaged over all N elements instead of over the batch');
      break;
    case 'mean-elements':
      add(N > 1, N, 'N', n, 'summed instead of averaged over all N elements');
      add(B > 1 && N !== B, N / B, 'N/B', bn, 'averaged over the batch only instead of over all N elements');
      add(N !== 2 && opHints(c.op).squaredError?.(c.attributes) === true, N / 2, 'N/2', n, '½·Σ(y − t)² instead of the mean of (y − t)²');
      break;
    case 'sum-batch':
      add(B > 1, 1 / B, '1/B', b, 'averaged instead of summed over the batch');
      break;
    case 'sum-elements':
      add(N > 1, 1 / N, '1/N', n, 'averaged instead of summed over all N elements');
      add(B > 1 && N !== B, 1 / B, '1/B', b, 'averaged over the batch instead of summed');
      break;
  }
  return out;
}

function learningRate(c: FactorCase): number | undefined {
  if (c.optimizer) return c.optimizer.lr;
  return typeof c.attributes.lr === 'number' ? c.attributes.lr : undefined;
}

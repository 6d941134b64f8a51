// A fixture's `rules` map: the rule defining each checked tensor. The registry's default
// (spec/ops.json `rules`) is overridden by the op's case file where a case's attributes or optimizer
// change the formula (OpGraphs.rules), then by the case itself (CaseSpec.rules). Every cited anchor
// must exist on its page, so a typo cannot send an implementer to the wrong formula.
import type { Fixture, Optimizer } from '../spec/types/fixture';
import { isOpName, OPS, type OpName } from '../spec/registry';
import { checkedPlaces, pageAnchors, parseRule } from '../spec/rules';

/** Place → anchor on the op's page ('backward.grad_params.b' → 'b3'); `update.state` stands for every state tensor. */
export type RuleChoices = Partial<Record<string, string>>;

/** What an op's rule choice may depend on. */
export interface RuleContext {
  /** The case's attribute, or the registry's default when the case leaves it out. */
  attribute(name: string): unknown;
  /** Whether the case gives this (optional) input. */
  hasInput(name: string): boolean;
  /** The number of axes of an input (0 when absent). */
  inputRank(name: string): number;
  /** Whether the case declares this feature (e.g. 'extreme-values', 'exact-tie': the special rule it pins). */
  hasFeature(name: string): boolean;
  optimizer?: Optimizer;
}

/** Plain SGD (p ← p − lr·∇p) as opposed to momentum, weight decay, Adam or AdamW. */
export function isPlainSgd(o: Optimizer): boolean {
  return o.type === 'sgd' && !o.momentum && !o.dampening && !o.nesterov && !o.weight_decay;
}

/** The registry key a place falls back to: mlp's W1 → W{layer}; any state tensor → update.state. */
function registryKey(place: string, defaults: Readonly<Record<string, string>>): string | undefined {
  if (place in defaults) return place;
  if (place.startsWith('update.state.')) return 'update.state';
  const layered = place.replace(/[0-9]+$/, '{layer}');
  return layered in defaults ? layered : undefined;
}

/**
 * The `rules` of a fixture being built (its tensors already in place), as `<op>#<anchor>`: the
 * registry's default, then the op's choice for this case, then the case's own (which must name a
 * tensor the fixture checks).
 */
export function fixtureRules(fixture: Omit<Fixture, 'rules'>, opChoice: RuleChoices = {}, caseChoice: RuleChoices = {}): Fixture['rules'] {
  const op = fixture.op as OpName;
  const defaults = OPS[op].rules;
  const places = checkedPlaces(fixture);
  const stray = Object.keys(caseChoice).filter((p) => !places.includes(p));
  if (stray.length) throw new Error(`${fixture.id}: the case's rules name ${stray.join(', ')}, which the fixture does not check (it checks ${places.join(', ')})`);
  const rules: Fixture['rules'] = {};
  for (const place of places) {
    const key = registryKey(place, defaults);
    const anchor = caseChoice[place] ?? (key === undefined ? undefined : (opChoice[place] ?? opChoice[key] ?? defaults[key]));
    if (!anchor) throw new Error(`${fixture.id}: no rule for ${place}: add it to ${op}'s "rules" in spec/ops.json`);
    const rule = anchor.includes('#') ? anchor : `${op}#${anchor}`;
    const ref = parseRule(rule);
    if (!ref || !isOpName(ref.op) || !pageAnchors(ref.op).includes(ref.anchor)) {
      throw new Error(`${fixture.id}: ${place} cites ${rule}, but spec/ops/${ref?.op ?? op}.md has no rule '${ref?.anchor ?? anchor}'`);
    }
    rules[place] = rule;
  }
  return rules;
}

/** A context over a case's attributes (registry defaults filled in), inputs and declared features. */
export function ruleContext(
  op: OpName,
  attributes: Record<string, unknown>,
  inputs: Record<string, { shape: readonly number[] }>,
  features: readonly string[],
  optimizer?: Optimizer,
): RuleContext {
  return {
    attribute: (name) => attributes[name] ?? OPS[op].attributes[name]?.default,
    hasInput: (name) => name in inputs,
    inputRank: (name) => inputs[name]?.shape.length ?? 0,
    hasFeature: (name) => features.includes(name),
    optimizer,
  };
}

/**
 * softmax and log_softmax: a rank ≥ 3 input pins f2 (the last axis only). The extreme-logits cases keep the formula
 * rules (f1, b1): a wrong formula fails there too, and an overflow gets its own hint (subtract the row max).
 */
export function lastAxisRules(c: RuleContext): RuleChoices {
  return c.inputRank('x') >= 3 ? { 'forward.y': 'f2' } : {};
}

/** The losses with a `reduction`: the registry cites the mean's rules (f2, b2); `sum` has f1 and b1. */
export function reductionRules(input: string): (c: RuleContext) => RuleChoices {
  return (c) => (c.attribute('reduction') === 'sum' ? { 'forward.loss': 'f1', [`backward.grad_inputs.${input}`]: 'b1' } : {});
}

// The runner's side of a fixture's `rules` (spec/rules.ts): the loader's check that they cover
// exactly the checked tensors, and `--rule`, which selects the cases that check a rule.
import type { Fixture } from '../spec/types/fixture';
import { isOpName, OP_NAMES } from '../spec/registry';
import { checkedPlaces, pageAnchors, parseRule } from '../spec/rules';

interface Problem {
  jsonPath: string;
  message: string;
}

/** `rules` names every checked tensor once, and nothing else: a tensor without a rule would fail citing none. */
export function ruleProblems(f: Fixture): Problem[] {
  const checked = checkedPlaces(f);
  const missing = checked.filter((p) => !Object.prototype.hasOwnProperty.call(f.rules, p));
  const extra = Object.keys(f.rules).filter((p) => !checked.includes(p));
  const problems: Problem[] = [];
  if (missing.length) problems.push({ jsonPath: '/rules', message: `has no rule for ${missing.join(', ')}, which the fixture checks` });
  if (extra.length) problems.push({ jsonPath: '/rules', message: `names ${extra.join(', ')}, which the fixture does not check` });
  for (const [place, rule] of Object.entries(f.rules)) {
    const op = parseRule(rule)?.op;
    if (!isOpName(op)) problems.push({ jsonPath: `/rules/${place}`, message: `cites ${rule}, but '${op}' is not an op of spec/ops.json` });
  }
  return problems;
}

/**
 * A `--rule` value, `linear#b3` or `spec/ops/linear.md#b3`, as `linear#b3`; throws an Error whose
 * message says what to pass when the op or the anchor does not exist.
 */
export function parseRuleOption(text: string): string {
  const ref = parseRule(text.trim());
  if (!ref) throw new Error(`--rule '${text}' is not a rule: pass <op>#<anchor> or its link, e.g. --rule linear#b3 or --rule spec/ops/linear.md#b3`);
  if (!isOpName(ref.op)) throw new Error(`--rule '${text}' names op '${ref.op}', which is not an op; pass one of ${OP_NAMES.join(', ')}`);
  const anchors = pageAnchors(ref.op);
  if (!anchors.includes(ref.anchor)) throw new Error(`--rule '${text}': spec/ops/${ref.op}.md has no rule '${ref.anchor}'; its rules are ${anchors.join(', ')}`);
  return `${ref.op}#${ref.anchor}`;
}

/** Whether the fixture checks any of `rules` (`op#anchor`): one of its tensors' rules, or its headline. */
export function checksAnyRule(f: Fixture, rules: readonly string[]): boolean {
  const headline = parseRule(f.spec);
  const own = new Set([...Object.values(f.rules), ...(headline ? [`${headline.op}#${headline.anchor}`] : [])]);
  return rules.some((r) => own.has(r));
}

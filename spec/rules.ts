// A fixture's `rules`: which rule of which spec page defines each checked tensor, and the rule anchors
// each page has. Shared by the generator (tools/, which writes the map and the pages' fixture lists)
// and the runner (conformance/, which checks the map, cites it per failing tensor and selects by it).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Fixture } from './types/fixture';

/** A rule as fixtures write it, `linear#b3`: the op whose page holds it and the anchor. */
export interface RuleRef {
  op: string;
  anchor: string;
}

const SHORT = /^([a-z][a-z0-9_]*)#([fbus][0-9]+)$/;
const LINK = /^spec\/ops\/([a-z][a-z0-9_]*)\.md#([fbus][0-9]+)$/;

/** `linear#b3` or `spec/ops/linear.md#b3` → {op, anchor}; undefined for anything else. */
export function parseRule(text: string): RuleRef | undefined {
  const m = SHORT.exec(text) ?? LINK.exec(text);
  return m ? { op: m[1]!, anchor: m[2]! } : undefined;
}

/** `linear#b3` → `spec/ops/linear.md#b3`, the form failures and reports cite. */
export function ruleLink(rule: string): string {
  const ref = parseRule(rule);
  if (!ref) throw new Error(`'${rule}' is not a rule: expected <op>#<anchor> such as linear#b3`);
  return `spec/ops/${ref.op}.md#${ref.anchor}`;
}

type Checked = Pick<Fixture, 'forward' | 'backward' | 'update'>;

/**
 * Where each expected tensor of a fixture sits, in compare order: forward.<output>,
 * backward.grad_inputs.<input>, backward.grad_params.<param>, update.params.<param>, update.losses,
 * update.state.<state>.<param>. These are exactly the keys of its `rules`.
 */
export function checkedPlaces(f: Checked): string[] {
  const keys = (prefix: string, map: object | undefined) => Object.keys(map ?? {}).map((n) => `${prefix}.${n}`);
  const places = keys('forward', f.forward);
  if (f.backward) places.push(...keys('backward.grad_inputs', f.backward.grad_inputs), ...keys('backward.grad_params', f.backward.grad_params));
  if (f.update) {
    places.push(...keys('update.params', f.update.params));
    if (f.update.losses) places.push('update.losses');
    for (const [state, map] of Object.entries(f.update.state ?? {})) places.push(...keys(`update.state.${state}`, map));
  }
  return places;
}

/** The rule anchors of a spec page's markdown, in page order (`<a id="b3"></a>` → 'b3'). */
export function ruleIds(markdown: string): string[] {
  return [...markdown.matchAll(/<a id="([fbus][0-9]+)"><\/a>/g)].map((m) => m[1]!);
}

const anchorsByOp = new Map<string, string[]>();

/** The rule anchors of spec/ops/<op>.md (read once); the op must be in the registry. */
export function pageAnchors(op: string): string[] {
  let found = anchorsByOp.get(op);
  if (!found) anchorsByOp.set(op, (found = ruleIds(readFileSync(join(__dirname, 'ops', `${op}.md`), 'utf8'))));
  return found;
}

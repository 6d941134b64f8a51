// Keeps each spec/ops/<op>.md honest: fills its generated "Fixtures" list (between the markers, each
// fixture with the rules of the tensors it checks, its headline rule in bold) and reports rules no fixture
// cites and fixtures whose headline names a rule the page does not have (tools/rules.ts checks `rules`).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Fixture } from '../spec/types/fixture';
import { ruleIds } from '../spec/rules';

const BEGIN = '<!-- fixtures:begin -->';
const END = '<!-- fixtures:end -->';

export interface PageReport {
  page: string;
  problems: string[]; // make fixtures:check fail
  uncoveredRules: string[]; // reported, not fatal
  text?: string; // the page with its fixture list filled in
  changed: boolean;
}

/** The anchors of this page a fixture checks: its headline and each tensor's rule. */
function citedAnchors(f: Fixture): string[] {
  const own = Object.values(f.rules).filter((r) => r.startsWith(`${f.op}#`)).map((r) => r.split('#')[1]!);
  return [...new Set([f.spec.split('#')[1]!, ...own])];
}

/** Each fixture with the rules it checks in page order, its headline in bold. */
function fixtureList(fixtures: Fixture[], pageRules: string[]): string {
  const rows = fixtures.map((f) => {
    const headline = f.spec.split('#')[1];
    const cited = citedAnchors(f).sort((a, b) => pageRules.indexOf(a) - pageRules.indexOf(b));
    const rules = cited.map((r) => (r === headline ? `**[${r}](#${r})**` : `[${r}](#${r})`)).join(', ');
    return `- [\`${f.id}\`](../../fixtures/${f.id}.json) (${rules}) ${f.description}`;
  });
  return `${BEGIN}\n${rows.join('\n')}\n${END}`;
}

export function reviewPage(root: string, op: string, fixtures: Fixture[]): PageReport {
  const page = `spec/ops/${op}.md`;
  const path = join(root, page);
  if (!existsSync(path)) return { page, problems: [`${page} does not exist`], uncoveredRules: [], changed: false };
  const markdown = readFileSync(path, 'utf8');
  const problems: string[] = [];
  const rules = ruleIds(markdown);
  const cited = new Set(fixtures.flatMap(citedAnchors));
  for (const f of fixtures) {
    const rule = f.spec.split('#')[1]!;
    if (!rules.includes(rule)) problems.push(`${f.id} cites ${f.spec}, but ${page} has no rule '${rule}'`);
  }
  const start = markdown.indexOf(BEGIN);
  const end = markdown.indexOf(END);
  if (start < 0 || end < start) {
    problems.push(`${page} lacks the ${BEGIN} … ${END} markers`);
    return { page, problems, uncoveredRules: [], changed: false };
  }
  const text = markdown.slice(0, start) + fixtureList(fixtures, rules) + markdown.slice(end + END.length);
  return { page, problems, uncoveredRules: rules.filter((r) => !cited.has(r)), text, changed: text !== markdown };
}

export function writePage(root: string, report: PageReport): void {
  if (report.changed && report.text) writeFileSync(join(root, report.page), report.text);
}

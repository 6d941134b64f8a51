// Keeps each spec/ops/<op>.md honest: fills its generated "Fixtures" list (between the markers) and
// reports rules no fixture cites and fixtures that cite a rule the page does not have.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Fixture } from '../spec/types/fixture';

const BEGIN = '<!-- fixtures:begin -->';
const END = '<!-- fixtures:end -->';

export interface PageReport {
  page: string;
  problems: string[]; // make fixtures:check fail
  uncoveredRules: string[]; // reported, not fatal
  text?: string; // the page with its fixture list filled in
  changed: boolean;
}

export function ruleIds(markdown: string): string[] {
  return [...markdown.matchAll(/<a id="([fbus][0-9]+)"><\/a>/g)].map((m) => m[1]!);
}

function fixtureList(fixtures: Fixture[]): string {
  const rows = fixtures.map((f) => {
    const rule = f.spec.split('#')[1];
    return `- [\`${f.id}\`](../../fixtures/${f.id}.json) ([${rule}](#${rule})) ${f.description}`;
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
  const cited = new Set(fixtures.map((f) => f.spec.split('#')[1]!));
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
  const text = markdown.slice(0, start) + fixtureList(fixtures) + markdown.slice(end + END.length);
  return { page, problems, uncoveredRules: rules.filter((r) => !cited.has(r)), text, changed: text !== markdown };
}

export function writePage(root: string, report: PageReport): void {
  if (report.changed && report.text) writeFileSync(join(root, report.page), report.text);
}

// The README's op table (between the ops:begin/end markers), made from the registry and the corpus,
// so adding an op adds its row without a hand edit.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OP_NAMES, OPS } from '../spec/registry';
import type { Fixture } from '../spec/types/fixture';
import type { PageReport } from './spec-pages';

const BEGIN = '<!-- ops:begin -->';
const END = '<!-- ops:end -->';
const PAGE = 'README.md';

function table(fixtures: Fixture[]): string {
  const rows = OP_NAMES.map((op) => {
    const e = OPS[op];
    const cases = fixtures.filter((f) => f.op === op);
    const float32 = cases.filter((f) => f.dtype === 'float32').length;
    // A | in a summary (|z|) would end the table cell: escape it.
    return `| [\`${op}\`](spec/ops/${op}.md) | ${e.title}: ${e.summary.replace(/\|/g, '\\|')} | ${cases.length} (${float32} float32) | \`${e.equivalents.pytorch}\` |`;
  });
  return [BEGIN, '| op | what it computes | cases | PyTorch |', '| --- | --- | ---: | --- |', ...rows, END].join('\n');
}

/** The README with its op table filled in from every fixture of the corpus. */
export function reviewReadme(root: string, fixtures: Fixture[]): PageReport {
  const path = join(root, PAGE);
  const markdown = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const start = markdown.indexOf(BEGIN);
  const end = markdown.indexOf(END);
  if (start < 0 || end < start) return { page: PAGE, problems: [`${PAGE} lacks the ${BEGIN} … ${END} markers`], uncoveredRules: [], changed: false };
  const text = markdown.slice(0, start) + table(fixtures) + markdown.slice(end + END.length);
  return { page: PAGE, problems: [], uncoveredRules: [], text, changed: text !== markdown };
}

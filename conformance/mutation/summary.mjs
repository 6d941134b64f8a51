// Prints the Markdown for docs/mutation.md from the last run's reports/mutation/mutation.json: the
// counts and Stryker's score, any survivor or uncovered mutant left, then every mutant a
// `// Stryker disable` comment set aside, with the comment's reason. A comment names a mutator, so it also
// sets aside that mutator's other mutants on the line (a loop's `i >= n` beside the equivalent `i <= n`):
// given the report of a run before the comments, those the corpus killed then are marked.
// `node conformance/mutation/summary.mjs [earlier mutation.json]`
import { readFileSync } from 'node:fs';

const REPORT = 'reports/mutation/mutation.json';
/** The ignorer plugin's and Stryker's own reasons: listed as counts, not one by one. */
const BY_PLUGIN = /^(argument check|Static mutant)/;

const mutantsOf = (path) =>
  Object.entries(JSON.parse(readFileSync(path, 'utf8')).files).flatMap(([file, f]) => {
    const lines = f.source.split('\n').map((l) => l.trim());
    /** Which occurrence of its text a line is: two loops can read alike. */
    const nth = (i) => lines.slice(0, i).filter((l) => l === lines[i]).length;
    return f.mutants.map((m) => ({ ...m, file, line: lines[m.location.start.line - 1], nth: nth(m.location.start.line - 1) }));
  });
/** A mutant's identity across runs whose line numbers differ: file, the line's text and occurrence, mutator, replacement. */
const identity = (m) => [m.file, m.line, m.nth, m.mutatorName, m.replacement].join('\u0000');
const mutants = mutantsOf(REPORT);
const earlier = new Map(process.argv[2] ? mutantsOf(process.argv[2]).map((m) => [identity(m), m.status]) : []);
const killedEarlier = (m) => ['Killed', 'Timeout'].includes(earlier.get(identity(m)));
const count = (status) => mutants.filter((m) => m.status === status).length;
const [killed, timeout, survived, noCoverage] = ['Killed', 'Timeout', 'Survived', 'NoCoverage'].map(count);
const scored = killed + timeout + survived + noCoverage;
const percent = (n, d) => `${((100 * n) / d).toFixed(2)} %`;
/** One table cell of code: a replacement that kept a leading comment (a `case`'s) loses it. */
const code = (s) => '`' + s.split('\n').filter((l) => !l.trim().startsWith('//')).join(' ').replaceAll('|', '\\|').replaceAll('`', "'") + '`';
const where = (m) => code(`${m.file}:${m.location.start.line}:${m.location.start.column}`);

const ignored = mutants.filter((m) => m.status === 'Ignored');
const byComment = ignored.filter((m) => !BY_PLUGIN.test(m.statusReason ?? ''));
const out = [];
out.push('| measure | value |', '| --- | --- |');
out.push(`| mutants | ${mutants.length}: ${killed} killed, ${timeout} timed out, ${survived} survived, ${noCoverage} without coverage, ${count('CompileError')} not type-checking, ${ignored.length} ignored |`);
out.push(`| ignored as argument checks (plugin) / module-level code | ${ignored.filter((m) => (m.statusReason ?? '').startsWith('argument check')).length} / ${ignored.filter((m) => (m.statusReason ?? '').startsWith('Static')).length} |`);
out.push(`| ignored by a \`// Stryker disable\` comment (listed below) | ${byComment.length} |`);
out.push(`| **Stryker's mutation score** (killed + timeout) / (those + survived + no coverage) | **${percent(killed + timeout, scored)}** |`);
out.push(`| score on covered code | ${percent(killed + timeout, killed + timeout + survived)} |`);

const left = mutants.filter((m) => m.status === 'Survived' || m.status === 'NoCoverage');
out.push('', `### Survivors left (${left.length})`, '');
if (!left.length) out.push('None.');
else {
  out.push('| where | status | mutator | replacement | line |', '| --- | --- | --- | --- | --- |');
  for (const m of left) out.push(`| ${where(m)} | ${m.status} | ${m.mutatorName} | ${code(m.replacement ?? '')} | ${code(m.line.slice(0, 90))} |`);
}

const groups = new Map();
for (const m of byComment) groups.set(m.statusReason, [...(groups.get(m.statusReason) ?? []), m]);
const siblings = byComment.filter(killedEarlier).length;
out.push('', `### Set aside by a comment, with its reason (${byComment.length})`, '');
if (earlier.size) out.push(`${siblings} of them were killed before their line got its comment (marked ✝): a comment sets aside every mutant of its mutator on the line.`, '');
out.push('| where | mutator | replacement | reason |', '| --- | --- | --- | --- |');
for (const [reason, ms] of [...groups].sort((a, b) => a[1][0].file.localeCompare(b[1][0].file) || a[1][0].location.start.line - b[1][0].location.start.line)) {
  for (const m of ms) out.push(`| ${where(m)} | ${m.mutatorName} | ${code(m.replacement ?? '')}${killedEarlier(m) ? ' ✝' : ''} | ${reason} |`);
}
console.log(out.join('\n'));

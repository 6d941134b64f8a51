// Reads the JSON reports a dashboard is built from, and refuses any it could draw wrongly: not a file,
// not JSON, not a gradspec report (a fixture, a JUnit file), a report that left its passing cases
// out, one whose counts disagree with its cases, or one run on another fixture corpus.
import { readFileSync, statSync } from 'node:fs';
import { BROKEN_FIXTURE_SPEC } from '../broken-fixture';
import { displayPath } from '../loader';
import type { JsonReport } from '../reporters/json';
import { schemaValidator } from '../schemas';
import type { RunSummary } from '../runner';
import type { CorpusCase } from './corpus';

/** An input the dashboard cannot use; the message names the file and what to pass instead. */
export class ReportError extends Error {}

/** spec/report.schema.json, precompiled (`npm run types`). */
const validate = schemaValidator<JsonReport>('report');

const SUMMARY_KEYS: Record<keyof RunSummary, string> = { pass: 'pass', fail: 'fail', error: 'error', refused: 'refused', skip: 'skip', xfail: 'xfail', xpass: 'xpass', notRun: 'not-run' };

export function readReport(file: string, corpus: ReadonlyMap<string, CorpusCase>, corpusDir: string): JsonReport {
  const name = displayPath(file);
  const report = parseReport(file, name);
  if (report.onlyFailed) throw new ReportError(`${name} was written with --save-only-failed: the dashboard needs every case; rerun without --save-only-failed`);
  const seen = new Set<string>();
  for (const c of report.cases) {
    if (seen.has(c.id)) throw new ReportError(`${name} lists case ${c.id} twice: pass a report written by gradspec run --reporter json, unedited`);
    seen.add(c.id);
  }
  for (const [key, status] of Object.entries(SUMMARY_KEYS) as [keyof RunSummary, string][]) {
    const n = report.cases.filter((c) => c.status === status).length;
    if (report.summary[key] !== n) {
      throw new ReportError(`${name}: its summary counts ${report.summary[key]} ${status} but its cases hold ${n}; the file was edited or cut short, rerun gradspec run --reporter json`);
    }
  }
  checkCorpus(report, name, corpus, corpusDir);
  return report;
}

function parseReport(file: string, name: string): JsonReport {
  let text: string;
  try {
    if (!statSync(file).isFile()) throw new Error('not a regular file');
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ReportError(`${name}: cannot read it (${(e as Error).message.split('\n')[0]}); pass the JSON file gradspec run --reporter json=<path> wrote`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ReportError(`${name} is not JSON (${(e as Error).message}); pass the JSON file gradspec run --reporter json=<path> wrote, not the JUnit or HTML report`);
  }
  if (validate(json)) return json;
  const record = json !== null && typeof json === 'object' ? (json as Record<string, unknown>) : {};
  if ('inputs' in record && 'forward' in record) throw new ReportError(`${name} is a fixture, not a report: run it with gradspec run --reporter json=<path> and pass that file`);
  const problems = (validate.errors ?? []).slice(0, 3).map((e) => `${e.instancePath || '/'} ${e.message}`);
  throw new ReportError(`${name} is not a gradspec JSON report (${problems.join('; ')}); pass the file gradspec run --reporter json=<path> wrote`);
}

/** Every case must be one of the corpus's, citing the same rule: otherwise the rows would mix two corpora. */
function checkCorpus(report: JsonReport, name: string, corpus: ReadonlyMap<string, CorpusCase>, corpusDir: string): void {
  const foreign = report.cases.filter((c) => !corpus.has(c.id)).map((c) => c.id);
  if (foreign.length) {
    const some = foreign.slice(0, 3).join(', ') + (foreign.length > 3 ? ` and ${foreign.length - 3} more` : '');
    throw new ReportError(`${name} comes from another fixture corpus: ${some} ${foreign.length === 1 ? 'is' : 'are'} not in ${displayPath(corpusDir)}; pass --fixtures <the folder it was run on>`);
  }
  // A file that was broken when that run was made is its error case, whatever the file cites now.
  const moved = report.cases.find((c) => c.spec !== BROKEN_FIXTURE_SPEC && corpus.get(c.id)!.spec !== c.spec);
  if (moved) {
    throw new ReportError(`${name} comes from another version of the fixtures: ${moved.id} cites ${moved.spec} there but ${corpus.get(moved.id)!.spec} in ${displayPath(corpusDir)}; rerun that implementation on these fixtures`);
  }
}

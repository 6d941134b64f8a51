// What the HTML page shows, built from JSON reports (one for `--reporter html`, several for
// `gradspec dashboard`): the runs as columns, every case id as a row with each run's result in it.
// Plain data: render-page.ts embeds it as JSON and page.js draws it, so no text from an
// implementation is ever parsed as HTML.
import { existsSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import type { JsonCase, JsonReport } from '../reporters/json';
import type { RunSummary } from '../runner';

/** The package root: spec/ops/*.md are found from here. */
const PACKAGE_ROOT = join(__dirname, '..', '..');

export interface PageRun {
  /** The column header: the implementation's name, or the report's file name when two share one. */
  label: string;
  implementation: string;
  /** The report file the run came from ('' for --reporter html). */
  source: string;
  started: string;
  durationMs: number;
  summary: RunSummary;
  succeeded: boolean;
  interrupted: boolean;
  runError: string | null;
}

/** One case's result in one run, as the JSON report has it. */
export type PageResult = Pick<JsonCase, 'status' | 'durationMs' | 'message' | 'failures' | 'reason' | 'expectation'> & {
  /** The command that reruns this case alone, when the page knows it. */
  repro: string | null;
};

export interface PageCase {
  id: string;
  op: string;
  /** spec/ops/<op>.md#<rule>, as the report says. */
  spec: string;
  /** A link to the rule relative to the page, or null when the spec is not beside it (an installed copy). */
  specHref: string | null;
  features: string[];
  /** One per run, in the order of `runs`; null when that run did not include the case. */
  results: (PageResult | null)[];
}

export interface PageData {
  kind: 'report' | 'dashboard';
  title: string;
  generated: string;
  gradspecVersion: string;
  runs: PageRun[];
  /** Sorted by id (so by op). */
  cases: PageCase[];
}

export interface PageReport {
  report: JsonReport;
  source: string;
  /** The command that reruns one case of this run, when known. */
  repro?: (id: string) => string;
}

export interface PageOptions {
  kind: PageData['kind'];
  title: string;
  /** The file the page is written to: rule links are relative to it. */
  out: string;
  /** Features per case id (from the fixtures); a case not in it shows none. */
  features?: ReadonlyMap<string, readonly string[]>;
  now?: Date;
}

export function buildPageData(reports: readonly PageReport[], options: PageOptions): PageData {
  const labels = columnLabels(reports);
  const rows = new Map<string, PageCase>();
  reports.forEach(({ report, repro }, column) => {
    for (const c of report.cases) {
      let row = rows.get(c.id);
      if (!row) {
        row = { id: c.id, op: c.op, spec: c.spec, specHref: specHref(c.spec, options.out), features: [...(options.features?.get(c.id) ?? [])], results: reports.map(() => null) };
        rows.set(c.id, row);
      }
      row.results[column] = pageResult(c, repro);
    }
  });
  return {
    kind: options.kind,
    title: options.title,
    generated: (options.now ?? new Date()).toISOString(),
    gradspecVersion: reports[0]?.report.gradspec.version ?? 'unknown',
    runs: reports.map(({ report, source }, i) => ({
      label: labels[i]!,
      implementation: report.implementation.name,
      source,
      started: report.started,
      durationMs: report.durationMs,
      summary: report.summary,
      succeeded: report.succeeded,
      interrupted: report.interrupted,
      runError: report.runError,
    })),
    cases: [...rows.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
  };
}

function pageResult(c: JsonCase, repro: PageReport['repro']): PageResult {
  const { status, durationMs, message, failures, reason, expectation } = c;
  const judged = status !== 'pass' && status !== 'not-run' && status !== 'skip';
  return { status, durationMs, message, failures, reason, expectation, repro: repro && judged ? repro(c.id) : null };
}

/** Short column headers: the report file's name (out/tfjs.json → tfjs), or the implementation's name for a page of one run; the full path where two files share a name. */
function columnLabels(reports: readonly PageReport[]): string[] {
  const names = reports.map((r) => (r.source ? basename(r.source, '.json') : r.report.implementation.name));
  return names.map((name, i) => (names.indexOf(name) !== names.lastIndexOf(name) ? reports[i]!.source || `${name} ${i + 1}` : name));
}

/** The rule's file relative to the page, when this copy is a clone (an installed copy's page would point into node_modules). */
function specHref(spec: string, out: string): string | null {
  const [file, anchor] = spec.split('#');
  const abs = join(PACKAGE_ROOT, file!);
  if (PACKAGE_ROOT.split(sep).includes('node_modules') || !/^spec\/(ops\/)?[\w-]+\.md$/.test(file!) || !existsSync(abs)) return null;
  return relative(dirname(out), abs).split(sep).join('/') + (anchor ? `#${anchor}` : '');
}

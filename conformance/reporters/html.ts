// The HTML report of one run: a self-contained page (conformance/html/) with the summary, the pass
// rate per op, every case, and every failure with its worst element, hint, rule and repro command.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { buildPageData } from '../html/page-data';
import { renderPage } from '../html/render-page';
import type { Reporter } from '../runner';
import { buildJsonReport } from './json';

export const DEFAULT_HTML_PATH = 'reports/gradspec.html';

export interface HtmlReporterOptions {
  path: string;
  onlyFailed?: boolean;
  /** The command that reruns one case alone. */
  repro?: (id: string) => string;
}

export function createHtmlReporter(options: HtmlReporterOptions): Reporter & { path: string } {
  // The fixtures' features, seen as the cases start (the run's results do not carry them).
  const features = new Map<string, readonly string[]>();
  return {
    path: options.path,
    onCaseStart(fixture) {
      features.set(fixture.id, fixture.fixture.features);
    },
    finish(run) {
      const report = buildJsonReport(run, { onlyFailed: options.onlyFailed ?? false });
      const page = buildPageData([{ report, source: '', ...(options.repro ? { repro: options.repro } : {}) }], {
        kind: 'report',
        title: `gradspec report: ${run.implementation.name}`,
        out: options.path,
        features,
      });
      mkdirSync(dirname(options.path), { recursive: true });
      writeFileSync(options.path, renderPage(page));
    },
  };
}

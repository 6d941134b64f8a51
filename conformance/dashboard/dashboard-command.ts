// `gradspec dashboard a.json b.json … --out dashboard.html`: the JSON reports of several runs side
// by side in one self-contained page (op × case × implementation, pass rate per op, filters, each
// cell opening its failure detail). Exit 0 when written, 2 for a wrong command line or report.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { describeParseError } from '../cli/parse-error';
import { buildPageData } from '../html/page-data';
import { renderPage } from '../html/render-page';
import { displayPath, FIXTURES_DIR } from '../loader';
import { readCorpus } from './corpus';
import { readReport, ReportError } from './read-report';

export const DEFAULT_DASHBOARD_PATH = 'reports/dashboard.html';

export const DASHBOARD_USAGE = `Usage: gradspec dashboard <report.json>... [options]

Sets the JSON reports of several runs (gradspec run --reporter json=<path>) side by side in one
self-contained HTML page: a case × implementation matrix with the pass rate per op, filters by op,
feature and status, and each cell opening the case's failure detail.

Options:
  --out <file>         the page to write (default ${DEFAULT_DASHBOARD_PATH})
  --fixtures <dir>     the fixtures the runs used (default: this package's fixtures/); every report
                       must come from it
  --title <text>       the page's title (default: gradspec dashboard)
  -h, --help           this text

e.g. gradspec run --reporter json=out/ref.json && gradspec run --impl tfjs --reporter json=out/tfjs.json
     gradspec dashboard out/ref.json out/tfjs.json --out out/dashboard.html
`;

interface IO {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  cwd: string;
}

const defaultIO = (): IO => ({ stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() });

export function dashboardCommand(argv: readonly string[], ioOverrides: Partial<IO> = {}): number {
  const io: IO = { ...defaultIO(), ...ioOverrides };
  const fail = (message: string, usage = false): number => {
    // A short line, not the whole usage, so the error stays on screen.
    io.stderr.write(`gradspec dashboard: ${message}${usage ? ' (gradspec dashboard --help lists the options)' : ''}\n`);
    return 2;
  };
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { out: { type: 'string' }, fixtures: { type: 'string' }, title: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    const examples: Record<string, string> = { '--out': `--out ${DEFAULT_DASHBOARD_PATH}`, '--fixtures': '--fixtures fixtures', '--title': "--title 'Our layers'" };
    return fail(describeParseError(e, { options: ['--out', '--fixtures', '--title', '--help'], example: (option) => examples[option] ?? option }), true);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(DASHBOARD_USAGE);
    return 0;
  }
  if (positionals.length === 0) return fail('no report given: pass one or more JSON reports written by gradspec run --reporter json=<path>', true);
  if (values.out === '') return fail(`--out needs a path, e.g. --out ${DEFAULT_DASHBOARD_PATH}`, true);
  const out = resolve(io.cwd, values.out ?? DEFAULT_DASHBOARD_PATH);
  const fixtures = resolve(io.cwd, values.fixtures ?? FIXTURES_DIR);
  let corpus;
  try {
    corpus = readCorpus(fixtures);
  } catch (e) {
    return fail(`--fixtures ${displayPath(fixtures)}: ${(e as Error).message}; pass the folder holding <op>/<case>.json files`);
  }
  const reports = [];
  for (const file of positionals) {
    try {
      reports.push({ report: readReport(resolve(io.cwd, file), corpus, fixtures), source: file });
    } catch (e) {
      if (!(e instanceof ReportError)) throw e;
      return fail(e.message);
    }
  }
  const features = new Map([...corpus].map(([id, c]) => [id, c.features]));
  const page = buildPageData(reports, { kind: 'dashboard', title: values.title ?? 'gradspec dashboard', out, features });
  try {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, renderPage(page));
  } catch (e) {
    return fail(`could not write ${displayPath(out)} (${(e as Error).message.split('\n')[0]}); pass --out <a writable path>`);
  }
  const cases = page.cases.length;
  io.stdout.write(`dashboard: ${displayPath(out)} (${reports.length} run${reports.length === 1 ? '' : 's'}, ${cases} case${cases === 1 ? '' : 's'})\n`);
  return 0;
}

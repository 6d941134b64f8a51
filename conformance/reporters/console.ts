// The console report: a line per op as each op finishes (on a terminal, above a progress bar), then
// every failing case with its full message and a command that reruns it alone, then counts per status and per op.
import { SingleBar } from 'cli-progress';
import { CASE_STATUSES, FAILING, type CaseResult, type CaseStatus } from '../results';
import type { Reporter, RunResult, RunStartInfo } from '../runner';

export interface ConsoleReporterOptions {
  out: { write(text: string): unknown };
  /** Also list passing cases (and every skipped / expected-to-fail / not-run case one by one). */
  verbose?: boolean;
  /** 'bar' also draws a cli-progress bar on `barStream` (for a terminal), below the op lines; default 'lines'. */
  progress?: 'lines' | 'bar' | 'none';
  barStream?: NodeJS.WritableStream;
  /** The command that reruns one case, e.g. npx gradspec run --impl tfjs --id 'relu/random-3x4'. */
  repro?: (id: string) => string;
  /** Files the other reporters write, listed under the summary. */
  reports?: readonly string[];
  /** performance.now() when the command started, to show the wall time including loading. */
  startedAt?: number;
}

const LABEL: Record<CaseStatus, string> = {
  pass: 'PASS',
  fail: 'FAIL',
  error: 'ERROR',
  refused: 'REFUSED',
  skip: 'SKIP',
  xfail: 'XFAIL',
  xpass: 'XPASS',
  'not-run': 'NOT RUN',
};

export function createConsoleReporter(options: ConsoleReporterOptions): Reporter {
  const write = (line = ''): void => void options.out.write(printable(line) + '\n');
  const progress = options.progress ?? 'lines';
  let bar: SingleBar | undefined;
  let perOpTotal = new Map<string, number>();
  const perOpDone = new Map<string, CaseResult[]>();
  let failing = 0;

  return {
    onRunStart(info: RunStartInfo) {
      perOpTotal = new Map();
      for (const c of info.cases) perOpTotal.set(c.op, (perOpTotal.get(c.op) ?? 0) + 1);
      const n = info.cases.length;
      write(`gradspec: ${n} case${n === 1 ? '' : 's'} (${perOpTotal.size} op${perOpTotal.size === 1 ? '' : 's'}) against ${info.implementation.name}`);
      if (progress === 'bar') {
        bar = new SingleBar({
          format: '  {bar} {value}/{total} cases | {op} | {failing} failing',
          stream: options.barStream ?? process.stderr,
          clearOnComplete: true,
          hideCursor: true,
        });
        bar.start(n, 0, { op: '', failing: 0 });
      }
    },

    onCaseEnd(result, index) {
      if (FAILING.has(result.status)) failing++;
      const done = [...(perOpDone.get(result.op) ?? []), result];
      perOpDone.set(result.op, done);
      const opDone = done.length === perOpTotal.get(result.op);
      if (progress === 'none') return;
      if (!bar) {
        if (opDone) write(opLine(result.op, done));
        return;
      }
      if (!opDone) {
        bar.update(index + 1, { op: result.op, failing });
        return;
      }
      // The op's line goes above the bar: clear the bar, write the line, draw the bar again below it.
      const total = bar.getTotal();
      bar.stop();
      write(opLine(result.op, done));
      bar.start(total, index + 1, { op: result.op, failing });
    },

    finish(run) {
      bar?.stop();
      bar = undefined;
      const results = run.cases;
      if (options.verbose) {
        write();
        write('Cases:');
        for (const c of results) write(`  ${LABEL[c.status].padEnd(7)} ${c.id}  ${ms(c.durationMs)}${c.reason ? `  (${c.reason})` : ''}`);
      }

      const failed = results.filter((c) => FAILING.has(c.status));
      if (failed.length) {
        write();
        write(`Failures (${failed.length}):`);
        for (const c of failed) {
          write();
          write(`${LABEL[c.status]} ${c.id}`);
          for (const line of c.message.split('\n')) write(`  ${line}`);
          if (options.repro) write(`  repro: ${options.repro(c.id)}`);
        }
      }

      const aside = groupNotJudged(results, options.verbose ?? false);
      if (aside.length) {
        write();
        write('Not judged:');
        for (const line of aside) write(`  ${line}`);
      }

      for (const e of run.unmatchedExpectations) {
        write();
        write(`warning: ${e.source}: \`${e.kind} ${e.glob}\` matches no case; remove or fix the entry`);
      }

      write();
      write(summaryTable(results));
      const s = run.summary;
      write(`${results.length} cases: ${s.pass} pass, ${s.fail} fail, ${s.error} error, ${s.refused ? `${s.refused} refused, ` : ''}${s.skip} skip, ${s.xfail} xfail, ${s.xpass} xpass, ${s.notRun} not run`);
      const wall = options.startedAt !== undefined ? `, ${seconds(performance.now() - options.startedAt)} in all` : '';
      write(`time: ${seconds(run.durationMs)} running cases${wall}`);
      for (const r of options.reports ?? []) write(`report: ${r}`);
      write(verdict(run));
    },
  };
}

/** Control characters (an implementation's message may carry any) shown as \uXXXX instead of reaching the terminal. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function opLine(op: string, results: CaseResult[]): string {
  const parts = CASE_STATUSES.map((status) => [status, results.filter((r) => r.status === status).length] as const)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${status === 'not-run' ? 'not run' : status}`)
    .join(', ');
  const time = results.reduce((t, r) => t + r.durationMs, 0);
  const count = `${String(results.length).padStart(3)} case${results.length === 1 ? ':' : 's:'}`;
  return `  ${op.padEnd(14)} ${count.padEnd(10)} ${parts.padEnd(36)} ${ms(time)}`;
}

/** refused / skip / xfail / not-run, grouped by reason unless verbose (then one line each). */
function groupNotJudged(results: CaseResult[], verbose: boolean): string[] {
  const groups = new Map<string, CaseResult[]>();
  for (const c of results) {
    if (c.status !== 'refused' && c.status !== 'skip' && c.status !== 'xfail' && c.status !== 'not-run') continue;
    const key = verbose ? c.id : `${c.status}\u0000${c.reason ?? ''}\u0000${c.expectation ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  return [...groups.values()].map((cases) => {
    const c = cases[0]!;
    const what = cases.length === 1 ? c.id : `${cases.length} cases (${cases[0]!.id}, …)`;
    const where = c.expectation ? ` [${c.expectation}]` : '';
    return `${LABEL[c.status].padEnd(7)} ${what}: ${c.reason ?? ''}${where}`;
  });
}

export function summaryTable(results: readonly CaseResult[]): string {
  const ops = [...new Set(results.map((r) => r.op))];
  const anyXpass = results.some((r) => r.status === 'xpass');
  const anyRefused = results.some((r) => r.status === 'refused');
  const header = ['op', 'pass', 'fail', 'error', ...(anyXpass ? ['xpass'] : []), ...(anyRefused ? ['refused'] : []), 'skip/xfail', 'not run'];
  const row = (name: string, rs: readonly CaseResult[]): string[] => {
    const n = (...statuses: CaseStatus[]) => String(rs.filter((r) => statuses.includes(r.status)).length);
    return [name, n('pass'), n('fail'), n('error'), ...(anyXpass ? [n('xpass')] : []), ...(anyRefused ? [n('refused')] : []), n('skip', 'xfail'), n('not-run')];
  };
  const rows = [header, ...ops.map((op) => row(op, results.filter((r) => r.op === op))), row('total', results)];
  const widths = header.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const fmtRow = (r: string[]) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  const lines = rows.map(fmtRow);
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  lines.splice(lines.length - 1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return lines.join('\n');
}

function verdict(run: RunResult): string {
  const s = run.summary;
  const bad = [s.fail && `${s.fail} fail`, s.error && `${s.error} error`, s.xpass && `${s.xpass} xpass`].filter(Boolean).join(', ');
  const judged = run.cases.length - s.notRun;
  if (run.interrupted) {
    return `INTERRUPTED after ${judged} of ${run.cases.length} cases${bad ? ` (${bad} so far)` : ''}; ${s.notRun} not run`;
  }
  if (bad && run.runError !== undefined) return `FAILED: ${bad} against ${run.implementation.name}; ${run.runError}`;
  if (run.runError !== undefined) return `FAILED: ${run.runError}`;
  if (bad) return `FAILED: ${bad} against ${run.implementation.name}${run.bailedAfter ? ` (stopped after ${run.bailedAfter}: bail)` : ''}`;
  const rest = [s.refused && `${s.refused} refused`, s.xfail && `${s.xfail} xfail`, s.skip && `${s.skip} skip`, s.notRun && `${s.notRun} not run`].filter(Boolean).join(', ');
  return `PASSED: ${s.pass} of ${run.cases.length} cases pass against ${run.implementation.name}${rest ? `; ${rest}` : ''}`;
}

function ms(t: number): string {
  return t >= 1000 ? seconds(t) : `${t.toFixed(t < 10 ? 1 : 0)} ms`;
}

function seconds(t: number): string {
  return `${(t / 1000).toFixed(2)} s`;
}

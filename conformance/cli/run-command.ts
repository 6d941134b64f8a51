// `gradspec run`: parses the flags, loads and filters the fixtures, starts the implementation, runs
// every case, writes the reports and returns the exit status (0 pass, 1 fail, 2 usage or startup
// error, 130 interrupted). On SIGINT/SIGTERM it stops after the case in flight and still writes
// every report with what is known. The parts, one job each: run-args.ts (flags and usage), start-implementation.ts and
// module-adapter.ts (the implementation under test), repro.ts (the rerun command), shutdown.ts
// (signals, closing the implementation); the rerun loop: last-run.ts (--last-failed),
// write-expectations.ts, watch.ts.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fixtureId } from '../../spec/format';
import { ExpectationSet, ExpectationsError, loadExpectations } from '../expectations';
import type { Implementation } from '../implementation';
import { brokenFixtureResult } from '../broken-fixture';
import { displayPath, listFixtureFiles, loadFixtures } from '../loader';
import { createConsoleReporter } from '../reporters/console';
import { createHtmlReporter } from '../reporters/html';
import { createJsonReporter } from '../reporters/json';
import { createJunitReporter } from '../reporters/junit';
import { runFixtures, runSucceeded, type Reporter, type RunResult } from '../runner';
import { StartupError, UsageError } from './errors';
import { idHints } from './filter-hints';
import { recordRun, selectLastFailed } from './last-run';
import { reproCommand, shellQuote } from './repro';
import { parseRunArgs, RUN_USAGE, type RunSettings } from './run-args';
import { CLOSE_TIMEOUT_MS, closeWithin, stopOnSignals } from './shutdown';
import { startImplementation } from './start-implementation';
import { writeReports, type FileReporter } from './write-reports';
import { failedStartRun } from './failed-start';
import { watchRuns, watchTargets } from './watch';
import { writeExpectationsFile } from './write-expectations';

export const EXIT = { pass: 0, fail: 1, usage: 2, interrupted: 130 } as const;

export interface CommandIO {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  cwd: string;
  /** Draw a progress bar (stderr is a terminal). */
  tty: boolean;
}

const defaultIO = (): CommandIO => ({ stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), tty: Boolean(process.stderr.isTTY) });

/** A usage error is two lines, the error and where the usage is, so the error does not scroll away. */
export const USAGE_POINTER = 'run `gradspec run --help` for usage';

export async function runCommand(argv: readonly string[], ioOverrides: Partial<CommandIO> = {}): Promise<number> {
  const io: CommandIO = { ...defaultIO(), ...ioOverrides };
  let settings: RunSettings;
  try {
    settings = parseRunArgs(argv, io.cwd);
    if (settings.watch && !settings.help) {
      const targets = watchTargets(settings, io.cwd);
      return await watchRuns(targets, settings, io, () => runOnce(settings, argv, io));
    }
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr.write(`gradspec run: ${e.message}\n${USAGE_POINTER}\n`);
    return EXIT.usage;
  }
  if (settings.help) {
    io.stdout.write(RUN_USAGE + '\n');
    return EXIT.pass;
  }
  return runOnce(settings, argv, io);
}

/** One run of the settled command line: load, run, report; the exit status. */
async function runOnce(settings: RunSettings, argv: readonly string[], io: CommandIO): Promise<number> {
  const startedAt = performance.now();
  const say = (text: string): void => void io.stdout.write(text + '\n');
  const complain = (text: string): void => void io.stderr.write(text + '\n');
  const usage = (message: string): number => {
    complain(`gradspec run: ${message}\n${USAGE_POINTER}`);
    return EXIT.usage;
  };

  if (!existsSync(settings.fixtures) || !statSync(settings.fixtures).isDirectory()) {
    return usage(`--fixtures ${displayPath(settings.fixtures)}: no such folder; pass the folder holding <op>/<case>.json files (default: fixtures/)`);
  }
  let expectations = ExpectationSet.empty();
  if (settings.expectations !== undefined) {
    try {
      expectations = new ExpectationSet(loadExpectations(settings.expectations));
    } catch (e) {
      if (!(e instanceof ExpectationsError)) throw e;
      return usage(`--expectations: ${e.message}`);
    }
  }

  const loaded = loadFixtures({ dir: settings.fixtures, filter: settings.filter });
  for (const e of loaded.errors) complain(`error: malformed fixture, not run: ${e.message}`);
  // A file that matched the filters but could not be loaded is an error case in every report.
  let unloadable = loaded.errors.map((e) => brokenFixtureResult(e, settings.fixtures));
  let fixtures = loaded.fixtures;
  if (fixtures.length === 0 && unloadable.length === 0) {
    const [hint] = idHints(settings.filter.ids ?? [], settings.fixtures);
    return usage(hint ?? `no case in ${displayPath(settings.fixtures)} matches the filters; run with --list and fewer filters to see the case ids`);
  }
  const label = implementationLabel(settings, io.cwd);
  if (settings.lastFailed) {
    try {
      const selected = selectLastFailed(io.cwd, label, { fixtures, unloadable });
      ({ fixtures, unloadable } = selected);
      complain(`--last-failed: ${selected.note}`); // stderr: --list output stays ids only
    } catch (e) {
      return usage(`--last-failed: ${(e as Error).message}`);
    }
  }
  if (settings.list) {
    for (const f of fixtures) say(f.id);
    return unloadable.length ? EXIT.fail : EXIT.pass;
  }

  const fileReporters: FileReporter[] = settings.reporters.flatMap((r) => {
    if (r.name === 'console') return [];
    const create = { json: createJsonReporter, junit: createJunitReporter, html: createHtmlReporter }[r.name];
    return [{ ...create({ path: r.path, onlyFailed: settings.onlyFailed, repro: (id) => reproCommand(settings, io.cwd, id) }), name: r.name }];
  });

  let impl: Implementation;
  try {
    impl = await startImplementation(settings, io);
  } catch (e) {
    if (!(e instanceof StartupError)) throw e;
    complain(`gradspec run: ${e.message}`);
    // The JSON and JUnit reports still say why (the console has the sentence above).
    const { written } = writeReports(fileReporters, failedStartRun(label, fixtures, unloadable, e.message), complain);
    for (const path of written) complain(`report: ${path}`);
    return EXIT.usage;
  }

  // Filled in once the reports are written: the console lists only those that were.
  const written: string[] = [];
  const consoleReporter = settings.reporters.some((r) => r.name === 'console')
    ? createConsoleReporter({
        out: io.stdout,
        verbose: settings.verbose,
        progress: io.tty ? 'bar' : 'lines',
        repro: (id) => reproCommand(settings, io.cwd, id),
        reports: written,
        startedAt,
      })
    : undefined;
  const reporters: Reporter[] = [...fileReporters, ...(consoleReporter ? [consoleReporter] : [])];

  // Ctrl-C / SIGTERM: stop after the case in flight and report; a second one quits at once.
  const interrupt = stopOnSignals(complain, EXIT.interrupted);

  let exitCode: number;
  let closed = false;
  try {
    const run = await runFixtures(impl, fixtures, {
      // An adapter with its own limits (--exec: the restart handshake, then the case) declares how long one run may take.
      timeoutMs: Math.max(settings.timeoutMs, impl.runLimitMs ?? 0),
      expectations,
      bail: settings.bail,
      signal: interrupt.signal,
      observers: reporters,
      unloadable,
      knownIds: settings.filtered ? listFixtureFiles(settings.fixtures).map((f) => fixtureId(f) ?? f) : undefined,
    });
    // Closed before the reports: a module that threw after its last reply (a late timer) failed, and the reports say so.
    const closeFailure = await closeWithin(impl, CLOSE_TIMEOUT_MS, complain);
    closed = true;
    if (closeFailure !== undefined) run.runError ??= `the implementation failed after its last case: ${closeFailure}`;
    exitCode = run.interrupted ? EXIT.interrupted : runSucceeded(run) ? EXIT.pass : EXIT.fail;
    const reports = writeReports(fileReporters, run, complain);
    written.push(...reports.written);
    if (!run.interrupted) {
      const warning = recordRun(io.cwd, label, run);
      if (warning) complain(`gradspec run: warning: ${warning}`);
    }
    if (settings.writeExpectations !== undefined) {
      if (writeExpectations(settings.writeExpectations, run, expectations, argv, complain)) written.push(settings.writeExpectations);
      else if (exitCode === EXIT.pass) exitCode = EXIT.usage;
    }
    // A report that could not be written fails a run that would pass (2: pass a writable path).
    if (reports.failed && exitCode === EXIT.pass) exitCode = EXIT.usage;
    if (consoleReporter) consoleReporter.finish(run);
    else {
      const s = run.summary;
      complain(`gradspec: ${s.pass} pass, ${s.fail} fail, ${s.error} error, ${s.refused ? `${s.refused} refused, ` : ''}${s.skip} skip, ${s.xfail} xfail, ${s.xpass} xpass, ${s.notRun} not run`);
      if (run.runError !== undefined) complain(`gradspec: FAILED: ${run.runError}`);
      for (const path of written) complain(`report: ${path}`);
    }
  } finally {
    if (!closed) await closeWithin(impl, CLOSE_TIMEOUT_MS, complain);
    interrupt.dispose();
  }
  return exitCode;
}

/** The implementation as the command line names it (a module by its full path): the reports of a run whose implementation did not start, the key of --last-failed. */
function implementationLabel(settings: RunSettings, cwd: string): string {
  if (settings.exec !== undefined) return `--exec ${settings.exec}`;
  return `--impl ${['reference', 'tfjs'].includes(settings.impl) ? settings.impl : resolve(cwd, settings.impl)}`;
}

/** --write-expectations after a run; false (with the reason said) when it was not written. */
function writeExpectations(path: string, run: RunResult, expectations: ExpectationSet, argv: readonly string[], complain: (text: string) => void): boolean {
  if (run.interrupted) {
    complain(`gradspec run: --write-expectations: not written, the run was interrupted before every case was judged`);
    return true;
  }
  try {
    writeExpectationsFile(path, run, expectations.entries, ['gradspec run', ...argv.map(shellQuote)].join(' '));
    return true;
  } catch (e) {
    complain(`gradspec run: --write-expectations ${displayPath(path)} cannot be written (${(e as Error).message}); pass a writable path`);
    return false;
  }
}

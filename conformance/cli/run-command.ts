// `gradspec run`: parses the flags, loads and filters the fixtures, starts the implementation, runs
// every case, writes the reports and returns the exit status (0 pass, 1 fail, 2 usage or startup
// error, 130 interrupted). On SIGINT/SIGTERM it stops after the case in flight and still writes
// every report with what is known. The parts, one job each: run-args.ts (flags and usage), start-implementation.ts and
// module-adapter.ts (the implementation under test), repro.ts (the rerun command), shutdown.ts
// (signals, closing the implementation).
import { existsSync, statSync } from 'node:fs';
import { fixtureId } from '../../spec/format';
import { ExpectationSet, ExpectationsError, loadExpectations } from '../expectations';
import type { Implementation } from '../implementation';
import { brokenFixtureResult } from '../broken-fixture';
import { displayPath, listFixtureFiles, loadFixtures } from '../loader';
import { createConsoleReporter } from '../reporters/console';
import { createHtmlReporter } from '../reporters/html';
import { createJsonReporter } from '../reporters/json';
import { createJunitReporter } from '../reporters/junit';
import { runFixtures, runSucceeded, type Reporter } from '../runner';
import { StartupError, UsageError } from './errors';
import { reproCommand } from './repro';
import { parseRunArgs, RUN_USAGE, type RunSettings } from './run-args';
import { CLOSE_TIMEOUT_MS, closeWithin, stopOnSignals } from './shutdown';
import { startImplementation } from './start-implementation';
import { writeReports, type FileReporter } from './write-reports';
import { failedStartRun } from './failed-start';

export const EXIT = { pass: 0, fail: 1, usage: 2, interrupted: 130 } as const;

export interface CommandIO {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  cwd: string;
  /** Draw a progress bar (stderr is a terminal). */
  tty: boolean;
}

const defaultIO = (): CommandIO => ({ stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), tty: Boolean(process.stderr.isTTY) });

export async function runCommand(argv: readonly string[], ioOverrides: Partial<CommandIO> = {}): Promise<number> {
  const startedAt = performance.now();
  const io: CommandIO = { ...defaultIO(), ...ioOverrides };
  const say = (text: string): void => void io.stdout.write(text + '\n');
  const complain = (text: string): void => void io.stderr.write(text + '\n');

  let settings: RunSettings;
  try {
    settings = parseRunArgs(argv, io.cwd);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    complain(`gradspec run: ${e.message}\n`);
    complain(RUN_USAGE);
    return EXIT.usage;
  }
  if (settings.help) {
    say(RUN_USAGE);
    return EXIT.pass;
  }
  const usage = (message: string): number => {
    complain(`gradspec run: ${message}\n`);
    complain(RUN_USAGE);
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

  const { fixtures, errors } = loadFixtures({ dir: settings.fixtures, filter: settings.filter });
  for (const e of errors) complain(`error: malformed fixture, not run: ${e.message}`);
  // A file that matched the filters but could not be loaded is an error case in every report.
  const unloadable = errors.map((e) => brokenFixtureResult(e, settings.fixtures));
  if (fixtures.length === 0 && unloadable.length === 0) {
    return usage(`no case in ${displayPath(settings.fixtures)} matches the filters; run with --list and fewer filters to see the case ids`);
  }
  if (settings.list) {
    for (const f of fixtures) say(f.id);
    return errors.length ? EXIT.fail : EXIT.pass;
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
    const { written } = writeReports(fileReporters, failedStartRun(implementationLabel(settings), fixtures, unloadable, e.message), complain);
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
    exitCode = run.interrupted ? EXIT.interrupted : runSucceeded(run) ? EXIT.pass : EXIT.fail;
    const reports = writeReports(fileReporters, run, complain);
    written.push(...reports.written);
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
    await closeWithin(impl, CLOSE_TIMEOUT_MS, complain);
    interrupt.dispose();
  }
  return exitCode;
}

/** The implementation as the command line names it, for the reports of a run whose implementation did not start. */
function implementationLabel(settings: RunSettings): string {
  return settings.exec !== undefined ? `--exec ${settings.exec}` : `--impl ${settings.impl}`;
}

// `gradspec run`: parses the flags, loads and filters the fixtures, starts the implementation, runs
// every case, writes the reports and returns the exit status (0 pass, 1 fail, 2 usage or startup
// error, 130 interrupted). On SIGINT/SIGTERM it stops after the case in flight and still writes
// every report with what is known.
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, isAbsolute, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { isOpName, OP_NAMES } from '../../spec/registry';
import schema from '../../spec/fixture.schema.json';
import { createReferenceImplementation } from '../adapters/reference';
import { createSubprocessImplementation, ImplementationStartupError } from '../adapters/subprocess';
import { ExpectationSet, ExpectationsError, loadExpectations } from '../expectations';
import type { Implementation } from '../implementation';
import { displayPath, FIXTURES_DIR, listFixtureFiles, loadFixtures, type FixtureFilter } from '../loader';
import { createConsoleReporter } from '../reporters/console';
import { createJsonReporter, DEFAULT_JSON_PATH } from '../reporters/json';
import { createJunitReporter, DEFAULT_JUNIT_PATH } from '../reporters/junit';
import { DEFAULT_TIMEOUT_MS } from '../run-case';
import { runFixtures, runSucceeded, type Reporter } from '../runner';

export const EXIT = { pass: 0, fail: 1, usage: 2, interrupted: 130 } as const;

export interface CommandIO {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  cwd: string;
  /** Draw a progress bar (stderr is a terminal). */
  tty: boolean;
}

const defaultIO = (): CommandIO => ({ stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), tty: Boolean(process.stderr.isTTY) });

export const RUN_USAGE = `Usage: gradspec run [options]

Runs the fixtures against an implementation and reports every case.

Implementation (one of):
  --impl <reference|tfjs|path>  reference (src/, the default), tfjs (TensorFlow.js), or the path of a
                                JS/TS module exporting createImplementation()
  --exec "<command>"            a program in any language speaking spec/protocol.md,
                                e.g. --exec "python3 examples/python/impl.py"
Cases:
  --fixtures <dir>              the fixtures folder (default: this package's fixtures/)
  --op <op>                     only this op (repeatable)
  --feature <feature>           only cases with this feature (repeatable; all must match)
  --id <glob>                   only case ids matching this glob, e.g. 'relu/*' (repeatable)
  --expectations <file>         skip / xfail entries with reasons, e.g. examples/expectations/tfjs.txt
  --list                        print the matching case ids and exit
Running:
  --timeout <ms>                time allowed per case (default ${DEFAULT_TIMEOUT_MS})
  --bail                        stop after the first failing case; the rest are reported as not run
Reports:
  --reporter <name[=path]>      console (stdout, the default), json (default ${DEFAULT_JSON_PATH}),
                                junit (default ${DEFAULT_JUNIT_PATH}); repeatable
  --save-only-failed            json and junit reports leave out the passing cases
  --verbose                     list every case, passing ones too
  -h, --help                    this text

Exit status: 0 when every case passes (or is xfail, skip or not run), 1 on any fail, error or xpass,
2 on a usage error or when the implementation cannot start, 130 when interrupted.
`;

const OPTIONS = {
  impl: { type: 'string' },
  exec: { type: 'string' },
  fixtures: { type: 'string' },
  op: { type: 'string', multiple: true },
  feature: { type: 'string', multiple: true },
  id: { type: 'string', multiple: true },
  expectations: { type: 'string' },
  timeout: { type: 'string' },
  reporter: { type: 'string', multiple: true },
  'save-only-failed': { type: 'boolean' },
  bail: { type: 'boolean' },
  verbose: { type: 'boolean' },
  list: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** A wrong command line: one sentence saying what to pass; the usage follows it. */
export class UsageError extends Error {}

/** The implementation could not be started: one sentence, no usage. */
class StartupError extends Error {}

type ReporterSpec = { name: 'console' } | { name: 'json' | 'junit'; path: string };

export interface RunSettings {
  impl: string;
  exec?: string;
  fixtures: string;
  filter: FixtureFilter;
  filtered: boolean;
  expectations?: string;
  timeoutMs: number;
  reporters: ReporterSpec[];
  onlyFailed: boolean;
  bail: boolean;
  verbose: boolean;
  list: boolean;
  help: boolean;
}

const definitions = (schema as unknown as { definitions: Record<string, { enum: string[] }> }).definitions;
const FEATURES = definitions.Feature!.enum;

/** Flags → settings; throws UsageError. */
export function parseRunArgs(argv: readonly string[], cwd: string): RunSettings {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (e) {
    throw new UsageError(describeParseError(e as Error & { code?: string }));
  }
  if (values.impl !== undefined && values.exec !== undefined) {
    throw new UsageError('--impl and --exec cannot be combined: pass --impl for a JS/TS implementation or --exec for a program speaking spec/protocol.md');
  }
  if (values.impl !== undefined && values.impl.trim() === '') throw new UsageError('--impl needs a value: reference, tfjs, or the path of a JS/TS module');
  for (const op of values.op ?? []) {
    if (!isOpName(op)) throw new UsageError(`--op '${op}' is not an op; pass one of ${OP_NAMES.join(', ')}`);
  }
  for (const f of values.feature ?? []) {
    if (!FEATURES.includes(f)) throw new UsageError(`--feature '${f}' is not a feature; pass one of ${FEATURES.join(', ')}`);
  }
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  if (values.timeout !== undefined) {
    timeoutMs = Number(values.timeout);
    if (!/^\d+$/.test(values.timeout.trim()) || !Number.isSafeInteger(timeoutMs) || timeoutMs <= 0) {
      throw new UsageError(`--timeout '${values.timeout}' is not a duration: pass a positive whole number of milliseconds, e.g. --timeout 30000`);
    }
  }
  const reporters: ReporterSpec[] = [];
  for (const r of values.reporter ?? ['console']) {
    const spec = parseReporter(r, cwd);
    // The same reporter twice: the last one says where it goes.
    const same = reporters.findIndex((x) => x.name === spec.name);
    if (same >= 0) reporters.splice(same, 1);
    reporters.push(spec);
  }
  const filter: FixtureFilter = { ops: values.op ?? [], features: values.feature ?? [], ids: values.id ?? [] };
  return {
    impl: values.impl ?? 'reference',
    ...(values.exec !== undefined ? { exec: values.exec } : {}),
    fixtures: resolve(cwd, values.fixtures ?? FIXTURES_DIR),
    filter,
    filtered: Boolean(filter.ops!.length || filter.features!.length || filter.ids!.length),
    ...(values.expectations !== undefined ? { expectations: resolve(cwd, values.expectations) } : {}),
    timeoutMs,
    reporters,
    onlyFailed: values['save-only-failed'] ?? false,
    bail: values.bail ?? false,
    verbose: values.verbose ?? false,
    list: values.list ?? false,
    help: values.help ?? false,
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false });
}

function describeParseError(e: Error & { code?: string }): string {
  const message = e.message;
  const quoted = /'([^']+)'/.exec(message)?.[1];
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${quoted ?? ''}: pass one of the options listed below`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument '${quoted ?? ''}': every value follows its option, e.g. --impl tfjs or --id 'relu/*'`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const option = /--[a-z-]+/.exec(message)?.[0] ?? 'an option';
      return /argument missing/.test(message)
        ? `${option} needs a value, e.g. ${example(option)}`
        : `${option} takes no value: write ${option} alone`;
    }
    default:
      return `${message.split('\n')[0]}; see the options below`;
  }
}

function example(option: string): string {
  const examples: Record<string, string> = {
    '--impl': '--impl tfjs',
    '--exec': '--exec "python3 examples/python/impl.py"',
    '--fixtures': '--fixtures fixtures',
    '--op': '--op relu',
    '--feature': '--feature float32',
    '--id': "--id 'relu/*'",
    '--expectations': '--expectations examples/expectations/tfjs.txt',
    '--timeout': '--timeout 30000',
    '--reporter': '--reporter json=reports/gradspec.json',
  };
  return examples[option] ?? option;
}

function parseReporter(value: string, cwd: string): ReporterSpec {
  const eq = value.indexOf('=');
  const name = eq < 0 ? value : value.slice(0, eq);
  const path = eq < 0 ? undefined : value.slice(eq + 1);
  if (name === 'console') {
    if (path !== undefined) throw new UsageError(`--reporter console prints to stdout and takes no path: write --reporter console (redirect stdout to keep it)`);
    return { name };
  }
  if (name === 'json' || name === 'junit') {
    if (path === '') throw new UsageError(`--reporter ${name}= needs a path after '=', e.g. --reporter ${name}=${name === 'json' ? DEFAULT_JSON_PATH : DEFAULT_JUNIT_PATH}`);
    return { name, path: resolve(cwd, path ?? (name === 'json' ? DEFAULT_JSON_PATH : DEFAULT_JUNIT_PATH)) };
  }
  throw new UsageError(`--reporter '${value}' is not a reporter: pass console, json, junit, json=<path> or junit=<path>`);
}

/** The implementation named by --impl / --exec. Throws StartupError. */
async function startImplementation(settings: RunSettings, io: CommandIO): Promise<Implementation> {
  if (settings.exec !== undefined) {
    try {
      return await createSubprocessImplementation(settings.exec, {
        timeoutMs: settings.timeoutMs,
        cwd: io.cwd,
        ...(settings.verbose ? { onStderr: (line: string) => void io.stderr.write(`[implementation stderr] ${line}\n`) } : {}),
      });
    } catch (e) {
      if (e instanceof ImplementationStartupError) throw new StartupError(e.message);
      throw new StartupError(`--exec ${JSON.stringify(settings.exec)} could not be started: ${(e as Error).message}`);
    }
  }
  if (settings.impl === 'reference') return createReferenceImplementation();
  if (settings.impl === 'tfjs') {
    try {
      // Loaded only when asked for (it takes a while), through require so tsx's hook compiles it.
      const { createTfjsImplementation } = createRequire(__filename)('../adapters/tfjs') as typeof import('../adapters/tfjs');
      return await createTfjsImplementation();
    } catch (e) {
      throw new StartupError(`--impl tfjs could not start TensorFlow.js (${firstLine(e)}); is @tensorflow/tfjs-core with tfjs-backend-cpu installed (npm ci)?`);
    }
  }
  return loadModuleImplementation(settings.impl, io.cwd);
}

const WHAT_TO_EXPORT =
  'export createImplementation(): Implementation | Promise<Implementation> (or make it the default export), with Implementation as in conformance/implementation.ts';

export async function loadModuleImplementation(spec: string, cwd: string): Promise<Implementation> {
  const file = resolve(cwd, spec);
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new StartupError(`--impl ${spec}: no such file (${file}); pass --impl reference, --impl tfjs, or the path of a JS/TS module that exports createImplementation() (see conformance/implementation.ts)`);
  }
  let mod: unknown;
  try {
    mod = createRequire(__filename)(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ERR_REQUIRE_ESM') {
      throw new StartupError(`--impl ${spec} could not be loaded (${firstLine(e)}); the module must load on its own and ${WHAT_TO_EXPORT}`);
    }
    try {
      mod = await import(pathToFileURL(file).href);
    } catch (e2) {
      throw new StartupError(`--impl ${spec} could not be loaded (${firstLine(e2)}); the module must load on its own and ${WHAT_TO_EXPORT}`);
    }
  }
  const factory = pickFactory(mod);
  if (!factory) throw new StartupError(`--impl ${spec} does not export createImplementation; ${WHAT_TO_EXPORT}`);
  let impl: unknown;
  try {
    impl = await factory();
  } catch (e) {
    throw new StartupError(`--impl ${spec}: createImplementation() threw (${firstLine(e)}); it must return an Implementation`);
  }
  const candidate = impl as Partial<Implementation> | null;
  if (candidate === null || typeof candidate !== 'object' || typeof candidate.run !== 'function') {
    throw new StartupError(`--impl ${spec}: createImplementation() returned ${describe(impl)}, not an Implementation; return an object with a name and a run(request) method (conformance/implementation.ts)`);
  }
  if (typeof candidate.name !== 'string' || candidate.name === '') {
    return Object.assign(Object.create(candidate) as Implementation, { name: basename(file) });
  }
  return candidate as Implementation;
}

type Factory = () => unknown;

function pickFactory(mod: unknown): Factory | undefined {
  const m = mod as { createImplementation?: unknown; default?: unknown } | null;
  if (!m || (typeof m !== 'object' && typeof m !== 'function')) return undefined;
  if (typeof m.createImplementation === 'function') return m.createImplementation as Factory;
  if (typeof m.default === 'function') return m.default as Factory;
  const inner = m.default as { createImplementation?: unknown; default?: unknown } | undefined;
  if (inner && typeof inner.createImplementation === 'function') return inner.createImplementation as Factory;
  if (inner && typeof inner.default === 'function') return inner.default as Factory;
  return undefined;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object without a run() method' : typeof v;
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
}

/** The command that reruns one case with the same implementation and fixtures. */
export function reproCommand(settings: RunSettings, cwd: string, id: string): string {
  const parts = ['npx gradspec run'];
  if (settings.exec !== undefined) parts.push(`--exec ${shellQuote(settings.exec)}`);
  else parts.push(`--impl ${shellQuote(settings.impl)}`);
  if (resolve(settings.fixtures) !== resolve(FIXTURES_DIR)) parts.push(`--fixtures ${shellQuote(relativeIfInside(settings.fixtures, cwd))}`);
  if (settings.timeoutMs !== DEFAULT_TIMEOUT_MS) parts.push(`--timeout ${settings.timeoutMs}`);
  parts.push(`--id '${id.replace(/'/g, `'\\''`)}'`);
  return parts.join(' ');
}

function relativeIfInside(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

function shellQuote(s: string): string {
  return /^[\w./:=@%+,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** How long close() may take after the run before the command gives up on it. */
const CLOSE_TIMEOUT_MS = 5_000;

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
  if (fixtures.length === 0) {
    if (errors.length) return EXIT.fail;
    return usage(`no case in ${displayPath(settings.fixtures)} matches the filters; run with --list and fewer filters to see the case ids`);
  }
  if (settings.list) {
    for (const f of fixtures) say(f.id);
    return EXIT.pass;
  }

  let impl: Implementation;
  try {
    impl = await startImplementation(settings, io);
  } catch (e) {
    if (!(e instanceof StartupError)) throw e;
    complain(`gradspec run: ${e.message}`);
    return EXIT.usage;
  }

  const fileReporters = settings.reporters.flatMap((r) => {
    if (r.name === 'console') return [];
    const create = r.name === 'json' ? createJsonReporter : createJunitReporter;
    return [{ ...create({ path: r.path, onlyFailed: settings.onlyFailed }), name: r.name }];
  });
  const consoleReporter = settings.reporters.some((r) => r.name === 'console')
    ? createConsoleReporter({
        out: io.stdout,
        verbose: settings.verbose,
        progress: io.tty ? 'bar' : 'lines',
        repro: (id) => reproCommand(settings, io.cwd, id),
        reports: fileReporters.map((r) => displayPath(r.path)),
        startedAt,
      })
    : undefined;
  const reporters: Reporter[] = [...fileReporters, ...(consoleReporter ? [consoleReporter] : [])];

  // Ctrl-C / SIGTERM: stop after the case in flight and report; a second one quits at once.
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    complain(`\ngradspec run: ${signal} received; stopping after the case in flight and writing the reports (again to quit at once)`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let exitCode: number;
  try {
    const run = await runFixtures(impl, fixtures, {
      timeoutMs: settings.exec !== undefined ? settings.timeoutMs + 2_000 : settings.timeoutMs, // the adapter's own timeout, which restarts the child, fires first
      expectations,
      bail: settings.bail,
      signal: controller.signal,
      observers: reporters,
      knownIds: settings.filtered ? listFixtureFiles(settings.fixtures).map((f) => f.replace(/\.json$/, '')) : undefined,
    });
    exitCode = run.interrupted ? EXIT.interrupted : runSucceeded(run) && errors.length === 0 ? EXIT.pass : EXIT.fail;
    for (const r of fileReporters) {
      try {
        r.finish(run);
      } catch (e) {
        complain(`gradspec run: could not write ${displayPath(r.path)} (${firstLine(e)}); pass --reporter ${r.name}=<a writable path>`);
        if (exitCode === EXIT.pass) exitCode = EXIT.usage;
      }
    }
    if (consoleReporter) consoleReporter.finish(run);
    else {
      const s = run.summary;
      complain(`gradspec: ${s.pass} pass, ${s.fail} fail, ${s.error} error, ${s.skip} skip, ${s.xfail} xfail, ${s.xpass} xpass, ${s.notRun} not run`);
      for (const r of fileReporters) complain(`report: ${displayPath(r.path)}`);
    }
  } finally {
    await closeWithin(impl, CLOSE_TIMEOUT_MS, complain);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
  return exitCode;
}

async function closeWithin(impl: Implementation, ms: number, complain: (text: string) => void): Promise<void> {
  if (!impl.close) return;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((res) => {
    timer = setTimeout(() => res('late'), ms);
    timer.unref();
  });
  try {
    const outcome = await Promise.race([impl.close().then(() => 'closed' as const), late]);
    if (outcome === 'late') complain(`gradspec run: ${impl.name} did not close within ${ms} ms; leaving it behind`);
  } catch (e) {
    complain(`gradspec run: closing ${impl.name} failed (${firstLine(e)})`);
  } finally {
    clearTimeout(timer);
  }
}

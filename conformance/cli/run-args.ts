// `gradspec run`'s command line: the flags, their usage text, and the settings they make. A wrong
// flag is a UsageError whose message is one sentence saying what to pass instead.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isOpName, OP_NAMES } from '../../spec/registry';
import schema from '../../spec/fixture.schema.json';
import { FIXTURES_DIR, type FixtureFilter } from '../loader';
import { DEFAULT_HTML_PATH } from '../reporters/html';
import { DEFAULT_JSON_PATH } from '../reporters/json';
import { DEFAULT_JUNIT_PATH } from '../reporters/junit';
import { DEFAULT_TIMEOUT_MS } from '../run-case';
import { parseRuleOption } from '../rules';
import { didYouMean } from './did-you-mean';
import { describeParseError } from './parse-error';
import { UsageError } from './errors';
import { LOOP_OPTIONS, parseLoopArgs, unknownFeature, type LoopSettings } from './loop-args';

/** Node's longest timer; a longer one is clamped to 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/**
 * The longest --timeout: with --exec the runner's case timer is the adapter's runLimitMs, up to
 * 2 × (handshake + case) + close = 4 × timeout + 2000 ms (adapters/subprocess.ts), which must stay a
 * valid timer. One limit for every implementation, so a flag that works with --impl works with --exec.
 */
export const MAX_TIMEOUT_MS = Math.floor((MAX_TIMER_MS - 2_000) / 4);

export const RUN_USAGE = `Usage: gradspec run [options]

Runs the fixtures against an implementation and reports every case.

Implementation (one of):
  --impl <reference|tfjs|path>  reference (src/, the default), tfjs (TensorFlow.js), or the path of a
                                JS/TS module exporting createImplementation() (run in a worker
                                thread: --timeout stops even a busy loop)
  --exec "<command>"            a program in any language speaking spec/protocol.md,
                                e.g. --exec "python3 examples/python/impl.py"
Cases:
  --fixtures <dir>              the fixtures folder (default: this package's fixtures/)
  --op <op>                     only this op (repeatable)
  --feature <feature>           only cases with this feature (repeatable; all must match)
  --exclude-feature <feature>   leave out cases with this feature (repeatable)
  --id <glob>                   only case ids matching this glob, e.g. 'relu/*' (repeatable)
  --rule <op#rule>              only cases that check this spec rule, e.g. linear#b3 or
                                spec/ops/linear.md#b3 (repeatable)
  --last-failed                 only the cases that failed or errored in the last run of this
                                implementation here (.gradspec/last-run.json); all when none did
  --expectations <file>         skip / xfail entries with reasons, e.g. examples/expectations/tfjs.txt
  --list                        print the matching case ids and exit
Running:
  --timeout <ms>                time allowed per case, 1 to ${MAX_TIMEOUT_MS} (default ${DEFAULT_TIMEOUT_MS})
  --bail                        stop after the first failing case; the rest are reported as not run
  --watch                       rerun when the --impl module's folder or the --exec program's folder
                                changes; Ctrl-C quits
Reports:
  --reporter <name[=path]>      console (stdout, the default), json (default ${DEFAULT_JSON_PATH}),
                                junit (default ${DEFAULT_JUNIT_PATH}), html (one self-contained page,
                                default ${DEFAULT_HTML_PATH}); repeatable
  --save-only-failed            json, junit and html reports leave out the passing cases
  --write-expectations <file>   write an expectations file marking every failing case xfail (the
                                measured error as reason); never overwrites an existing file
  --verbose                     list every case, passing ones too
  -h, --help                    this text

Exit status:
  0    every case judged passes (or is xfail), the rest are refused, skip or not run, and at least
       one case was judged (pass or xfail)
  1    any fail, error or xpass; a fixture file that could not be loaded (an error case in every
       report); or nothing judged (every case refused, skipped or not run, e.g. ops: [], skip **)
  2    a usage error, the implementation cannot start (e.g. a module declaring an unknown op; the
       JSON / JUnit reports are still written with the reason), or a report cannot be written
  130  interrupted (Ctrl-C / SIGTERM); the reports hold what was run
`;

const OPTIONS = {
  impl: { type: 'string' },
  exec: { type: 'string' },
  fixtures: { type: 'string' },
  op: { type: 'string', multiple: true },
  feature: { type: 'string', multiple: true },
  id: { type: 'string', multiple: true },
  rule: { type: 'string', multiple: true },
  expectations: { type: 'string' },
  timeout: { type: 'string' },
  reporter: { type: 'string', multiple: true },
  'save-only-failed': { type: 'boolean' },
  bail: { type: 'boolean' },
  verbose: { type: 'boolean' },
  list: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  ...LOOP_OPTIONS,
} as const;

export type ReporterSpec = { name: 'console' } | { name: FileReporterName; path: string };
export type FileReporterName = 'json' | 'junit' | 'html';

const DEFAULT_PATHS: Record<FileReporterName, string> = { json: DEFAULT_JSON_PATH, junit: DEFAULT_JUNIT_PATH, html: DEFAULT_HTML_PATH };

export interface RunSettings extends LoopSettings {
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
    throw new UsageError(
      describeParseError(e, {
        options: Object.keys(OPTIONS).map((o) => `--${o}`),
        example,
        positional: "every value follows its option, e.g. --impl tfjs or --id 'relu/*'",
      }),
    );
  }
  if (values.impl !== undefined && values.exec !== undefined) {
    throw new UsageError('--impl and --exec cannot be combined: pass --impl for a JS/TS implementation or --exec for a program speaking spec/protocol.md');
  }
  if (values.impl !== undefined && values.impl.trim() === '') throw new UsageError('--impl needs a value: reference, tfjs, or the path of a JS/TS module');
  for (const op of values.op ?? []) {
    if (!isOpName(op)) throw new UsageError(`--op '${op}' is not an op; ${didYouMean(op, OP_NAMES, (o) => `--op ${o}`) ?? `pass one of ${OP_NAMES.join(', ')}`}`);
  }
  for (const f of values.feature ?? []) {
    if (!FEATURES.includes(f)) throw new UsageError(unknownFeature('--feature', f, FEATURES));
  }
  const loop = parseLoopArgs(values, cwd, FEATURES);
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  if (values.timeout !== undefined) {
    timeoutMs = Number(values.timeout);
    if (!/^\d+$/.test(values.timeout.trim()) || !Number.isSafeInteger(timeoutMs) || timeoutMs <= 0) {
      throw new UsageError(`--timeout '${values.timeout}' is not a duration: pass a positive whole number of milliseconds, e.g. --timeout 30000`);
    }
    // Node clamps a timer over 2^31 - 1 ms to 1 ms (TimeoutOverflowWarning): every case would time out.
    // The --exec adapter adds its restart handshake to the case timer, so that must fit too.
    if (timeoutMs > MAX_TIMEOUT_MS) {
      throw new UsageError(`--timeout ${values.timeout} is over the limit of ${MAX_TIMEOUT_MS} ms (about ${Math.floor(MAX_TIMEOUT_MS / 86_400_000)} days); pass at most --timeout ${MAX_TIMEOUT_MS}`);
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
  // Two reports written to one file: one would silently overwrite the other.
  const paths = reporters.flatMap((r) => (r.name === 'console' ? [] : [r]));
  for (const [i, r] of paths.entries()) {
    const other = paths.slice(0, i).find((x) => x.path === r.path);
    if (other) throw new UsageError(`--reporter ${other.name} and --reporter ${r.name} both write ${r.path}: give each report its own path, e.g. --reporter json=${DEFAULT_JSON_PATH} --reporter junit=${DEFAULT_JUNIT_PATH}`);
  }
  const rules = (values.rule ?? []).map((r) => {
    try {
      return parseRuleOption(r);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  });
  const filter: FixtureFilter = { ops: values.op ?? [], features: values.feature ?? [], excludeFeatures: loop.excludeFeatures, ids: values.id ?? [], rules };
  return {
    impl: values.impl ?? 'reference',
    ...(values.exec !== undefined ? { exec: values.exec } : {}),
    fixtures: resolve(cwd, values.fixtures ?? FIXTURES_DIR),
    filter,
    filtered: Boolean(filter.ops!.length || filter.features!.length || filter.excludeFeatures!.length || filter.ids!.length || rules.length || loop.lastFailed),
    ...(values.expectations !== undefined ? { expectations: resolve(cwd, values.expectations) } : {}),
    timeoutMs,
    reporters,
    onlyFailed: values['save-only-failed'] ?? false,
    bail: values.bail ?? false,
    verbose: values.verbose ?? false,
    list: values.list ?? false,
    help: values.help ?? false,
    ...loop,
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false });
}

function example(option: string): string {
  const examples: Record<string, string> = {
    '--impl': '--impl tfjs',
    '--exec': '--exec "python3 examples/python/impl.py"',
    '--fixtures': '--fixtures fixtures',
    '--op': '--op relu',
    '--feature': '--feature float32',
    '--id': "--id 'relu/*'",
    '--rule': '--rule linear#b3',
    '--expectations': '--expectations examples/expectations/tfjs.txt',
    '--timeout': '--timeout 30000',
    '--reporter': '--reporter json=reports/gradspec.json',
    '--exclude-feature': '--exclude-feature float64',
    '--write-expectations': '--write-expectations known-failures.txt',
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
  if (name === 'json' || name === 'junit' || name === 'html') {
    if (path === '') throw new UsageError(`--reporter ${name}= needs a path after '=', e.g. --reporter ${name}=${DEFAULT_PATHS[name]}`);
    return { name, path: resolve(cwd, path ?? DEFAULT_PATHS[name]) };
  }
  throw new UsageError(`--reporter '${value}' is not a reporter: pass console, json, junit, html, json=<path>, junit=<path> or html=<path>`);
}

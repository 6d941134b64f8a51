// Parsing helpers shared by the CLI scripts: numbers and lists with errors that name the flag.
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A bad flag: the script says it with a pointer to --help and exits 2 (see runScript). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Exits with `message` and a pointer to --help (status 2, like a usage error). */
export function usageError(script: string, message: string): never {
  console.error(`${script}: ${message}\nRun with --help for the options.`);
  process.exit(2);
}

/** Runs a script's main: a UsageError exits 2 with a pointer to --help, any other error exits 1 with its message. */
export function runScript(script: string, main: () => void): void {
  try {
    main();
  } catch (e) {
    if (e instanceof UsageError) usageError(script, e.message);
    console.error(`${script}: ${(e as Error).message}`);
    process.exit(1);
  }
}

// Plain decimal only: Number() would also take '0x10', '1e9' as an integer, 'Infinity' and ''.
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DIGITS = /^[+-]?\d+$/;

export function parseNumber(flag: string, value: string, check: 'positive' | 'positive-integer' | 'integer', max = Infinity): number {
  const text = value.trim();
  const integer = check !== 'positive';
  const n = Number(text);
  const ok =
    (integer ? DIGITS : DECIMAL).test(text) &&
    Number.isFinite(n) &&
    (check === 'positive' ? n > 0 : check === 'positive-integer' ? Number.isSafeInteger(n) && n > 0 : Number.isSafeInteger(n));
  if (!ok) throw new UsageError(`--${flag} must be a ${check.replace('-', ' ')} number${integer ? ' (digits only)' : ''}, got '${value}'`);
  if (n > max) throw new UsageError(`--${flag} is ${n}, more than ${max}, the most it allows`);
  return n;
}

/** '50' → [50], '128,64' → [128, 64], '' → [] (no hidden layer); each at most `max`. */
export function parseSizes(flag: string, value: string, max = Infinity): number[] {
  if (value.trim() === '') return [];
  return value.split(',').map((part) => parseNumber(flag, part.trim(), 'positive-integer', max));
}

/**
 * `--epochs -1` → `--epochs=-1`: parseArgs would take `-1` for an option and answer with a puzzle
 * ("ambiguous"); as a value it reaches parseNumber, which says what is wrong with it.
 */
export function negativeValuesInline(argv: readonly string[], valueFlags: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    if (valueFlags.includes(arg) && next !== undefined && /^-[\d.]/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

export function parseChoice<T extends string>(flag: string, value: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value)) throw new UsageError(`--${flag} must be one of ${choices.join(', ')}, got '${value}'`);
  return value as T;
}

type Options = NonNullable<ParseArgsConfig['options']>;
type Values<T extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: T; strict: true }>>['values'];

/**
 * parseArgs over the script's arguments plus -h/--help: a parse error exits 2 naming the script;
 * --help prints `help` and returns undefined, so the caller just returns.
 */
export function parseScriptArgs<const T extends Options>(script: string, help: string, options: T): Values<T> | undefined {
  let values: Values<T> & { help?: boolean };
  try {
    const valueFlags = Object.entries(options).filter(([, o]) => o.type === 'string').map(([name]) => `--${name}`);
    const args = negativeValuesInline(process.argv.slice(2), valueFlags);
    values = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true })
      .values as Values<T> & { help?: boolean };
  } catch (e) {
    usageError(script, (e as Error).message);
  }
  if (values.help) {
    process.stdout.write(help);
    return undefined;
  }
  return values;
}

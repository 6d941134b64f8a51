// Parsing helpers shared by the CLI scripts: numbers and lists with errors that name the flag.
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Exits with `message` and a pointer to --help (status 2, like a usage error). */
export function usageError(script: string, message: string): never {
  console.error(`${script}: ${message}\nRun with --help for the options.`);
  process.exit(2);
}

export function parseNumber(script: string, flag: string, value: string, check: 'positive' | 'positive-integer' | 'integer'): number {
  const n = Number(value);
  const ok =
    value.trim() !== '' &&
    Number.isFinite(n) &&
    (check === 'positive' ? n > 0 : check === 'positive-integer' ? Number.isInteger(n) && n > 0 : Number.isSafeInteger(n));
  if (!ok) usageError(script, `--${flag} must be a ${check.replace('-', ' ')} number, got '${value}'`);
  return n;
}

/** '50' → [50], '128,64' → [128, 64], '' → [] (no hidden layer). */
export function parseSizes(script: string, flag: string, value: string): number[] {
  if (value.trim() === '') return [];
  return value.split(',').map((part) => parseNumber(script, flag, part.trim(), 'positive-integer'));
}

export function parseChoice<T extends string>(script: string, flag: string, value: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value)) usageError(script, `--${flag} must be one of ${choices.join(', ')}, got '${value}'`);
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
    values = parseArgs({ args: process.argv.slice(2), options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true })
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

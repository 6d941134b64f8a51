// `gradspec init [ts|python|node]`: copies a starter from examples/starters/ into your project (one op,
// relu, passing its cases), and says the command that runs it. It never overwrites a file unless told.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { didYouMean } from '../conformance/cli/did-you-mean';
import { describeParseError } from '../conformance/cli/parse-error';

const PACKAGE_ROOT = join(__dirname, '..');

interface Starter {
  /** What it is, for the usage text. */
  about: string;
  /** [file in this package, name written into the project]; the first is the implementation. */
  files: [string, string][];
  /** The run command, given the implementation's path as the user types it. */
  run(path: string): string;
}

const STARTERS: Record<string, Starter> = {
  ts: {
    about: 'a TypeScript module loaded into the runner (--impl); types from the gradspec package',
    files: [['examples/starters/starter.ts', 'gradspec-impl.ts']],
    run: (path) => `npx gradspec run --impl ${path} --op relu`,
  },
  python: {
    about: 'a Python program over the protocol (--exec), with gradspec_protocol.py beside it',
    files: [
      ['examples/starters/starter.py', 'gradspec_impl.py'],
      ['examples/python/gradspec_protocol.py', 'gradspec_protocol.py'],
    ],
    run: (path) => `npx gradspec run --exec "python3 ${path}" --op relu`,
  },
  node: {
    about: 'a Node.js program over the protocol (--exec), no dependencies',
    files: [['examples/starters/starter.mjs', 'gradspec-impl.mjs']],
    run: (path) => `npx gradspec run --exec "node ${path}" --op relu`,
  },
};

export const INIT_USAGE = `Usage: gradspec init [ts|python|node] [options]

Writes a starter implementation into this folder: one op (relu) that passes its cases, to grow op by
op (spec/ops/<op>.md has each op's formulas). Without a language, ts.

${Object.entries(STARTERS).map(([name, s]) => `  ${name.padEnd(7)} ${s.files.map(([, to]) => to).join(' + ')}: ${s.about}`).join('\n')}

Options:
  --dir <folder>   write there instead (created if missing)
  --force          overwrite files that exist
  -h, --help       this text
`;

interface IO {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  cwd: string;
}

export function initCommand(argv: readonly string[], ioOverrides: Partial<IO> = {}): number {
  const io: IO = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), ...ioOverrides };
  const fail = (message: string): number => {
    io.stderr.write(`gradspec init: ${message}\n`);
    return 2;
  };
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { dir: { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    const what = describeParseError(e, { options: ['--dir', '--force', '--help'], example: () => '--dir my-impl' });
    return fail(`${what} (gradspec init --help lists the options)`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(INIT_USAGE);
    return 0;
  }
  if (positionals.length > 1) return fail(`one language at a time, got ${positionals.join(' ')}`);
  const language = positionals[0] ?? 'ts';
  const starter = STARTERS[language];
  if (!starter) {
    const known = Object.keys(STARTERS);
    return fail(`'${language}' is not a starter; pass ${known.join(', ')}${prefixed(didYouMean(language, known))}`);
  }
  if (values.dir === '') return fail('--dir needs a folder');
  const dir = resolve(io.cwd, values.dir ?? '.');
  const targets = starter.files.map(([from, to]) => ({ from: join(PACKAGE_ROOT, from), to: join(dir, to) }));
  const existing = targets.filter(({ to }) => existsSync(to));
  if (existing.length > 0 && !values.force) {
    return fail(`${existing.map(({ to }) => shown(io.cwd, to)).join(' and ')} already exists; pass --force to overwrite, or --dir to write elsewhere`);
  }
  const main = shown(io.cwd, targets[0]!.to);
  try {
    mkdirSync(dir, { recursive: true });
    targets.forEach(({ from, to }, i) => {
      const text = readFileSync(from, 'utf8');
      // The starter's comments name its place in this package; in the copy they name the copy.
      writeFileSync(to, i === 0 ? text.replaceAll(relative(PACKAGE_ROOT, from), main) : text);
    });
  } catch (e) {
    return fail(`cannot write ${shown(io.cwd, dir)}: ${(e as Error).message}`);
  }
  io.stdout.write(`wrote ${targets.map(({ to }) => shown(io.cwd, to)).join(', ')}\nrun it:  ${starter.run(main)}\n`);
  return 0;
}

function prefixed(hint: string | undefined): string {
  return hint ? ` (${hint})` : '';
}

/** A path as the user would type it from `cwd`: ./name for a file here. */
function shown(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel.startsWith('..') || rel.startsWith('/') ? path : `./${rel}`;
}

// The `gradspec` command: dispatches to its subcommands. `gradspec run` validates an implementation
// against the fixtures (the default with no arguments); `gradspec init` is cli/init.ts, `gradspec train` cli/train.ts.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { EXIT, runCommand } from '../conformance/cli/run-command';
import { gradspecVersion } from '../conformance/reporters/json';
import type * as Dashboard from '../conformance/dashboard/dashboard-command';
import { initCommand } from './init';

export const USAGE = `Usage: gradspec <command> [options]

Commands:
  run     run the conformance fixtures against an implementation (the default)
          e.g. gradspec run --impl tfjs, gradspec run --exec "python3 examples/python/impl.py"
  init    write a starter implementation (TypeScript, Python or Node.js) into this folder
          e.g. gradspec init python
  train   train the reference implementation (src/) on MNIST
  dashboard
          several runs' JSON reports side by side in one HTML page
          e.g. gradspec dashboard out/ref.json out/tfjs.json --out out/dashboard.html

gradspec <command> --help shows a command's options.
`;

type Main = (argv: string[]) => number | void | Promise<number | void>;

/** Runs one command line; resolves to the exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command.startsWith('-')) {
    if (command === '--help' || command === '-h') {
      process.stdout.write(USAGE);
      return EXIT.pass;
    }
    if (command === '--version' || command === '-v') {
      process.stdout.write(`${gradspecVersion()}\n`);
      return EXIT.pass;
    }
    // `gradspec` alone, or `gradspec --impl tfjs`: run is the main job.
    return runCommand(argv);
  }
  if (command === 'run') return runCommand(rest);
  if (command === 'init') return initCommand(rest);
  if (command === 'train') return train(rest);
  if (command === 'dashboard') {
    // Loaded for this command only; a plain require, which tsx's hook and jest both compile.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { dashboardCommand } = require('../conformance/dashboard/dashboard-command') as typeof Dashboard;
    return dashboardCommand(rest);
  }
  process.stderr.write(`gradspec: '${command}' is not a command; pass run, init, train or dashboard\n\n${USAGE}`);
  return EXIT.usage;
}

/**
 * cli/train.ts: called in-process when it exports main(argv); otherwise it is a script (its entry
 * guarded by require.main or run on import), so it runs as one, in a child process under tsx.
 */
async function train(argv: string[]): Promise<number> {
  const file = join(__dirname, 'train.ts');
  if (!existsSync(file)) {
    process.stderr.write('gradspec: train is not available in this copy (cli/train.ts is missing)\n');
    return EXIT.usage;
  }
  if (/export\s+(async\s+)?function\s+main\b|export\s*\{[^}]*\bmain\b/.test(readFileSync(file, 'utf8'))) {
    const { main: trainMain } = createRequire(__filename)(file) as { main: Main };
    const code = await trainMain(argv);
    return typeof code === 'number' ? code : Number(process.exitCode ?? 0);
  }
  const child = spawnSync(process.execPath, [createRequire(__filename).resolve('tsx/cli'), file, ...argv], { stdio: 'inherit' });
  if (child.error) throw child.error;
  return child.status ?? 128 + (child.signal ? (osConstants.signals[child.signal] ?? 0) : 0);
}

/** Runs main and exits with its status once stdout has drained (an implementation may keep handles open). */
export function runCli(argv: readonly string[]): void {
  main(argv).then(
    (code) => exitAfterFlush(code),
    (e: unknown) => {
      process.stderr.write(`gradspec: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      exitAfterFlush(EXIT.usage);
    },
  );
}

function exitAfterFlush(code: number): void {
  process.exitCode = code;
  process.stdout.write('', () => process.exit(code));
}

if (require.main === module) runCli(process.argv.slice(2));

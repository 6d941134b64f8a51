// `npm run train` rejects bad flags by name before it trains: no raw typed-array errors, no Node
// "ambiguous" puzzles, no silent clamping, and an unusable --out is found before the run, not after.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTrainArgs, runTraining, type TrainConfig } from '../../cli/train';
import { encodeIdx } from '../../src/data/idx';

const ROOT = join(__dirname, '..', '..');

/** A 4-image MNIST in the IDX format, so --subset is checked without reading the real 60000. */
function tinyMnist(dir: string): string {
  for (const [prefix, count] of [['train', 4], ['t10k', 2]] as const) {
    writeFileSync(join(dir, `${prefix}-images-idx3-ubyte`), encodeIdx([count, 28, 28], new Uint8Array(count * 784)));
    writeFileSync(join(dir, `${prefix}-labels-idx1-ubyte`), encodeIdx([count], new Uint8Array(count)));
  }
  return dir;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gradspec-train-args-'));
  tinyMnist(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it.each([
  [['--epochs', '-1'], "--epochs must be a positive integer number (digits only), got '-1'"],
  [['--lr', '0x10'], "--lr must be a positive number, got '0x10'"],
  [['--lr', 'Infinity'], "--lr must be a positive number, got 'Infinity'"],
  [['--hidden', '1e9'], "--hidden must be a positive integer number (digits only), got '1e9'"],
  [['--hidden', '1000000000'], '--hidden is 1000000000, more than 65536, the most it allows'],
])('flags %j: %s', (args, message) => {
  expect(() => parseTrainArgs(args)).toThrow(message);
});

it('checks --out before it trains, and --subset against the images there are', () => {
  const config = (extra: string[]) => ({ ...(parseTrainArgs(['--mnist', dir, '--epochs', '1', '--quiet', ...extra]) as TrainConfig) });
  expect(() => runTraining(config(['--out', '/dev/null/run']))).toThrow('--out /dev/null/run cannot be written: ENOTDIR');
  expect(() => runTraining(config(['--subset', '999999999', '--out', join(dir, 'out')]))).toThrow('--subset 999999999 asks for more than the 4 training images there are');
});

it('the command exits 2 with the message and a pointer to --help', () => {
  const run = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'cli', 'train.ts'), '--epochs', '-1'], { encoding: 'utf8', cwd: ROOT, timeout: 60_000 });
  expect(run.status).toBe(2);
  expect(run.stderr).toContain("train: --epochs must be a positive integer number (digits only), got '-1'\nRun with --help for the options.");
}, 60_000);

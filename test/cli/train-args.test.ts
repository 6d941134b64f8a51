// `npm run train` rejects bad flags by name before it trains: no raw typed-array errors, no Node
// "ambiguous" puzzles, no silent clamping, and an unusable --out is found before the run, not after.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claimRunFolder } from '../../cli/run-folder';
import { parseTrainArgs, runTraining, type TrainConfig } from '../../cli/train';
import { encodeIdx } from '../../src/data/idx';

const ROOT = join(__dirname, '..', '..');

/** A 4-image MNIST in the IDX format, so --subset is checked without reading the real 60000. */
function tinyMnist(dir: string): string {
  for (const [prefix, count] of [['train', 4], ['t10k', 2]] as const) {
    // Varied pixels and labels: the loader normalizes by the pixels' spread, which must not be 0.
    writeFileSync(join(dir, `${prefix}-images-idx3-ubyte`), encodeIdx([count, 28, 28], Uint8Array.from({ length: count * 784 }, (_, i) => (i * 37) % 256)));
    writeFileSync(join(dir, `${prefix}-labels-idx1-ubyte`), encodeIdx([count], Uint8Array.from({ length: count }, (_, i) => i % 10)));
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
  [['--model', 'cnn'], "--model must be one of mlp, lenet, got 'cnn'"],
  [['--model', 'lenet', '--hidden', '50'], "--hidden is for --model mlp; LeNet's layers are fixed"],
  [['--no-batch-norm'], '--no-batch-norm is for --model lenet; the MLP has no batch norm'],
  [['--overwrite'], '--overwrite needs --out DIR (the run to replace); without --out every run gets a new folder'],
])('flags %j: %s', (args, message) => {
  expect(() => parseTrainArgs(args)).toThrow(message);
});

it('gives each model its own defaults, and --no-batch-norm turns batch norm off', () => {
  const pick = ({ model, epochs, dtype, batchNorm, hidden }: TrainConfig) => ({ model, epochs, dtype, batchNorm, hidden });
  expect(pick(parseTrainArgs([]) as TrainConfig)).toEqual({ model: 'mlp', epochs: 5, dtype: 'float64', batchNorm: false, hidden: [50] });
  expect(pick(parseTrainArgs(['--model', 'lenet']) as TrainConfig)).toEqual({ model: 'lenet', epochs: 3, dtype: 'float32', batchNorm: true, hidden: [] });
  expect((parseTrainArgs(['--model', 'lenet', '--no-batch-norm', '--epochs', '1']) as TrainConfig).batchNorm).toBe(false);
});

it('puts each run in a new folder, and replaces a named one only with --overwrite', () => {
  const root = join(dir, 'runs');
  expect(claimRunFolder(undefined, { overwrite: false, prefix: 'lenet', root })).toBe(join(root, 'lenet-1'));
  mkdirSync(join(root, 'lenet-7'));
  expect(claimRunFolder(undefined, { overwrite: false, prefix: 'lenet', root })).toBe(join(root, 'lenet-8'));
  expect(claimRunFolder(undefined, { overwrite: false, prefix: 'mlp', root })).toBe(join(root, 'mlp-1'));
  const named = join(root, 'named');
  expect(claimRunFolder(named, { overwrite: false, prefix: 'mlp' })).toBe(named); // empty: nothing to keep
  writeFileSync(join(named, 'log.json'), '{}');
  expect(() => claimRunFolder(named, { overwrite: false, prefix: 'mlp' })).toThrow(`--out ${named} already holds a run (log.json); pass --overwrite to replace it, or another --out`);
  expect(claimRunFolder(named, { overwrite: true, prefix: 'mlp' })).toBe(named);
});

it('trains a LeNet for one epoch on 4 images and names model, dtype, subset and seed in the plot title', () => {
  const out = join(dir, 'lenet-run');
  const config = parseTrainArgs(['--model', 'lenet', '--mnist', dir, '--epochs', '1', '--subset', '4', '--seed', '3', '--quiet', '--out', out]) as TrainConfig;
  const log = jest.spyOn(console, 'log').mockImplementation(() => {});
  try {
    const { history } = runTraining(config);
    expect(history).toHaveLength(1);
    expect(history[0]!.testAccuracy).toBeDefined();
  } finally {
    log.mockRestore();
  }
  const svg = readFileSync(join(out, 'curves.svg'), 'utf8');
  expect(svg).toContain('LeNet-5 with batch norm on MNIST, float32, first 4 training images, seed 3');
  expect(JSON.parse(readFileSync(join(out, 'log.json'), 'utf8')).config).toMatchObject({ model: 'lenet', batchNorm: true, out });
  expect(() => runTraining(config)).toThrow('already holds a run');
  expect(existsSync(join(out, 'log.json'))).toBe(true);
});

it('checks --out before it trains, and --subset against the images there are', () => {
  const config = (extra: string[]) => ({ ...(parseTrainArgs(['--mnist', dir, '--epochs', '1', '--quiet', ...extra]) as TrainConfig) });
  expect(() => runTraining(config(['--out', '/dev/null/run']))).toThrow('--out /dev/null/run cannot be written: ENOTDIR');
  expect(() => runTraining(config(['--subset', '999999999', '--out', join(dir, 'out')]))).toThrow('--subset 999999999 asks for more than the 4 training images there are');
});

it('the command exits 2 with the message and a pointer to --help', () => {
  // `npm run train`'s `tsx cli/train.ts`, without the tsx launcher's second node process.
  const run = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), join(ROOT, 'cli', 'train.ts'), '--epochs', '-1'], { encoding: 'utf8', cwd: ROOT, timeout: 60_000 });
  expect(run.status).toBe(2);
  expect(run.stderr).toContain("train: --epochs must be a positive integer number (digits only), got '-1'\nRun with --help for the options.");
}, 60_000);

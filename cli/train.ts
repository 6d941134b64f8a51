// The training CLI: an MLP or a LeNet on MNIST with the reference implementation (src/), per-epoch
// metrics on the console, and log.json plus curves.svg in a new run folder. `npm run train -- --help`.
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadMnist, mnistTensors } from '../src/data/mnist';
import { buildLenet } from '../src/train/lenet';
import { buildMlp, createLoss } from '../src/train/setup';
import { type EpochMetrics, type Trainable, train } from '../src/train/train';
import { defaultMnistDir } from './mnist-dir';
import { curvesSvg } from './plot/curves';
import { epochReporter, percent } from './progress';
import { claimRunFolder } from './run-folder';
import { TRAIN_HELP, type TrainConfig, parseTrainArgs } from './train-args';

export { parseTrainArgs, type TrainConfig } from './train-args';

const SCRIPT = 'train';

/** The model the config names, and its description for the console and the plot. */
function buildModel(config: TrainConfig, inputs: number): { model: Trainable; name: string } {
  if (config.model === 'lenet') {
    return { model: buildLenet({ seed: config.seed, dtype: config.dtype, batchNorm: config.batchNorm }), name: `LeNet-5${config.batchNorm ? ' with batch norm' : ''}` };
  }
  const sizes = [inputs, ...config.hidden, 10];
  return { model: buildMlp(sizes, { seed: config.seed, dtype: config.dtype }), name: `MLP ${sizes.join('-')}` };
}

/** Rows per forward pass when evaluating: a LeNet's activations for 1000 images would take ~100 MB and page faults. */
const EVAL_BATCH = { mlp: 1000, lenet: 100 };

export function runTraining(config: TrainConfig): { history: EpochMetrics[]; totalSeconds: number; out: string } {
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  // Before any training: a run whose results cannot be written is found now, not after minutes.
  const out = claimRunFolder(config.out, { overwrite: config.overwrite, prefix: config.model });
  const mnist = loadMnist({ dir: config.mnist ?? defaultMnistDir(), trainLimit: config.subset });
  if (config.subset !== undefined && config.subset > mnist.train.count) {
    throw new Error(`--subset ${config.subset} asks for more than the ${mnist.train.count} training images there are`);
  }
  const data = mnistTensors(mnist, config.dtype);
  const { model, name } = buildModel(config, mnist.train.rows * mnist.train.cols);
  const loadSeconds = (performance.now() - start) / 1000;
  const images = config.subset === undefined ? `all ${mnist.train.count} training images` : `first ${mnist.train.count} training images`;
  const settings = `${config.loss}, lr ${config.lr} (${config.schedule}), batch ${config.batchSize}`;
  console.log(`${name}, ${settings}, ${config.dtype}, seed ${config.seed}; ${images}, ${mnist.test.count} test (loaded in ${loadSeconds.toFixed(1)} s)`);

  const reporter = epochReporter(config.epochs, { quiet: config.quiet });
  const history = train(
    model,
    createLoss(config.loss),
    { train: data.train, test: data.test },
    { epochs: config.epochs, lr: config.lr, schedule: config.schedule, batchSize: config.batchSize, seed: config.seed, evalBatchSize: EVAL_BATCH[config.model], onBatch: reporter.onBatch },
    reporter.onEpoch,
  );
  const totalSeconds = (performance.now() - start) / 1000;
  // CPU time beside wall time: on a shared machine, wall time also counts other processes' turns.
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const trainSeconds = history.reduce((s, m) => s + m.seconds, 0);
  const last = history[history.length - 1];
  console.log(
    `final test accuracy ${percent(last?.testAccuracy)}; training ${trainSeconds.toFixed(1)} s ` +
      `(${(trainSeconds / Math.max(1, history.length)).toFixed(1)} s/epoch), ${totalSeconds.toFixed(1)} s in all (${cpuSeconds.toFixed(1)} s of CPU)`,
  );

  const log = {
    config: { ...config, out, modelName: name },
    data: { train: mnist.train.count, test: mnist.test.count, normalization: { mean: data.mean, std: data.std } },
    epochs: history,
    finalTestAccuracy: last?.testAccuracy,
    trainSeconds,
    totalSeconds,
    cpuSeconds,
    node: process.version,
  };
  writeFileSync(path.join(out, 'log.json'), JSON.stringify(log, null, 2) + '\n');
  // The title says what makes two plots differ: model, dtype, data, seed, then the optimizer settings.
  const title = `${name} on MNIST, ${config.dtype}, ${images}, seed ${config.seed} — ${settings}`;
  writeFileSync(path.join(out, 'curves.svg'), curvesSvg(history, title));
  console.log(`wrote ${path.join(out, 'log.json')} and ${path.join(out, 'curves.svg')}`);
  return { history, totalSeconds, out };
}

function main(): void {
  let config: TrainConfig | 'help';
  try {
    config = parseTrainArgs(process.argv.slice(2));
  } catch (e) {
    // UsageErrors and parseArgs' own errors (unknown option, missing value).
    console.error(`${SCRIPT}: ${(e as Error).message}\nRun with --help for the options.`);
    process.exit(2);
  }
  if (config === 'help') {
    process.stdout.write(TRAIN_HELP);
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

// The seed's sanity check: a 784-50-10 MLP fits 100 training images perfectly. Trains full-batch
// (the seed has no mini-batches) until the accuracy on those 100 images, measured after the
// update, reaches 100%, and says how many epochs that took. `--help` for the options.
import { defaultMnistDir } from '../mnist-dir';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadMnist, mnistTensors } from '../../src/data/mnist';
import { buildMlp, createLoss, LOSS_NAMES } from '../../src/train/setup';
import { train } from '../../src/train/train';
import { parseChoice, parseNumber, parseScriptArgs, runScript } from '../args';
import { epochReporter, percent } from '../progress';
import { curvesSvg } from '../plot/curves';

const SCRIPT = 'overfit-100';
const HELP = `Usage: npx tsx cli/experiments/overfit-100.ts [options]

Trains 784-50-10 on the first 100 MNIST training images until it classifies all of them correctly.

Options:
  --images N        training images (default 100)
  --lr X            learning rate (default 0.1)
  --batch-size N    default: all images (full batch, like the seed)
  --loss NAME       cross_entropy | mse | mse_softmax (default cross_entropy)
  --max-epochs N    give up after N epochs (default 1000)
  --seed N          default 0
  --out DIR         default out/experiments/overfit-100
`;

function main(): void {
  const values = parseScriptArgs(SCRIPT, HELP, {
    images: { type: 'string', default: '100' },
    lr: { type: 'string', default: '0.1' },
    'batch-size': { type: 'string' },
    loss: { type: 'string', default: 'cross_entropy' },
    'max-epochs': { type: 'string', default: '1000' },
    seed: { type: 'string', default: '0' },
    out: { type: 'string', default: path.join('out', 'experiments', 'overfit-100') },
  });
  if (!values) return;
  const images = parseNumber('images', values.images, 'positive-integer');
  const lr = parseNumber('lr', values.lr, 'positive');
  const batchSize = values['batch-size'] === undefined ? images : parseNumber('batch-size', values['batch-size'], 'positive-integer');
  const lossName = parseChoice('loss', values.loss, LOSS_NAMES);
  const maxEpochs = parseNumber('max-epochs', values['max-epochs'], 'positive-integer');
  const seed = parseNumber('seed', values.seed, 'integer');

  const data = mnistTensors(loadMnist({ dir: defaultMnistDir(), trainLimit: images }));
  const model = buildMlp([784, 50, 10], { seed });
  console.log(`784-50-10 on ${images} training images, ${lossName}, lr ${lr}, batch ${batchSize}, seed ${seed}; stop at 100% training accuracy`);
  const reporter = epochReporter(maxEpochs, { quiet: true });
  const history = train(
    model,
    createLoss(lossName),
    { train: data.train, test: data.test },
    { epochs: maxEpochs, lr, batchSize, seed, evaluateTrain: true, stopWhen: (m) => m.trainAccuracy === 1 },
    (m) => {
      // Every epoch up to 10, then every 10th: enough to see the curve without a thousand lines.
      if (m.epoch <= 10 || m.epoch % 10 === 0 || m.trainAccuracy === 1) reporter.onEpoch(m);
    },
  );
  const last = history[history.length - 1]!;
  const reached = last.trainAccuracy === 1;
  console.log(
    reached
      ? `100% training accuracy on ${images} images after ${last.epoch} epochs (train loss ${last.trainLoss.toFixed(4)}, test accuracy ${percent(last.testAccuracy)} — memorised, not learned)`
      : `did not reach 100% in ${maxEpochs} epochs: training accuracy ${percent(last.trainAccuracy)}`,
  );
  mkdirSync(values.out, { recursive: true });
  writeFileSync(
    path.join(values.out, 'log.json'),
    JSON.stringify({ config: { images, lr, batchSize, loss: lossName, maxEpochs, seed }, epochsTo100: reached ? last.epoch : null, epochs: history }, null, 2) + '\n',
  );
  writeFileSync(path.join(values.out, 'curves.svg'), curvesSvg(history, `784-50-10 on ${images} images: fitting the training set`, 'after epoch'));
  console.log(`wrote ${path.join(values.out, 'log.json')} and ${path.join(values.out, 'curves.svg')}`);
  if (!reached) process.exit(1);
}

runScript(SCRIPT, main);

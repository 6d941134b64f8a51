// The seed's loss comparison: the same 784-50-10 MLP trained with MSE, MSE on softmax and
// cross-entropy (lr 0.5, 50 epochs) on a subset of MNIST; one table and one SVG with the three
// loss and accuracy curves. `--help` for the options.
import { defaultMnistDir } from '../mnist-dir';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadMnist, mnistTensors } from '../../src/data/mnist';
import { buildMlp, createLoss, LOSS_NAMES } from '../../src/train/setup';
import { type EpochMetrics, train } from '../../src/train/train';
import { parseNumber, parseScriptArgs, runScript } from '../args';
import { type Series, renderChart } from '../plot/svg';
import { percent } from '../progress';

const SCRIPT = 'compare-losses';
const HELP = `Usage: npx tsx cli/experiments/compare-losses.ts [options]

Trains 784-50-10 three times from the same initial weights — mse, mse_softmax, cross_entropy —
and plots loss and accuracy per epoch for the three.

Options:
  --subset N        training images (default 1000; the test set is the full 10000)
  --epochs N        default 50
  --lr X            default 0.5
  --batch-size N    default: the whole subset (full batch, as in the seed, which has no mini-batches)
  --seed N          default 0
  --out DIR         default out/experiments/compare-losses
`;

const LABELS: Record<string, string> = { mse: 'MSE', mse_softmax: 'MSE on softmax', cross_entropy: 'cross-entropy' };
const COLORS: Record<string, string> = { mse: '#1f77b4', mse_softmax: '#ff7f0e', cross_entropy: '#2ca02c' };

function main(): void {
  const values = parseScriptArgs(SCRIPT, HELP, {
    subset: { type: 'string', default: '1000' },
    epochs: { type: 'string', default: '50' },
    lr: { type: 'string', default: '0.5' },
    'batch-size': { type: 'string' },
    seed: { type: 'string', default: '0' },
    out: { type: 'string', default: path.join('out', 'experiments', 'compare-losses') },
  });
  if (!values) return;
  const subset = parseNumber('subset', values.subset, 'positive-integer');
  const epochs = parseNumber('epochs', values.epochs, 'positive-integer');
  const lr = parseNumber('lr', values.lr, 'positive');
  const batchSize = values['batch-size'] === undefined ? subset : parseNumber('batch-size', values['batch-size'], 'positive-integer');
  const seed = parseNumber('seed', values.seed, 'integer');

  const data = mnistTensors(loadMnist({ dir: defaultMnistDir(), trainLimit: subset }));
  console.log(`784-50-10 on the first ${data.train.labels.length} training images, lr ${lr}, ${epochs} epochs, batch ${batchSize}, seed ${seed}; test on 10000`);
  const runs: Record<string, EpochMetrics[]> = {};
  for (const name of ['mse', 'mse_softmax', 'cross_entropy'] satisfies (typeof LOSS_NAMES)[number][]) {
    const start = performance.now();
    // Same seed → same initial weights and the same batch order for every loss.
    runs[name] = train(buildMlp([784, 50, 10], { seed }), createLoss(name), { train: data.train, test: data.test }, { epochs, lr, batchSize, seed, evaluateTrain: true });
    const last = runs[name]![epochs - 1]!;
    console.log(
      `${LABELS[name]!.padEnd(15)} final loss ${last.trainLoss.toPrecision(4).padStart(8)}  train acc ${percent(last.trainAccuracy)}  ` +
        `test acc ${percent(last.testAccuracy)}  (${((performance.now() - start) / 1000).toFixed(1)} s)`,
    );
  }
  console.log('\nTest accuracy by epoch:');
  console.log(['epoch', ...Object.keys(runs).map((n) => LABELS[n]!)].map((h) => h.padStart(15)).join(''));
  for (const e of [1, 2, 5, 10, 20, 30, 40, 50, epochs].filter((e, i, all) => e <= epochs && all.indexOf(e) === i)) {
    console.log([String(e), ...Object.values(runs).map((h) => percent(h[e - 1]!.testAccuracy))].map((c) => c.padStart(15)).join(''));
  }

  const lines = (pick: (m: EpochMetrics) => number | undefined, dashed: boolean, suffix: string): Series[] =>
    Object.entries(runs).map(([name, h]) => ({
      name: LABELS[name]! + suffix,
      color: COLORS[name],
      dashed,
      points: h.map((m) => [m.epoch, pick(m) ?? NaN] as [number, number]),
    }));
  const svg = renderChart(
    [
      { title: 'Training loss (each its own loss)', xLabel: 'epoch', yLabel: 'loss (log scale)', logY: true, series: lines((m) => m.trainLoss, false, '') },
      {
        title: 'Accuracy',
        xLabel: 'epoch',
        yLabel: 'accuracy',
        yRange: [0, 1],
        series: [...lines((m) => m.testAccuracy, false, ', test'), ...lines((m) => m.trainAccuracy, true, ', train')],
      },
    ],
    { title: `MSE vs MSE on softmax vs cross-entropy: 784-50-10, ${subset} images, lr ${lr}, batch ${batchSize}` },
  );
  mkdirSync(values.out, { recursive: true });
  writeFileSync(path.join(values.out, 'losses.svg'), svg);
  writeFileSync(path.join(values.out, 'log.json'), JSON.stringify({ config: { subset, epochs, lr, batchSize, seed }, runs }, null, 2) + '\n');
  console.log(`\nwrote ${path.join(values.out, 'losses.svg')} and ${path.join(values.out, 'log.json')}`);
}

runScript(SCRIPT, main);

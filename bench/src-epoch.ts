// One process, one src training run for the bench: `tsx bench/src-epoch.ts <dtype> <threads> <epochs> [mlp|lenet]`.
// Its own process, as NumPy's is: the bench's own heap (tfjs, the matmul operands) would slow every
// garbage collection of the run and say nothing about src. Prints one JSON line.
import { closeMatmulWorkers, configureMatmul, startMatmulWorkers } from '../src/kernels/matmul';
import { loadMnist, mnistTensors } from '../src/data/mnist';
import { defaultMnistDir } from '../cli/mnist-dir';
import type { DType } from '../src/tensor';
import { buildLenet } from '../src/train/lenet';
import { buildMlp, createLoss } from '../src/train/setup';
import { train } from '../src/train/train';

export const EPOCH = { hidden: 50, batchSize: 64, lr: 0.1, seed: 0 };
/** The CNN epoch: `npm run train -- --model lenet`'s network (batch norm on), constant lr. */
export const CNN_EPOCH = { batchNorm: true, batchSize: 64, lr: 0.1, seed: 0 };

function main(): void {
  const [dtype = 'float64', threads = '1', epochs = '2', modelName = 'mlp'] = process.argv.slice(2);
  const lenet = modelName === 'lenet';
  const config = lenet ? CNN_EPOCH : EPOCH;
  configureMatmul({ threads: Number(threads) });
  const workers = startMatmulWorkers(60_000); // ready before the clock starts, as NumPy's library is loaded before its own
  const data = mnistTensors(loadMnist({ dir: defaultMnistDir() }), dtype as DType);
  const model = lenet
    ? buildLenet({ seed: CNN_EPOCH.seed, dtype: dtype as DType, batchNorm: CNN_EPOCH.batchNorm })
    : buildMlp([784, EPOCH.hidden, 10], { seed: EPOCH.seed, dtype: dtype as DType });
  // CPU time of each epoch (all threads of the process; the evaluation after it excluded), beside wall time:
  // on a busy machine, wall time also counts the time other processes had the cores.
  const cpuSeconds: number[] = [];
  let cpu = process.cpuUsage();
  const onBatch = (p: { batch: number; batches: number }) => {
    if (p.batch !== p.batches) return;
    const used = process.cpuUsage(cpu);
    cpuSeconds.push((used.user + used.system) / 1e6);
  };
  const history = train(model, createLoss('cross_entropy'), { train: data.train, test: data.test }, { epochs: Number(epochs), lr: config.lr, batchSize: config.batchSize, seed: config.seed, evalBatchSize: lenet ? 100 : 1000, onBatch }, () => {
    cpu = process.cpuUsage();
  });
  console.log(JSON.stringify({
    seconds: history.map((m) => m.seconds),
    cpuSeconds,
    testAccuracy: history.map((m) => m.testAccuracy),
    workers,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  }));
}

if (require.main === module) {
  try {
    main();
  } finally {
    void closeMatmulWorkers();
  }
}

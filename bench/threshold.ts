// `npm run bench:threshold`: where splitting a product across threads starts to pay. For each shape,
// one thread vs all threads, interleaved, best and median of many runs; PARALLEL_MIN_FLOP in
// src/kernels/matmul.ts is set from what this prints (the smallest 2mnk that gains clearly).
import { closeMatmulWorkers, configureMatmul, gemm, matmulStatus, startMatmulWorkers } from '../src/kernels/matmul';
import { Rng } from '../src/random';
import { table } from './lib/format';

const SHAPES: [number, number, number, string][] = [
  [32, 32, 32, 'square'], [48, 48, 48, 'square'], [64, 64, 64, 'square'], [80, 80, 80, 'square'],
  [100, 100, 100, 'square'], [128, 128, 128, 'square'], [192, 192, 192, 'square'],
  [64, 50, 784, 'MNIST forward x·W1'], [784, 50, 64, 'MNIST dW1 = xᵀ·dy'], [64, 10, 50, 'MNIST forward h·W2'],
  [16, 50, 784, 'batch 16 forward'], [784, 50, 16, 'batch 16 dW1'],
];

function main(): void {
  const rng = new Rng(3);
  const threads = Math.max(2, matmulStatus().threads);
  configureMatmul({ threads, workerIdleMs: 60_000, parallelMinFlop: 0, parallelMinRows: 0 });
  const ready = startMatmulWorkers(60_000);
  console.log(`threshold: 1 thread vs ${1 + ready} threads (PARALLEL_MIN_FLOP and PARALLEL_MIN_ROWS disabled here)\n`);
  const rows: string[][] = [];
  for (const dtype of ['float64', 'float32'] as const) {
    for (const [m, n, k, what] of SHAPES) {
      const make = (size: number) => {
        const x = dtype === 'float32' ? new Float32Array(size) : new Float64Array(size);
        for (let i = 0; i < size; i++) x[i] = rng.normal();
        return x;
      };
      const a = make(m * k), b = make(k * n), c = make(m * n);
      const transA = what.includes('ᵀ');
      const times: Record<number, number[]> = { 1: [], [threads]: [] };
      const flop = 2 * m * n * k;
      const reps = Math.max(20, Math.min(2000, Math.round(2e8 / flop)));
      for (let r = 0; r < reps; r++) {
        for (const t of [1, threads]) {
          configureMatmul({ threads: t });
          const t0 = performance.now();
          gemm(m, n, k, a, transA, b, false, c);
          times[t]!.push(performance.now() - t0);
        }
      }
      const stat = (xs: number[]) => { xs.sort((p, q) => p - q); return { best: xs[0]!, median: xs[xs.length >> 1]! }; };
      const one = stat(times[1]!), many = stat(times[threads]!);
      rows.push([dtype, `${m}×${k}·${k}×${n}`, what, (flop / 1e6).toFixed(2), (one.median * 1000).toFixed(0), (many.median * 1000).toFixed(0),
        `${(one.median / many.median).toFixed(2)}×`, `${(one.best / many.best).toFixed(2)}×`]);
    }
  }
  const s = matmulStatus();
  console.log(`pool: ${s.sharedCalls} products shared, ${s.callsTakenBack} shares taken back from an idle worker, ${s.stalls} stalls (waits on a descheduled worker)\n`);
  console.log(table(['dtype', 'shape', 'what', 'MFLOP', '1 thread µs', `${threads} threads µs`, 'speedup (median)', 'speedup (best)'], rows));
}

try {
  main();
} finally {
  void closeMatmulWorkers();
}

// `npm run bench`: the speed and memory targets of the reference implementation, measured against
// tfjs-backend-cpu in the same process and, when importable, PyTorch (one thread) in a child process.
// A src epoch also runs in a fresh child process (this script with --src-epoch), as PyTorch's does:
// in this process, tfjs's heap and section 1's matrices would make every garbage collection of
// src's per-batch tensors slower (measured: 10–35% on the epoch), which says nothing about src.
//   1. matmul GFLOPS, square n×n, src float64 / float32 vs tfjs-cpu (which computes float32 only).
//   2. One MNIST epoch of 784-50-10, batch 64, lr 0.1, cross-entropy: src vs tfjs vs PyTorch.
//   3. Peak memory of this process (the epoch children report their own).
// Options: --sizes 64,128,...  --skip-epoch  --skip-torch  --json <file> (results as JSON);
// --src-epoch float64|float32 is the child's mode: one src epoch, one JSON line.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type * as TF from '@tensorflow/tfjs-core';
import { loadMnist, mnistTensors } from '../src/data/mnist';
import { defaultMnistDir } from '../cli/mnist-dir';
import { matmul } from '../src/ops/matmul';
import { Rng } from '../src/random';
import { type DType, Tensor } from '../src/tensor';
import { buildMlp, createLoss } from '../src/train/setup';
import { train } from '../src/train/train';

const EPOCH = { hidden: 50, batchSize: 64, lr: 0.1, seed: 0 };

/** tfjs, loaded by main() only after it knows it is not a --src-epoch child, which must not load it. */
let tf: typeof TF;

// ---------------------------------------------------------------- timing and memory

let peakRss = 0;
function sampleMemory(): void {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}

/** Median seconds per call of `fn`, after one warm-up call, over ≥ 3 calls and ≥ `minSeconds`. */
function timeIt(fn: () => void, minSeconds = 0.4): number {
  fn();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < 3 || (performance.now() - start) / 1000 < minSeconds) {
    const t0 = performance.now();
    fn();
    times.push((performance.now() - t0) / 1000);
  }
  sampleMemory();
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const fixed = (x: number, d = 2) => x.toFixed(d);

// ---------------------------------------------------------------- 1. matmul

interface MatmulResult {
  n: number;
  srcFloat64: number;
  srcFloat32: number;
  tfjsFloat32: number;
  /** max |src float64 − tfjs float32| / max |src float64| on the same operands: both computed the same product. */
  relativeDifference: number;
}

function randomTensor(rng: Rng, n: number, dtype: DType): Tensor {
  const t = Tensor.zeros([n, n], dtype);
  for (let i = 0; i < t.size; i++) t.data[i] = rng.normal();
  return t;
}

function benchMatmul(n: number): MatmulResult {
  const rng = new Rng(n);
  const a64 = randomTensor(rng, n, 'float64');
  const b64 = randomTensor(rng, n, 'float64');
  const a32 = new Tensor(Float32Array.from(a64.data), [n, n]);
  const b32 = new Tensor(Float32Array.from(b64.data), [n, n]);
  const ta = tf.tensor2d(a32.data as Float32Array, [n, n]);
  const tb = tf.tensor2d(b32.data as Float32Array, [n, n]);
  const flop = 2 * n ** 3;
  const minSeconds = n >= 1024 ? 0.2 : 0.4; // tfjs needs seconds per 1024² product

  const srcFloat64 = flop / timeIt(() => matmul(a64, b64), minSeconds) / 1e9;
  const srcFloat32 = flop / timeIt(() => matmul(a32, b32), minSeconds) / 1e9;
  const tfjsFloat32 =
    flop /
    timeIt(() => {
      const c = tf.matMul(ta, tb);
      c.dataSync(); // the cpu backend computes eagerly; reading makes sure the work is counted
      c.dispose();
    }, minSeconds) /
    1e9;

  const ours = matmul(a64, b64).data;
  const product = tf.matMul(ta, tb);
  const theirs = product.dataSync();
  let maxDiff = 0, maxAbs = 0;
  for (let i = 0; i < ours.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(ours[i]! - theirs[i]!));
    maxAbs = Math.max(maxAbs, Math.abs(ours[i]!));
  }
  product.dispose();
  ta.dispose();
  tb.dispose();
  return { n, srcFloat64, srcFloat32, tfjsFloat32, relativeDifference: maxDiff / maxAbs };
}

// ---------------------------------------------------------------- 2. one MNIST epoch

interface EpochResult {
  name: string;
  seconds: number;
  testAccuracy: number;
  note?: string;
}

/** The epoch itself, in the --src-epoch child: one JSON line on stdout. */
function srcEpochHere(dtype: DType): void {
  const data = mnistTensors(loadMnist({ dir: defaultMnistDir() }), dtype);
  const model = buildMlp([784, EPOCH.hidden, 10], { seed: EPOCH.seed, dtype });
  const [m] = train(model, createLoss('cross_entropy'), { train: data.train, test: data.test }, { epochs: 1, lr: EPOCH.lr, batchSize: EPOCH.batchSize, seed: EPOCH.seed });
  console.log(JSON.stringify({ seconds: m!.seconds, testAccuracy: m!.testAccuracy!, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
}

/** One src epoch in a fresh child process (same node flags, so tsx's loader too) that never loads tfjs. */
function srcEpoch(dtype: DType): EpochResult {
  const r = spawnSync(process.execPath, [...process.execArgv, __filename, '--src-epoch', dtype], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bench: the src ${dtype} epoch failed (exit ${r.status}): ${r.stderr.trim()}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
  return { name: `src ${dtype}`, seconds: out.seconds, testAccuracy: out.testAccuracy, note: `its own peak RSS ${Math.round(out.maxRssMb)} MB` };
}

/** The same epoch in tfjs-core on the cpu backend: tf.train.sgd minimising softmax cross-entropy. */
function tfjsEpoch(): EpochResult {
  const data = mnistTensors(loadMnist({ dir: defaultMnistDir() }), 'float32');
  const n = data.train.labels.length;
  const xTrain = tf.tensor2d(data.train.x.data as Float32Array, [n, 784]);
  const yTrain = tf.tensor2d(data.train.y.data as Float32Array, [n, 10]);
  const xTest = tf.tensor2d(data.test.x.data as Float32Array, [data.test.labels.length, 784]);
  const w1 = tf.variable(tf.randomNormal([784, EPOCH.hidden], 0, Math.sqrt(2 / 784), 'float32', EPOCH.seed));
  const b1 = tf.variable(tf.zeros([EPOCH.hidden]));
  const w2 = tf.variable(tf.randomNormal([EPOCH.hidden, 10], 0, Math.sqrt(2 / EPOCH.hidden), 'float32', EPOCH.seed + 1));
  const b2 = tf.variable(tf.zeros([10]));
  const forward = (x: TF.Tensor2D) => tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2), b2) as TF.Tensor2D;
  const optimizer = tf.train.sgd(EPOCH.lr);

  // The same shuffled order as src's DataLoader would use is not needed: any permutation is one epoch.
  const rng = new Rng(EPOCH.seed);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const start = performance.now();
  for (let i = 0; i < n; i += EPOCH.batchSize) {
    tf.tidy(() => {
      const idx = tf.tensor1d(order.subarray(i, Math.min(i + EPOCH.batchSize, n)), 'int32');
      const xb = tf.gather(xTrain, idx) as TF.Tensor2D;
      const yb = tf.gather(yTrain, idx);
      const cost = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(yb, forward(xb)) as TF.Scalar, true);
      cost!.dataSync(); // read the loss each batch, as src does
    });
  }
  const seconds = (performance.now() - start) / 1000;
  const predicted = tf.tidy(() => tf.argMax(forward(xTest), 1).dataSync());
  let correct = 0;
  for (let i = 0; i < predicted.length; i++) if (predicted[i] === data.test.labels[i]) correct++;
  sampleMemory();
  tf.dispose([xTrain, yTrain, xTest, w1, b1, w2, b2]);
  optimizer.dispose();
  return { name: 'tfjs-cpu float32', seconds, testAccuracy: correct / predicted.length };
}

/** The first python3 that can import torch: the PATH one, then Debian's /usr/bin/python3. */
function findTorchPython(): { python: string } | { reason: string } {
  const tried: string[] = [];
  for (const python of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' });
    if (r.status === 0) return { python };
    tried.push(`${python}: ${r.error ? r.error.message : (r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`)}`);
  }
  return { reason: tried.join('; ') };
}

function torchEpoch(python: string, dtype: 'float32' | 'float64'): EpochResult {
  const script = path.join(__dirname, 'torch_epoch.py');
  const args = [script, defaultMnistDir(), '--batch-size', String(EPOCH.batchSize), '--lr', String(EPOCH.lr), '--seed', String(EPOCH.seed), '--dtype', dtype];
  const r = spawnSync(python, args, { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' } });
  if (r.status !== 0) throw new Error(`bench: ${python} bench/torch_epoch.py failed (exit ${r.status}): ${r.stderr.trim()}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
  return { name: `PyTorch ${out.torch} ${dtype}, 1 thread`, seconds: out.seconds, testAccuracy: out.test_accuracy, note: `its own peak RSS ${Math.round(out.max_rss_mb)} MB` };
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '64,128,256,512,1024' },
      'skip-epoch': { type: 'boolean', default: false },
      'skip-torch': { type: 'boolean', default: false },
      json: { type: 'string' },
      'src-epoch': { type: 'string' },
    },
  });
  if (values['src-epoch'] !== undefined) return srcEpochHere(values['src-epoch'] as DType);
  // require, as the static imports did: import() would pick tfjs's ESM build, which Node cannot resolve.
  const load = createRequire(__filename);
  tf = load('@tensorflow/tfjs-core') as typeof TF;
  load('@tensorflow/tfjs-backend-cpu');
  load('@tensorflow/tfjs-core/dist/register_all_gradients'); // tfjs-core alone registers no gradients
  tf.env().set('PROD', true); // silences the "install tfjs-node" banner; no behaviour change for these kernels
  await tf.setBackend('cpu');
  await tf.ready();
  const totalStart = performance.now();
  const results: Record<string, unknown> = { node: process.version, tfjs: tf.version_core, backend: tf.getBackend() };
  console.log(`gradspec bench — node ${process.version}, @tensorflow/tfjs-core ${tf.version_core} (backend ${tf.getBackend()}), ${new Date().toISOString()}\n`);

  const sizes = values.sizes.split(',').map(Number);
  console.log('1. matmul C = A·B, square n×n, GFLOPS = 2n³ / median time (higher is better)');
  console.log('   tfjs-cpu computes float32 only: the float64 ratio compares src float64 with tfjs float32.\n');
  const matmuls: MatmulResult[] = [];
  for (const n of sizes) matmuls.push(benchMatmul(n));
  console.log(
    table(
      ['n', 'src f64', 'src f32', 'tfjs f32', 'src f64 / tfjs f32', 'src f32 / tfjs f32', 'rel. diff'],
      matmuls.map((m) => [
        String(m.n),
        fixed(m.srcFloat64),
        fixed(m.srcFloat32),
        fixed(m.tfjsFloat32),
        `${fixed(m.srcFloat64 / m.tfjsFloat32, 1)}×`,
        `${fixed(m.srcFloat32 / m.tfjsFloat32, 1)}×`,
        m.relativeDifference.toExponential(1),
      ]),
    ),
  );
  const at512 = matmuls.find((m) => m.n === 512);
  if (at512) {
    const ratio = at512.srcFloat64 / at512.tfjsFloat32;
    console.log(`\n   target: src 512² float64 ≥ 5× tfjs-cpu → ${fixed(ratio, 1)}× ${ratio >= 5 ? 'MET' : 'NOT MET'}`);
  }
  results.matmul = matmuls;

  if (!values['skip-epoch']) {
    console.log(`\n2. one MNIST epoch: 784-${EPOCH.hidden}-10, ReLU, cross-entropy, SGD lr ${EPOCH.lr}, batch ${EPOCH.batchSize}, 60000 images`);
    console.log('   seconds of training only (data loading and the test pass excluded); lower is better\n');
    const epochs: EpochResult[] = [srcEpoch('float64'), srcEpoch('float32'), tfjsEpoch()];
    let torchNote = '';
    if (values['skip-torch']) torchNote = 'PyTorch skipped (--skip-torch)';
    else {
      const found = findTorchPython();
      if ('python' in found) {
        for (const dtype of ['float32', 'float64'] as const) {
          try {
            epochs.push(torchEpoch(found.python, dtype));
          } catch (e) {
            torchNote = (e as Error).message;
          }
        }
      } else torchNote = `PyTorch skipped: no python3 can import torch (${found.reason})`;
    }
    const srcSeconds = epochs[0]!.seconds;
    console.log(
      table(
        ['implementation', 'seconds', 'test acc', 'time / src f64', 'note'],
        epochs.map((e) => [e.name, fixed(e.seconds), `${fixed(100 * e.testAccuracy)}%`, `${fixed(e.seconds / srcSeconds)}×`, e.note ?? '']),
      ),
    );
    console.log('   (time / src f64 > 1: that implementation is slower than src float64; < 1: faster)');
    if (torchNote) console.log(`\n   ${torchNote}`);
    results.epoch = { config: EPOCH, results: epochs, torchNote: torchNote || undefined };
  }

  sampleMemory();
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  console.log(`\n3. memory: peak RSS sampled ${fixed(peakRss / 2 ** 20, 0)} MB; resourceUsage().maxRSS ${fixed(maxRssMb, 0)} MB (this process, tfjs included)`);
  console.log(`\nbench took ${fixed((performance.now() - totalStart) / 1000, 1)} s`);
  results.memory = { peakRssMb: peakRss / 2 ** 20, maxRssMb };
  if (values.json) writeFileSync(values.json, JSON.stringify(results, null, 2) + '\n');
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});

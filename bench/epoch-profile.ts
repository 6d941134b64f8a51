// `npx tsx bench/epoch-profile.ts [float64|float32] [epochs]`: where one MNIST epoch of the bench's MLP
// (784-50-10, batch 64, one thread) spends its time. Trains `epochs` epochs (default 3), samples the
// CPU profile of all but the first (JIT warm-up) with node:inspector, and prints each function's and
// each part's share of the training steps (the evaluation after each epoch left out). Shares, not
// seconds: a sample's weight is wall time, so on a busy machine only the proportions mean something.
import { readFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { defaultMnistDir } from '../cli/mnist-dir';
import { loadMnist, mnistTensors } from '../src/data/mnist';
import { configureMatmul } from '../src/kernels/matmul';
import type { DType } from '../src/tensor';
import { buildMlp, createLoss } from '../src/train/setup';
import { train } from '../src/train/train';
import { table } from './lib/format';
import { EPOCH } from './src-epoch';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string }; children?: number[] }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

/** gemm.wat's functions in definition order: V8 names them wasm-function[i] (the module has no name section). */
const WASM_NAMES = [...readFileSync(join(__dirname, '..', 'src', 'kernels', 'gemm.wat'), 'utf8').matchAll(/^\s*\(func (?:\$(\w+)|\(export "(\w+)"\))/gm)].map((m) => m[1] ?? m[2]!);

/** The part of the step a function belongs to, by its name and file. */
function part(name: string, file: string): string {
  if (name === '(garbage collector)') return 'garbage collection';
  if (/^tile/.test(name)) return 'matrix kernel: micro-tile';
  if (/^pack/.test(name)) return 'matrix kernel: packing';
  if (/^(gemm_f|min$)/.test(name)) return 'matrix kernel: loops, zeroing C';
  if (/^sub_scaled/.test(name) || file.endsWith('train/recycling-step.ts') || name === 'subtractScaled') return 'SGD step';
  if (file.endsWith('data/dataloader.ts') || name === 'gather_rows' || file.endsWith('kernels/gather.ts')) return 'batch gather and shuffle';
  if (/^(allocate|zeros|Tensor|checkedSize|takeArray)$/.test(name)) return 'tensor allocation';
  if (/\/src\/(ops|layers|losses)\//.test(file) || /^relu(Backward)?Into$/.test(name)) return 'ops: bias, relu, softmax, loss';
  if (/\/src\/kernels\//.test(file)) return 'matrix kernel: JS staging';
  return 'other';
}

function post<T>(session: Session, method: string): T {
  let result: T | undefined;
  session.post(method, (error, value) => {
    if (error) throw error;
    result = value as T;
  });
  if (result === undefined) throw new Error(`inspector: ${method} did not answer synchronously`);
  return result;
}

function main(): void {
  const [dtype = 'float64', epochsArg = '3'] = process.argv.slice(2);
  const epochs = Math.max(2, Number(epochsArg));
  configureMatmul({ threads: 1 });
  const data = mnistTensors(loadMnist({ dir: defaultMnistDir() }), dtype as DType);
  const model = buildMlp([784, EPOCH.hidden, 10], { seed: EPOCH.seed, dtype: dtype as DType });
  const session = new Session();
  session.connect();
  post(session, 'Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 200 });
  let cpu: NodeJS.CpuUsage | null = null;
  train(model, createLoss('cross_entropy'), { train: data.train }, { epochs, lr: EPOCH.lr, batchSize: EPOCH.batchSize, seed: EPOCH.seed }, (m) => {
    if (m.epoch !== 1) return;
    post(session, 'Profiler.start');
    cpu = process.cpuUsage();
  });
  const used = process.cpuUsage(cpu!);
  const { profile } = post<{ profile: Profile }>(session, 'Profiler.stop');
  session.disconnect();

  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (n: ProfileNode) => {
    const wasm = /^wasm-function\[(\d+)\]$/.exec(n.callFrame.functionName);
    return { name: wasm ? WASM_NAMES[Number(wasm[1])] ?? n.callFrame.functionName : n.callFrame.functionName || '(anonymous)', file: n.callFrame.url };
  };
  /** Whether a sample's stack is inside train()'s steps: under train, not under evaluate. */
  const inSteps = (id: number): boolean => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const { name, file } = label(byId.get(at)!);
      if (name === 'evaluate') return false;
      if (name === 'train' && file.endsWith('train/train.ts')) return true;
    }
    return false;
  };
  const selfTime = new Map<string, number>(), partTime = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id)!;
    const { name, file } = label(node);
    if (name !== '(garbage collector)' && !inSteps(id)) return;
    const dt = profile.timeDeltas[i]!;
    total += dt;
    const key = `${name} (${file.replace(/^.*\/(src|bench|node_modules)\//, '$1/') || 'native'})`;
    selfTime.set(key, (selfTime.get(key) ?? 0) + dt);
    partTime.set(part(name, file), (partTime.get(part(name, file)) ?? 0) + dt);
  });
  const pct = (t: number) => `${((100 * t) / total).toFixed(1)}%`;
  const sorted = (m: Map<string, number>, count: number) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, count);
  const cpuPerEpoch = (used.user + used.system) / 1e6 / (epochs - 1);
  console.log(`${dtype}, ${epochs - 1} profiled epochs, ${cpuPerEpoch.toFixed(2)} CPU s per epoch (the profiler included; garbage collection counted whole, that of the evaluations included)\n`);
  console.log(table(['part of the step', 'share'], sorted(partTime, 20).map(([k, t]) => [k, pct(t)])));
  console.log('');
  console.log(table(['function (self time)', 'share'], sorted(selfTime, 15).map(([k, t]) => [k, pct(t)])));
}

main();

// `npx tsx bench/gather-ab.ts [float64|float32]`: what the DataLoader's WebAssembly gather saves. Two
// reuseBatches loaders with kernel buffers over the same 60000×784 values, one whose x lives in the
// kernel's memory (gathered by gather_rows) and one whose x is a plain array (TypedArray#set into
// the shared batch buffer), run epoch by epoch in turn; prints each one's CPU ms per epoch (min and
// median, the first epoch of each left out).
import { DataLoader } from '../src/data/dataloader';
import { kernelArray } from '../src/kernels/arena';
import { type DType, Tensor } from '../src/tensor';

const ROUNDS = 7;

function main(): void {
  const dtype = (process.argv[2] ?? 'float64') as DType;
  const n = 60000, width = 784;
  const inKernel = new Tensor(kernelArray(dtype, n * width), [n, width]);
  for (let i = 0; i < inKernel.size; i++) inKernel.data[i] = (i % 251) / 251;
  const plain = new Tensor(inKernel.data.slice(), [n, width]);
  const y = Tensor.zeros([n, 10], dtype);
  const options = { batchSize: 64, shuffle: true, reuseBatches: true, kernelBuffers: true };
  const loaders = { 'WebAssembly (x in kernel memory)': new DataLoader(inKernel, y, options), 'JavaScript (x a plain array)': new DataLoader(plain, y, options) };
  const ms: Record<string, number[]> = {};
  let sink = 0;
  for (let epoch = 0; epoch < ROUNDS; epoch++) {
    for (const [name, loader] of Object.entries(loaders)) {
      const start = process.cpuUsage();
      for (const batch of loader.epoch(epoch)) sink += batch.x.data[0]!;
      const used = process.cpuUsage(start);
      if (epoch > 0) (ms[name] ??= []).push((used.user + used.system) / 1e3);
    }
  }
  for (const [name, times] of Object.entries(ms)) {
    const sorted = [...times].sort((a, b) => a - b);
    console.log(`${dtype} ${name}: ${sorted[0]!.toFixed(1)} ms per epoch (min), ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} (median) of ${sorted.length}`);
  }
  if (Number.isNaN(sink)) console.log('');
}

main();

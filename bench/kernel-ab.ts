// `npx tsx bench/kernel-ab.ts a.wat b.wat ...`: raw GFLOPS of gemm.wat variants in one process,
// interleaved, best of many runs, no JavaScript staging around them. For trying a kernel change:
// copy src/kernels/gemm.wat, edit the copy, compare both.
import { readFileSync } from 'node:fs';
import { assemble } from '../tools/kernels';
import { type WasmApi, type WasmMemory, wasmApi } from '../src/kernels/wasm-api';
import { table } from './lib/format';

type Gemm = (...args: number[]) => void;

function load(api: WasmApi, bytes: Uint8Array): { f64: Gemm; f32: Gemm; memory: WasmMemory } {
  const memory = new api.Memory({ initial: 2000, maximum: 32768, shared: true });
  const { exports } = new api.Instance(new api.Module(bytes), { env: { memory } });
  return { f64: exports.gemm_f64 as Gemm, f32: exports.gemm_f32 as Gemm, memory };
}

async function main(): Promise<void> {
  const files = process.argv.slice(2);
  if (files.length === 0 || !wasmApi) throw new Error('usage: npx tsx bench/kernel-ab.ts a.wat [b.wat ...]');
  const api = wasmApi;
  const kernels = await Promise.all(files.map(async (f) => load(api, await assemble(readFileSync(f, 'utf8')))));
  const shapes: [number, number, number, boolean][] = [[256, 256, 256, false], [512, 512, 512, false], [1024, 1024, 1024, false], [64, 50, 784, false], [784, 50, 64, true]];
  const rows: string[][] = [];
  for (const f32 of [false, true]) {
    for (const [m, n, k, transA] of shapes) {
      const bytes = f32 ? 4 : 8;
      const aAt = 1 << 20, bAt = aAt + m * k * bytes + 4096, cAt = bAt + k * n * bytes + 4096;
      for (const { memory } of kernels) {
        const view = f32 ? new Float32Array(memory.buffer) : new Float64Array(memory.buffer);
        for (let i = 0; i < m * k + k * n + 1024; i++) view[aAt / bytes + i] = Math.sin(i);
      }
      const [ars, acs] = transA ? [1, m] : [k, 1];
      const [kc, nc, mc] = [f32 ? 512 : 256, 256, 16];
      const best = kernels.map(() => Infinity);
      const reps = Math.max(1, Math.round(3e6 / (m * n * k)));
      for (let round = 0; round < (m * n * k > 1e8 ? 4 : 30); round++) {
        kernels.forEach((kernel, i) => {
          const gemm = f32 ? kernel.f32 : kernel.f64;
          const t0 = performance.now();
          for (let r = 0; r < reps; r++) gemm(m, n, k, aAt, ars, acs, bAt, n, 1, cAt, 0, kc, nc, mc);
          best[i] = Math.min(best[i]!, (performance.now() - t0) / reps);
        });
      }
      rows.push([f32 ? 'float32' : 'float64', `${m}×${k}·${k}×${n}${transA ? ' (Aᵀ)' : ''}`, ...best.map((t) => ((2 * m * n * k) / t / 1e6).toFixed(1))]);
    }
  }
  console.log(table(['dtype', 'product', ...files], rows));
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});

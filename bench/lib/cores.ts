// How fast each vCPU runs the kernel right now: src's float32 gemm on a 128³ product in a child
// process pinned to that vCPU with taskset, one vCPU after the other. On this VM the two are not
// always equal (at times 33 and 21 GFLOPS, minutes later both 33), which caps what two threads can
// gain, whatever the split: at best (faster + slower) / faster over the faster one alone.
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { GEMM_WASM_BASE64 } from '../../src/kernels/gemm-wasm.generated';

const N = 128;
const TIMEOUT_MS = 60_000;

// Plain JavaScript for `node -e`: the module's bytes come in argv; prints the median GFLOPS of 60 ms runs.
const CHILD = `
const bytes = Buffer.from(process.argv[1], 'base64');
const memory = new WebAssembly.Memory({ initial: 64, maximum: 32768, shared: true });
const gemm = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports.gemm_f32;
const n = ${N}, a = 1 << 20, b = a + 4 * n * n, c = b + 4 * n * n, work = 2 << 20;
const f = new Float32Array(memory.buffer);
for (let i = 0; i < 2 * n * n; i++) f[a / 4 + i] = Math.sin(i);
const run = () => gemm(n, n, n, a, n, 1, b, n, 1, c, work, 512, 256, 16);
for (let i = 0; i < 200; i++) run();
const rates = [];
for (let r = 0; r < 7; r++) {
  const t0 = performance.now();
  let calls = 0;
  while (performance.now() - t0 < 60) { run(); calls++; }
  rates.push((2 * n ** 3 * calls) / (performance.now() - t0) / 1e6);
}
rates.sort((x, y) => x - y);
console.log(JSON.stringify(rates[rates.length >> 1]));
`;

/** GFLOPS per vCPU (index = vCPU number), or why they could not be measured. */
export type CoreRates = { gflops: number[] } | { reason: string };

/** Each vCPU's rate now, about half a second each. */
export function coreRates(): CoreRates {
  if (process.platform !== 'linux') return { reason: 'pinning a process to a vCPU needs Linux taskset' };
  const gflops: number[] = [];
  for (let cpu = 0; cpu < availableParallelism(); cpu++) {
    const r = spawnSync('taskset', ['-c', String(cpu), process.execPath, '-e', CHILD, GEMM_WASM_BASE64], { encoding: 'utf8', timeout: TIMEOUT_MS });
    if (r.error) return { reason: `taskset could not run (${r.error.message}); it is in util-linux` };
    if (r.status !== 0) return { reason: `taskset -c ${cpu} node failed (exit ${r.status ?? r.signal}): ${r.stderr.trim().split('\n').pop() ?? ''}` };
    gflops.push(Number(JSON.parse(r.stdout.trim())));
  }
  return { gflops };
}

/** The most `threads` threads can gain over the fastest vCPU alone: the `threads` fastest rates over the fastest. */
export function threadBound(rates: CoreRates, threads: number): number | null {
  if ('reason' in rates) return null;
  const fastest = [...rates.gflops].sort((x, y) => y - x).slice(0, threads);
  return fastest.reduce((s, x) => s + x, 0) / fastest[0]!;
}

/** "cpu0 33.1, cpu1 21.2 GFLOPS", or why they were not measured. */
export function describeCoreRates(rates: CoreRates): string {
  if ('reason' in rates) return `not measured: ${rates.reason}`;
  return `${rates.gflops.map((g, i) => `cpu${i} ${g.toFixed(1)}`).join(', ')} GFLOPS`;
}

// Runs gemm.wat: loads the module once, stages the operands in its shared memory, calls gemm_f64 or
// gemm_f32, and copies C out. Above a size threshold, C's rows are split between this thread and the
// pool's workers (pool.ts); every row is computed by the same instructions either way, so the result
// is bit-identical to one thread.
//
// float32 is float32 here: when A, B and C are all Float32Array the product runs in f32x4 and sums in
// float32 (like ONNX Runtime and OpenBLAS); anything else is computed in float64.
import { GEMM_WASM_BASE64 } from './gemm-wasm.generated';
import { WORKER_FUNCTIONS, readyWorkers, runOnWorkers, startWorkers } from './pool';
import { type WasmMemory, type WasmModule, wasmApi } from './wasm-api';
import type { TensorData } from '../tensor';

/** gemm_f64 / gemm_f32: (m, n, k, a, ars, acs, b, brs, bcs, c, work, kcmax, ncmax), addresses in bytes. */
type GemmExport = (...args: number[]) => void;

/** k-block depth × B block width. A B block (kc × nc) stays in L2; an A panel (4 × kc) in L1. */
const BLOCKS = {
  float64: { kc: 256, nc: 256, elementBytes: 8 },
  float32: { kc: 512, nc: 256, elementBytes: 4 },
} as const;

const PAGE_BYTES = 65536;
/** The memory's declared maximum (gemm.wat): 2 GiB, so every byte address fits a positive i32. */
const MAX_PAGES = 32768;

interface Loaded {
  module: WasmModule;
  memory: WasmMemory;
  gemm: { float64: GemmExport; float32: GemmExport };
}

let loaded: Loaded | null = null;
let unavailable: string | null = null;

/** The module, compiled and instantiated on first use; null (with wasmUnavailableReason()) where it cannot run. */
function load(): Loaded | null {
  if (loaded || unavailable) return loaded;
  try {
    if (!wasmApi) throw new Error('this runtime has no WebAssembly');
    const bytes = Buffer.from(GEMM_WASM_BASE64, 'base64');
    if (!wasmApi.validate(bytes)) throw new Error('this runtime rejects the module (no WebAssembly SIMD, threads or bulk memory?)');
    const module = new wasmApi.Module(bytes);
    const memory = new wasmApi.Memory({ initial: 16, maximum: MAX_PAGES, shared: true });
    const exports = new wasmApi.Instance(module, { env: { memory } }).exports;
    loaded = { module, memory, gemm: { float64: exports.gemm_f64 as GemmExport, float32: exports.gemm_f32 as GemmExport } };
  } catch (e) {
    unavailable = (e as Error).message;
  }
  return loaded;
}

/** Why the WebAssembly kernel cannot run here, or null when it can. */
export function wasmUnavailableReason(): string | null {
  load();
  return unavailable;
}

/** Starts up to `workers` pool threads for this module (asynchronously; see pool.ts). */
export function startWasmWorkers(workers: number): void {
  const l = load();
  if (l && workers > 0) startWorkers(workers, l.module, l.memory);
}

const align = (bytes: number): number => Math.ceil(bytes / 64) * 64;

/** Scratch bytes one gemm_* call needs (gemm.wat's work layout: tmp tile, A panel, B panels). */
function workBytes(dtype: keyof typeof BLOCKS): number {
  const { kc, nc, elementBytes } = BLOCKS[dtype];
  const nr = dtype === 'float64' ? 4 : 8;
  return align(128 + 4 * (kc + 1) * elementBytes + (kc + 1) * Math.ceil(nc / nr) * nr * elementBytes);
}

/** Grows the memory to hold `bytes`; false when that is past the maximum or the system refuses. */
function ensureBytes(memory: WasmMemory, bytes: number): boolean {
  const pages = Math.ceil(bytes / PAGE_BYTES);
  const have = memory.buffer.byteLength / PAGE_BYTES;
  if (pages <= have) return true;
  if (pages > MAX_PAGES) return false;
  try {
    memory.grow(pages - have);
    return true;
  } catch {
    return false;
  }
}

/** The first row of each of `parts` bands of m rows, cut at multiples of 4 (the kernel's row panel), and m. */
export function rowBands(m: number, parts: number): number[] {
  const band = Math.ceil(m / parts / 4) * 4;
  const starts: number[] = [];
  for (let r = 0; r < m; r += band) starts.push(r);
  starts.push(m);
  return starts;
}

/**
 * Sets `out` (m×n) to op(A)·op(B) as gemm() in matmul.ts, on this thread and up to `helpers` ready
 * workers. Returns false, having done nothing, when the module cannot run here or the operands do not
 * fit its memory; the caller then uses the plain kernel.
 */
export function gemmWasm(m: number, n: number, k: number, a: TensorData, transA: boolean, b: TensorData, transB: boolean, out: TensorData, helpers: number): boolean {
  const l = load();
  if (!l) return false;
  const dtype = out instanceof Float32Array && a instanceof Float32Array && b instanceof Float32Array ? 'float32' : 'float64';
  const { kc, nc, elementBytes } = BLOCKS[dtype];
  const bands = rowBands(m, 1 + Math.min(helpers, readyWorkers()));
  const parts = bands.length - 1;
  const work = workBytes(dtype);
  const aAt = work * Math.max(parts, 1);
  const bAt = aAt + align(m * k * elementBytes);
  const cAt = bAt + align(k * n * elementBytes);
  if (!ensureBytes(l.memory, cAt + m * n * elementBytes)) return false;

  const buffer = l.memory.buffer;
  const view = dtype === 'float32' ? new Float32Array(buffer) : new Float64Array(buffer);
  view.set(a, aAt / elementBytes);
  view.set(b, bAt / elementBytes);
  // op(A)[i, p] = A[i·ars + p·acs]: A is stored m×k, or k×m when transposed; likewise B (k×n or n×k).
  const ars = transA ? 1 : k, acs = transA ? m : 1;
  const brs = transB ? 1 : n, bcs = transB ? k : 1;
  const callFor = (part: number): number[] => {
    const r0 = bands[part]!, r1 = bands[part + 1]!;
    return [r1 - r0, n, k, aAt + r0 * ars * elementBytes, ars, acs, bAt, brs, bcs, cAt + r0 * n * elementBytes, part * work, kc, nc];
  };
  const gemm = l.gemm[dtype];
  if (parts <= 1) gemm(m, n, k, aAt, ars, acs, bAt, brs, bcs, cAt, 0, kc, nc);
  else {
    const calls = Array.from({ length: parts - 1 }, (_, i) => callFor(i + 1));
    // A call no worker has started when this thread is done runs here, in this thread's work area.
    const here = (args: readonly number[]) => gemm(...args.slice(0, 10), 0, kc, nc);
    runOnWorkers(WORKER_FUNCTIONS[dtype === 'float32' ? 'gemm_f32' : 'gemm_f64'], calls, () => gemm(...callFor(0)), here);
  }
  out.set(view.subarray(cAt / elementBytes, cAt / elementBytes + m * n));
  return true;
}

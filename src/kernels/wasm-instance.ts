// The one instance of gemm.wat in this thread: its compiled module (which the pool's workers
// instantiate too), its shared memory, and that memory's growth.
import { GEMM_WASM_BASE64 } from './gemm-wasm.generated';
import { type WasmMemory, type WasmModule, wasmApi } from './wasm-api';

/** gemm_f64 / gemm_f32: (m, n, k, a, ars, acs, b, brs, bcs, c, work, kcmax, ncmax, mcmax), addresses in bytes. */
export type GemmExport = (...args: number[]) => void;
/** sub_scaled_f64 / _f32: (out, x, y, n, s) sets out[i] = x[i] − s·y[i], addresses in bytes. */
export type SubScaledExport = (out: number, x: number, y: number, n: number, s: number) => void;
/** relu_f64 / _f32: (out, x, n); relu_backward_f64 / _f32: (out, x, dy, n); addresses in bytes (see elementwise.ts). */
export type ReluExport = (out: number, x: number, n: number) => void;
export type ReluBackwardExport = (out: number, x: number, dy: number, n: number) => void;
/** gather_rows: (dst, src, rowBytes, idx, n) copies row idx[r] of src to row r of dst, r < n; addresses in bytes, idx of i32. Returns bytes it read ahead (meaningless). */
export type GatherRowsExport = (dst: number, src: number, rowBytes: number, idx: number, n: number) => number;

export interface KernelInstance {
  module: WasmModule;
  memory: WasmMemory;
  gemm: { float64: GemmExport; float32: GemmExport };
  subScaled: { float64: SubScaledExport; float32: SubScaledExport };
  relu: { float64: ReluExport; float32: ReluExport };
  reluBackward: { float64: ReluBackwardExport; float32: ReluBackwardExport };
  gatherRows: GatherRowsExport;
  /** zero: (dst, bytes) sets `bytes` bytes from address dst to 0. */
  zero: (dst: number, bytes: number) => void;
  /** Every buffer object the memory has had: growing a shared memory gives a new one, and views on the old ones stay valid. */
  buffers: Set<ArrayBufferLike>;
}

const PAGE_BYTES = 65536;
/** The memory's declared maximum (gemm.wat): 2 GiB, so every byte address fits a positive i32. */
const MAX_PAGES = 32768;

let instance: KernelInstance | null = null;
let unavailable: string | null = null;

/** The instance, made on first use; null (see wasmUnavailableReason) where WebAssembly SIMD and threads are missing. */
export function kernelInstance(): KernelInstance | null {
  if (instance || unavailable) return instance;
  try {
    if (!wasmApi) throw new Error('this runtime has no WebAssembly');
    const bytes = Buffer.from(GEMM_WASM_BASE64, 'base64');
    if (!wasmApi.validate(bytes)) throw new Error('this runtime rejects the module (no WebAssembly SIMD, threads or bulk memory?)');
    const module = new wasmApi.Module(bytes);
    const memory = new wasmApi.Memory({ initial: 16, maximum: MAX_PAGES, shared: true });
    const exports = new wasmApi.Instance(module, { env: { memory } }).exports;
    instance = {
      module,
      memory,
      gemm: { float64: exports.gemm_f64 as GemmExport, float32: exports.gemm_f32 as GemmExport },
      subScaled: { float64: exports.sub_scaled_f64 as SubScaledExport, float32: exports.sub_scaled_f32 as SubScaledExport },
      relu: { float64: exports.relu_f64 as ReluExport, float32: exports.relu_f32 as ReluExport },
      reluBackward: { float64: exports.relu_backward_f64 as ReluBackwardExport, float32: exports.relu_backward_f32 as ReluBackwardExport },
      gatherRows: exports.gather_rows as GatherRowsExport,
      zero: exports.zero as (dst: number, bytes: number) => void,
      buffers: new Set([memory.buffer]),
    };
  } catch (e) {
    unavailable = (e as Error).message;
  }
  return instance;
}

/** Why the WebAssembly kernel cannot run here, or null when it can. */
export function wasmUnavailableReason(): string | null {
  kernelInstance();
  return unavailable;
}

/** Grows the memory to hold `bytes`; false when that is past the maximum or the system refuses. */
export function ensureBytes(k: KernelInstance, bytes: number): boolean {
  const pages = Math.ceil(bytes / PAGE_BYTES);
  const have = k.memory.buffer.byteLength / PAGE_BYTES;
  if (pages <= have) return true;
  if (pages > MAX_PAGES) return false;
  try {
    k.memory.grow(pages - have);
    k.buffers.add(k.memory.buffer);
    return true;
  } catch {
    return false;
  }
}

/** The byte address of `data` in the kernel's memory, or −1 when it lives elsewhere. */
export function addressOf(k: KernelInstance, data: TensorDataLike): number {
  return k.buffers.has(data.buffer) ? data.byteOffset : -1;
}

type TensorDataLike = { buffer: ArrayBufferLike; byteOffset: number };

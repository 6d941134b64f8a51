// Whole-array loops that run every training step over a full layer or batch, unrolled by four:
// V8 re-checks each typed-array access, and the unrolled body shares the loop's own overhead.
import type { TensorData } from '../tensor';
import { type KernelInstance, addressOf, kernelInstance } from './wasm-instance';

/** Arrays whose writer checked every value finite while writing them (DataLoader's reused batches). */
const knownFinite = new WeakSet<TensorData>();

/**
 * Records whether `data` holds only finite values, as its writer found while writing it, so that
 * allFinite need not read it again. Only for arrays that writer owns and rewrites (marking again each time).
 */
export function markFinite(data: TensorData, finite: boolean): void {
  if (finite) knownFinite.add(data);
  else knownFinite.delete(data);
}

/** True when no value is NaN or ±Infinity (trusting markFinite). */
export function allFinite(data: TensorData): boolean {
  return knownFinite.has(data) || scanFinite(data);
}

/** True when no value is NaN or ±Infinity, reading every one: x·0 is 0 for finite x and NaN otherwise; four sums, no branch per element. */
export function scanFinite(data: TensorData): boolean {
  const n = data.length;
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += data[i]! * 0;
    s1 += data[i + 1]! * 0;
    s2 += data[i + 2]! * 0;
    s3 += data[i + 3]! * 0;
  }
  for (; i < n; i++) s0 += data[i]! * 0;
  return s0 + s1 + s2 + s3 === 0;
}

/** Below this length a WebAssembly call is not worth its checks. */
const WASM_MIN_LENGTH = 1024;

/**
 * The kernel, the dtype and the byte addresses of `arrays` when all of them have the first's dtype and
 * live in the kernel's memory (kernels/arena.ts, train()'s arrays); null otherwise: the JavaScript loop runs.
 */
function inKernel(...arrays: TensorData[]): { k: KernelInstance; type: 'float32' | 'float64'; at: number[] } | null {
  const f32 = arrays[0] instanceof Float32Array;
  if (arrays.some((a) => a instanceof Float32Array !== f32)) return null;
  const k = kernelInstance();
  if (!k) return null;
  const at = arrays.map((a) => addressOf(k, a));
  return at.every((a) => a >= 0) ? { k, type: f32 ? 'float32' : 'float64', at } : null;
}

/** The SGD step in WebAssembly SIMD, when all three arrays qualify (inKernel) and are long enough; false otherwise. */
function subtractScaledInKernel(out: TensorData, x: TensorData, s: number, y: TensorData): boolean {
  const run = out.length < WASM_MIN_LENGTH ? null : inKernel(out, x, y);
  if (!run) return false;
  const [o, a, b] = run.at as [number, number, number];
  run.k.subScaled[run.type](o, a, b, out.length, s);
  return true;
}

/** out[i] = x[i] − s·y[i] for every i (out may be a new array of x's length); the same bits in WebAssembly or here. */
export function subtractScaled(out: TensorData, x: TensorData, s: number, y: TensorData): void {
  if (subtractScaledInKernel(out, x, s, y)) return;
  const n = out.length;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    out[i] = x[i]! - s * y[i]!;
    out[i + 1] = x[i + 1]! - s * y[i + 1]!;
    out[i + 2] = x[i + 2]! - s * y[i + 2]!;
    out[i + 3] = x[i + 3]! - s * y[i + 3]!;
  }
  for (; i < n; i++) out[i] = x[i]! - s * y[i]!;
}

/** Runs ReLU's forward (no dy) or backward in WebAssembly when the arrays qualify (inKernel) and are long enough; false otherwise. */
function reluInKernel(out: TensorData, x: TensorData, dy: TensorData | null): boolean {
  if (x.length < WASM_MIN_LENGTH || out.length < x.length || (dy !== null && dy.length < x.length)) return false;
  const run = dy === null ? inKernel(out, x) : inKernel(out, x, dy);
  if (!run) return false;
  const [o, a, d] = run.at as [number, number, number?];
  if (d === undefined) run.k.relu[run.type](o, a, x.length);
  else run.k.reluBackward[run.type](o, a, d, x.length);
  return true;
}

/** out[i] = max(x[i], 0) as ops/relu.ts's relu writes it (−0 → 0, NaN stays): for a layer that reuses its output array. */
export function reluInto(out: TensorData, x: TensorData): void {
  if (reluInKernel(out, x, null)) return;
  for (let i = 0; i < x.length; i++) out[i] = x[i]! <= 0 ? 0 : x[i]!;
}

/** out[i] = dy[i] where x[i] > 0, else 0, as ops/relu.ts's reluBackward writes it. */
export function reluBackwardInto(out: TensorData, x: TensorData, dy: TensorData): void {
  if (reluInKernel(out, x, dy)) return;
  for (let i = 0; i < x.length; i++) out[i] = x[i]! > 0 ? dy[i]! : 0;
}

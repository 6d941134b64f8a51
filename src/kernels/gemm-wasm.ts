// Runs gemm.wat: operands that already live in the kernel's memory (arena.ts) are read in place,
// others are staged into it; C is written in place when `out` lives there too, else copied out.
// Above a size threshold, C's rows are split between this thread and the pool's workers (pool.ts) in
// proportion to the speed each has shown (learnSpeed), or, for a short and deep product (MNIST's x·W1),
// its two k-blocks between this thread and one worker (a slower one takes only some rows of its block).
// Every element is computed by the same operations either way, so the result is bit-identical to one thread.
//
// float32 is float32 here: when A, B and C are all Float32Array the product runs in f32x4 and sums in
// float32 (like ONNX Runtime and OpenBLAS); anything else is computed in float64.
import { scratchBase } from './arena';
import { WORKER_FUNCTIONS, readyWorkers, runOnWorkers, sharingAdvised, startWorkers, workerSpeeds } from './pool';
import { type KernelInstance, addressOf, ensureBytes, kernelInstance } from './wasm-instance';
import type { TensorData } from '../tensor';

export { wasmUnavailableReason } from './wasm-instance';

/**
 * Block sizes (gemm.wat): k-depth kc, B block width nc, A block height mc; NR, the B panel width.
 * A B panel (kc × NR, 8 KiB) stays in L1 while it meets the panels of an A block (mc × kc values,
 * splatted to 16 bytes each: 64 KiB float64, 128 KiB float32, in L2). Swapping the loops this way
 * (bench/kernel-ab.ts) took 1024² float64 from ~9 to 15–18 GFLOPS when the machine was quiet enough
 * to tell; the training shapes did not change. With A splatted, mc 8 or 32 and kc 128 or 512 measured
 * the same as these at the MNIST shapes and 256³ (within 3%, best of 200, load average 8–9). float64 has
 * kc 512, not 256, so that MNIST's k = 784 is two k-blocks, as a split along k needs (SPLIT_K_MIN_RATIO).
 */
const BLOCKS = {
  float64: { kc: 512, nc: 256, mc: 16, elementBytes: 8, nr: 4 },
  float32: { kc: 512, nc: 256, mc: 16, elementBytes: 4, nr: 8 },
} as const;
type ComputeType = keyof typeof BLOCKS;

/**
 * Products with two k-blocks and k at least this many times m are split along k, not along rows: a
 * row split has every thread pack all of B (k×n), which for MNIST's x·W1 (64×784 · 784×50) is as much
 * packing as its share of A, and two threads ran it no faster than one. Split along k, each thread
 * packs half of A and half of B, and only the m×n sum of the two halves is extra.
 */
const SPLIT_K_MIN_RATIO = 4;

/** Starts up to `workers` pool threads for this module (asynchronously; see pool.ts). */
export function startWasmWorkers(workers: number): void {
  const k = kernelInstance();
  if (k && workers > 0) startWorkers(workers, k.module, k.memory);
}

const align = (bytes: number): number => Math.ceil(bytes / 64) * 64;

/** Scratch bytes one gemm_* call needs (gemm.wat's work layout: tmp tile, A panel, B panels). */
function workBytes(type: ComputeType): number {
  const { kc, nc, mc, elementBytes, nr } = BLOCKS[type];
  // An A value takes a whole v128 (16 bytes): gemm.wat packs A splatted.
  return align(128 + Math.ceil(mc / 4) * 4 * (kc + 1) * 16 + (kc + 1) * Math.ceil(nc / nr) * nr * elementBytes);
}

/**
 * The first row of each band of m rows, one band per thread at most, sized in proportion to the
 * threads' `speeds` (this thread first), and m. Cuts fall at multiples of 4 (the kernel's row panel),
 * and every band has at least one panel, so there are fewer bands than threads only when m is small.
 */
export function rowBands(m: number, speeds: readonly number[]): number[] {
  const panels = Math.ceil(m / 4);
  const parts = Math.max(1, Math.min(speeds.length, panels));
  const total = speeds.slice(0, parts).reduce((sum, x) => sum + x, 0);
  const starts = [0];
  let before = 0;
  for (let i = 1; i < parts; i++) {
    before += speeds[i - 1]!;
    const cut = Math.min(Math.max(Math.round((panels * before) / total), starts[i - 1]! / 4 + 1), panels - (parts - i));
    starts.push(cut * 4);
  }
  starts.push(m);
  return starts;
}

/**
 * For a split along k (two k-blocks, k1 + k2 deep): how many of the m rows of the second block a
 * worker of `speed` (its work per ms over this thread's) takes, the rest going to this thread after
 * the whole first block. All of them (half the work, if k1 = k2) unless the worker has been slower;
 * then as many as it can do in the time this thread does the rest: r·k2 / speed = m·k1 + (m − r)·k2.
 * A multiple of 4 (the kernel's row panel) but for m itself, and at least 4.
 */
export function kSplitRows(m: number, k1: number, k2: number, speed: number): number {
  const balanced = (m * (k1 + k2)) / (k2 * (1 + 1 / speed));
  return balanced >= m ? m : Math.min(m, Math.max(4, Math.round(balanced / 4) * 4));
}

/** Whether the byte ranges [a, a + aBytes) and [b, b + bBytes) meet. */
const overlap = (a: number, aBytes: number, b: number, bBytes: number): boolean => a < b + bBytes && b < a + aBytes;

/** Where each operand is read and C written: in place, or staged at the scratch addresses. */
interface Placement {
  a: number;
  b: number;
  c: number;
  /** C is computed at `c` and must be copied into `out` afterwards. */
  copyOut: boolean;
  /** First free byte after the staged operands. */
  end: number;
}

/** The byte address of `x` when it lives in the kernel's memory with the compute type's elements, else −1. */
const inPlace = (k: KernelInstance, type: ComputeType, x: TensorData): number => ((type === 'float32') === x instanceof Float32Array ? addressOf(k, x) : -1);

// No closures here or on gemmWasm's one-thread path: under tsx (keepNames), each closure made per call
// costs a defineProperty, ~3 µs per product in all (2% of an MNIST step, bench/epoch-profile.ts).
function place(k: KernelInstance, type: ComputeType, m: number, n: number, kk: number, a: TensorData, b: TensorData, out: TensorData, base: number): Placement {
  const bytes = BLOCKS[type].elementBytes;
  let end = base;
  let aAt = inPlace(k, type, a);
  if (aAt < 0) {
    aAt = end;
    end += align(m * kk * bytes);
  }
  let bAt = inPlace(k, type, b);
  if (bAt < 0) {
    bAt = end;
    end += align(kk * n * bytes);
  }
  let cAt = inPlace(k, type, out);
  // gemm zeroes C first: writing it in place is only safe when it shares no byte with A or B.
  if (cAt >= 0 && (overlap(cAt, m * n * bytes, aAt, m * kk * bytes) || overlap(cAt, m * n * bytes, bAt, kk * n * bytes))) cAt = -1;
  const copyOut = cAt < 0;
  if (copyOut) {
    cAt = end;
    end += align(m * n * bytes);
  }
  return { a: aAt, b: bAt, c: cAt, copyOut, end };
}

/**
 * Sets `out` (m×n) to op(A)·op(B) as gemm() in matmul.ts, on this thread and up to `helpers` ready
 * workers. Returns false, having done nothing, when the module cannot run here or the operands do not
 * fit its memory; the caller then uses the plain kernel.
 */
export function gemmWasm(m: number, n: number, k: number, a: TensorData, transA: boolean, b: TensorData, transB: boolean, out: TensorData, helpers: number): boolean {
  const inst = kernelInstance();
  if (!inst) return false;
  const type: ComputeType = out instanceof Float32Array && a instanceof Float32Array && b instanceof Float32Array ? 'float32' : 'float64';
  const { nc, mc, elementBytes } = BLOCKS[type];
  // Equal k-blocks of at most BLOCKS.kc: 1000 = 2 × 500, not 512 + 488 (a short last block pays a whole write-back of C).
  const kBlocks = Math.ceil(k / BLOCKS[type].kc);
  const kc = Math.max(1, Math.ceil(k / kBlocks));
  const threads = helpers > 0 && sharingAdvised() ? 1 + Math.min(helpers, readyWorkers()) : 1;
  const splitK = threads > 1 && kBlocks === 2 && k >= SPLIT_K_MIN_RATIO * m;
  const bands = splitK ? [0, m] : rowBands(m, [1, ...workerSpeeds(threads - 1)]);
  const parts = splitK ? 2 : Math.max(bands.length - 1, 1);
  const work = workBytes(type);
  const base = scratchBase();
  const at = place(inst, type, m, n, k, a, b, out, base + work * parts);
  // With splitK, the worker's sum over the second k-block goes here, and is added to C afterwards.
  const partial = at.end;
  if (!ensureBytes(inst, splitK ? partial + align(m * n * elementBytes) : at.end)) return false;

  const buffer = inst.memory.buffer;
  const view = type === 'float32' ? new Float32Array(buffer) : new Float64Array(buffer);
  const c0 = at.c / elementBytes;
  if (at.a >= base) view.set(a, at.a / elementBytes);
  if (at.b >= base) view.set(b, at.b / elementBytes);
  // op(A)[i, p] = A[i·ars + p·acs]: A is stored m×k, or k×m when transposed; likewise B (k×n or n×k).
  const ars = transA ? 1 : k, acs = transA ? m : 1;
  const brs = transB ? 1 : n, bcs = transB ? k : 1;
  const gemm = inst.gemm[type];
  const fn = WORKER_FUNCTIONS[type === 'float32' ? 'gemm_f32' : 'gemm_f64'];
  // A share no worker has started by the time this thread is done runs here, in this thread's work area.
  const runHere = parts > 1 ? (args: readonly number[]) => gemm(...args.slice(0, 10), base, kc, nc, mc) : null;
  if (runHere === null) gemm(m, n, k, at.a, ars, acs, at.b, brs, bcs, at.c, base, kc, nc, mc);
  else if (splitK) {
    // C = (0 + Σ over block 1) + Σ over block 2, as on one thread: this thread computes the first
    // term into C, 0 + Σ over block 2 goes into `partial`, then C += partial. Adding 0 first
    // changes nothing: 0 + s differs from s only for s = −0, and (0 + Σ1) is never −0, so x + s is the same.
    // The worker computes block 2's first `rows` rows; this thread, after block 1, the rest (when the
    // worker has been slower: on this VM, one vCPU was at times a third slower than the other).
    const rows = kSplitRows(m, kc, k - kc, workerSpeeds(1)[0] ?? 1);
    const second = (r0: number, r1: number, workAt: number) =>
      [r1 - r0, n, k - kc, at.a + (r0 * ars + kc * acs) * elementBytes, ars, acs, at.b + kc * brs * elementBytes, brs, bcs, partial + r0 * n * elementBytes, workAt, kc, nc, mc];
    runOnWorkers(fn, [second(0, rows, base + work)], () => {
      gemm(m, n, kc, at.a, ars, acs, at.b, brs, bcs, at.c, base, kc, nc, mc);
      if (rows < m) gemm(...second(rows, m, base));
    }, runHere, [m * kc + (m - rows) * (k - kc), rows * (k - kc)]);
    // C − (−1)·partial: the one-step subtraction of the SGD step (gemm.wat), which is C + partial exactly
    // (−1·x is exact, and x − (−y) is x + y), in float64 or as float32 rounded once, like JavaScript's +.
    inst.subScaled[type](at.c, at.c, partial, m * n, -1);
  } else {
    const callFor = (part: number, workAt: number): number[] => {
      const r0 = bands[part]!, r1 = bands[part + 1]!;
      return [r1 - r0, n, k, at.a + r0 * ars * elementBytes, ars, acs, at.b, brs, bcs, at.c + r0 * n * elementBytes, workAt, kc, nc, mc];
    };
    const calls = Array.from({ length: parts - 1 }, (_, i) => callFor(i + 1, base + (i + 1) * work));
    // Rows are the unit of work: each worker learns its speed from its band's time against ours.
    runOnWorkers(fn, calls, () => gemm(...callFor(0, base)), runHere, bands.slice(1).map((end, i) => end - bands[i]!));
  }
  if (at.copyOut) out.set(view.subarray(c0, c0 + m * n));
  return true;
}

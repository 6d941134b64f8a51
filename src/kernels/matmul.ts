// The matrix product behind every matmul in src/: which kernel runs it, and on how many threads.
//   - 'wasm' (default where it runs): gemm.wat, WebAssembly SIMD; float32 computed in float32.
//   - 'plain': gemm-plain.ts, plain TypeScript, everything summed in float64; the fallback and the oracle.
// Products of at least PARALLEL_MIN_FLOP are split by rows across `threads` threads (this one plus
// workers); the result is bit-identical whatever the thread count (see gemm.wat).
import { availableParallelism } from 'node:os';
import type { TensorData } from '../tensor';
import { gemmPlain } from './gemm-plain';
import { gemmWasm, startWasmWorkers, wasmUnavailableReason } from './gemm-wasm';
import { closeWorkers, liveWorkers, poolCounters, readyWorkers, setIdleMs, waitForWorkers, workerSpeeds } from './pool';

export type MatmulKernel = 'wasm' | 'plain';

export interface MatmulSettings {
  /** Default 'wasm' when the runtime supports it, else 'plain'. */
  kernel: MatmulKernel;
  /** Threads for a large product, this one included. Default: the cores available, at most 4. */
  threads: number;
  /** Milliseconds without a large product after which the worker threads stop. Default 1000. */
  workerIdleMs: number;
  /** 2·m·n·k at or above which a product is split across threads. Default PARALLEL_MIN_FLOP. */
  parallelMinFlop: number;
  /** Rows of C below which a product stays on one thread. Default PARALLEL_MIN_ROWS. */
  parallelMinRows: number;
}

/**
 * 2·m·n·k at or above which a product is split across threads. From bench/threshold.ts on the 2-core
 * VM: handing a share to a polling worker and getting it back costs 3–5 µs (25–60 µs when it was
 * asleep), so 1 MFLOP (50–60 µs of float64 work on one thread) is where a split can gain over 1.5×.
 * Both MNIST products (5 MFLOP each, batch 64) are above it; layer 2's (0.06 MFLOP) below.
 */
export const PARALLEL_MIN_FLOP = 1_000_000;
/** Rows of C below which a product stays on one thread: each thread's band should be several 4-row panels. */
export const PARALLEL_MIN_ROWS = 16;

const settings: MatmulSettings = {
  kernel: wasmUnavailableReason() === null ? 'wasm' : 'plain',
  threads: Math.max(1, Math.min(4, availableParallelism())),
  workerIdleMs: 1000,
  parallelMinFlop: PARALLEL_MIN_FLOP,
  parallelMinRows: PARALLEL_MIN_ROWS,
};

/** Changes the kernel or the thread count for every later product; returns the settings now in force. */
export function configureMatmul(changes: Partial<MatmulSettings>): MatmulSettings {
  if (changes.kernel !== undefined) {
    if (changes.kernel !== 'wasm' && changes.kernel !== 'plain') throw new Error(`matmul: unknown kernel '${String(changes.kernel)}'; expected 'wasm' or 'plain'`);
    const reason = changes.kernel === 'wasm' ? wasmUnavailableReason() : null;
    if (reason !== null) throw new Error(`matmul: the WebAssembly kernel cannot run here: ${reason}`);
    settings.kernel = changes.kernel;
  }
  if (changes.threads !== undefined) {
    if (!Number.isInteger(changes.threads) || changes.threads < 1) throw new Error(`matmul: threads must be a positive integer, got ${changes.threads}`);
    settings.threads = changes.threads;
  }
  for (const key of ['parallelMinFlop', 'parallelMinRows'] as const) {
    const value = changes[key];
    if (value === undefined) continue;
    if (!(value >= 0)) throw new Error(`matmul: ${key} must be a non-negative number, got ${value}`);
    settings[key] = value;
  }
  if (changes.workerIdleMs !== undefined) {
    if (!(changes.workerIdleMs >= 0)) throw new Error(`matmul: workerIdleMs must be a non-negative number, got ${changes.workerIdleMs}`);
    settings.workerIdleMs = changes.workerIdleMs;
    setIdleMs(changes.workerIdleMs);
  }
  return { ...settings };
}

export interface MatmulStatus extends MatmulSettings {
  /** Why the WebAssembly kernel cannot run here, or null. */
  wasmUnavailable: string | null;
  /** Worker threads alive now, and how many of them are ready for calls. */
  workersLive: number;
  workersReady: number;
  /** Since the process began: worker threads started, products split across threads, and shares a worker had not started when this thread took them back. */
  workersStarted: number;
  sharedCalls: number;
  callsTakenBack: number;
  /** Products where this thread waited on a worker longer than on its own share (the machine was oversubscribed). */
  stalls: number;
  /** Each ready worker's speed over this thread's, learnt from the shares both ran; rows are cut in proportion. */
  workerSpeeds: number[];
}

/** The settings in force and the state of the worker pool. */
export function matmulStatus(): MatmulStatus {
  return { ...settings, wasmUnavailable: wasmUnavailableReason(), workersLive: liveWorkers(), workersReady: readyWorkers(), ...poolCounters(), workerSpeeds: workerSpeeds(readyWorkers()) };
}

/**
 * Starts the worker threads now and blocks until they are ready (or `timeoutMs` passes); returns how
 * many are. Without it, they start on the first large product, which runs on one thread meanwhile.
 */
export function startMatmulWorkers(timeoutMs = 10_000): number {
  if (settings.kernel !== 'wasm' || settings.threads <= 1) return 0;
  startWasmWorkers(settings.threads - 1);
  return waitForWorkers(settings.threads - 1, timeoutMs);
}

/** Stops the worker threads now (they also stop by themselves after a second without a large product). */
export function closeMatmulWorkers(): Promise<void> {
  return closeWorkers();
}

/**
 * Sets `out` (m×n) to op(A)·op(B), where op(A) is m×k and op(B) is k×n, all row-major.
 * With `transA`, `a` holds A stored k×m and op(A) = Aᵀ; with `transB`, `b` holds B stored n×k.
 */
export function gemm(m: number, n: number, k: number, a: TensorData, transA: boolean, b: TensorData, transB: boolean, out: TensorData): void {
  if (settings.kernel === 'wasm') {
    let helpers = 0;
    if (settings.threads > 1 && 2 * m * n * k >= settings.parallelMinFlop && m >= settings.parallelMinRows) {
      helpers = settings.threads - 1;
      startWasmWorkers(helpers); // no-op once running; the first large product may still run alone
    }
    if (gemmWasm(m, n, k, a, transA, b, transB, out, helpers)) return;
  }
  gemmPlain(m, n, k, a, transA, b, transB, out);
}

export { gemmPlain };

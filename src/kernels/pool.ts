// The worker threads that run a share of a WebAssembly matrix product. Each worker instantiates the
// same compiled module on the same shared memory, then sleeps in Atomics.wait on its control block
// until the main thread posts a call (function index + arguments) and wakes it. No messages, no
// event loop: the main thread, itself blocked inside a synchronous gemm, waits the same way.
//
// Never in the way of the process or of a test: workers are unref'd (they never keep the process
// alive), the pool stops itself after idleMs without a parallel call, and closeWorkers() stops it now.
import { Worker } from 'node:worker_threads';
import type { WasmMemory, WasmModule } from './wasm-api';

/** Control block of one worker, Int32 slots. ARGS holds a call's arguments. */
const READY = 0, CALL = 1, DONE = 2, STATUS = 3, FN = 4, ARGS = 5, SLOTS = 32;
/** Value of FN that tells the worker to leave its loop. */
const QUIT = -1;
/** A pool with no parallel call for this long stops its threads; the next big product restarts them. */
let idleMs = 1000;

// Plain JavaScript, run with `eval: true`: the worker needs no TypeScript loader and no file on disk.
const WORKER_SOURCE = `'use strict';
const { workerData } = require('node:worker_threads');
const { module, memory, control } = workerData;
const ctl = new Int32Array(control);
const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
const fns = ${JSON.stringify(['gemm_f64', 'gemm_f32'])}.map((name) => exports[name]);
Atomics.store(ctl, ${READY}, 1);
let seen = 0;
for (;;) {
  Atomics.wait(ctl, ${CALL}, seen);
  seen = Atomics.load(ctl, ${CALL});
  const fn = Atomics.load(ctl, ${FN});
  if (fn === ${QUIT}) break;
  let status = 0;
  try {
    fns[fn](...ctl.subarray(${ARGS}, ${ARGS} + 13));
  } catch (e) {
    status = 1;
  }
  Atomics.store(ctl, ${STATUS}, status);
  Atomics.store(ctl, ${DONE}, seen);
  Atomics.notify(ctl, ${DONE});
}
`;

/** The index of each export in the worker's table of functions. */
export const WORKER_FUNCTIONS = { gemm_f64: 0, gemm_f32: 1 } as const;

interface PoolWorker {
  thread: Worker;
  control: Int32Array;
  /** The number of the last call posted to it. */
  call: number;
}

let workers: PoolWorker[] = [];
let idleTimer: NodeJS.Timeout | null = null;
let started = 0;
let runs = 0;

/** Starts `count` workers (if not running) for `module` on `memory`; they become usable when ready. */
export function startWorkers(count: number, module: WasmModule, memory: WasmMemory): void {
  while (workers.length < count) {
    const control = new Int32Array(new SharedArrayBuffer(SLOTS * 4));
    const thread = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory, control: control.buffer } });
    thread.unref();
    thread.on('error', () => forget(thread)); // an instantiation failure: the main thread carries on alone
    thread.on('exit', () => forget(thread));
    workers.push({ thread, control, call: 0 });
    started++;
  }
  armIdleTimer();
}

function forget(thread: Worker): void {
  workers = workers.filter((w) => w.thread !== thread);
}

/** Sets how long an unused pool lives (default 1000 ms); a running pool's timer restarts with it. */
export function setIdleMs(ms: number): void {
  idleMs = ms;
  if (idleTimer) {
    clearTimeout(idleTimer);
    idleTimer = null;
    armIdleTimer();
  }
}

function armIdleTimer(): void {
  if (idleTimer) idleTimer.refresh();
  else {
    idleTimer = setTimeout(() => void closeWorkers(), idleMs);
    idleTimer.unref();
  }
}

/** How many workers have instantiated the module and wait for calls. */
export function readyWorkers(): number {
  let ready = 0;
  for (const w of workers) if (Atomics.load(w.control, READY) === 1) ready++;
  return ready;
}

/** Blocks until `count` workers are ready or `timeoutMs` passes; returns how many are. For tests and benchmarks. */
export function waitForWorkers(count: number, timeoutMs = 10_000): number {
  const deadline = performance.now() + timeoutMs;
  for (const w of workers.slice(0, count)) {
    while (Atomics.load(w.control, READY) !== 1) {
      const left = deadline - performance.now();
      if (left <= 0) return readyWorkers();
      Atomics.wait(w.control, READY, 0, Math.min(left, 50));
    }
  }
  return readyWorkers();
}

/** Threads alive now (ready or starting); 0 after closeWorkers() or the idle timeout. */
export function liveWorkers(): number {
  return workers.length;
}

/** Threads started and calls shared with workers since the process began: tests check that the pool really ran. */
export function poolCounters(): { workersStarted: number; sharedCalls: number } {
  return { workersStarted: started, sharedCalls: runs };
}

/**
 * Runs fn(args[i]) on ready worker i for each i, `onMain` on this thread meanwhile, and returns once
 * all finished. Throws if a worker's call trapped. Callers pass at most readyWorkers() argument lists.
 */
export function runOnWorkers(fn: number, args: readonly number[][], onMain: () => void): void {
  const ready = workers.filter((w) => Atomics.load(w.control, READY) === 1);
  if (args.length > ready.length) throw new Error(`matmul: ${args.length} worker calls but ${ready.length} workers ready`);
  const posted = args.map((list, i) => {
    const w = ready[i]!;
    w.control.set(list, ARGS);
    Atomics.store(w.control, FN, fn);
    Atomics.store(w.control, CALL, ++w.call);
    Atomics.notify(w.control, CALL);
    return w;
  });
  armIdleTimer();
  runs++;
  let mainError: unknown = null;
  try {
    onMain();
  } catch (e) {
    mainError = e; // still wait: the workers write into memory the next call will reuse
  }
  let failed = false;
  for (const w of posted) {
    for (let done = Atomics.load(w.control, DONE); done !== w.call; done = Atomics.load(w.control, DONE)) {
      Atomics.wait(w.control, DONE, done, 1000);
    }
    if (Atomics.load(w.control, STATUS) !== 0) failed = true;
  }
  if (mainError) throw mainError;
  if (failed) throw new Error('matmul: a worker thread failed inside the WebAssembly kernel');
}

/** Stops every worker now; resolves when their threads have exited. Safe to call at any time. */
export async function closeWorkers(): Promise<void> {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  const stopping = workers;
  workers = [];
  for (const w of stopping) {
    Atomics.store(w.control, FN, QUIT);
    Atomics.store(w.control, CALL, ++w.call);
    Atomics.notify(w.control, CALL);
  }
  await Promise.all(stopping.map((w) => w.thread.terminate()));
}

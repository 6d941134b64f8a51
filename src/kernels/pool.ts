// The worker threads that run a share of a WebAssembly matrix product. Each worker instantiates the
// same compiled module on the same shared memory, then waits on its control block until the main
// thread posts a call (function index + arguments). No messages, no event loop: the main thread,
// itself inside a synchronous gemm, waits the same way.
//
// A posted call is claimed by whoever gets to it first: the worker, or the main thread once its own
// share is done. So a worker that the OS has not scheduled (a busy machine) costs nothing: the main
// thread does that share itself, with the same instructions, hence the same bits.
//
// Never in the way of the process or of a test: workers are unref'd (they never keep the process
// alive), the pool stops itself after idleMs without a parallel call, and closeWorkers() stops it now.
import { Worker } from 'node:worker_threads';
import type { WasmMemory, WasmModule } from './wasm-api';

/** Arguments of gemm_f64 / gemm_f32. */
const ARG_COUNT = 14;
/**
 * Control block of one worker, Int32 slots. CALL: the number of the last call posted; OPEN: that
 * number while nobody has claimed the call, −number once the worker has, 0 once the main thread
 * has; DONE: the number of the last call the worker finished; ARGS: the call's arguments;
 * SPIN_US: how long the worker polls for the next call before it sleeps, in microseconds;
 * HOLD, HELD: a test's hold on the worker (see holdWorkers) and the worker's acknowledgement of it;
 * TIME: how long the worker's last call ran, in units of TIME_UNIT_MS (see learnSpeed).
 */
const READY = 0, CALL = 1, DONE = 2, STATUS = 3, FN = 4, OPEN = 5, HOLD = 6, ASLEEP = 7, ARGS = 8, SPIN_US = ARGS + ARG_COUNT, HELD = SPIN_US + 1, TIME = HELD + 1, SLOTS = 32;
const TIME_UNIT_MS = 1e-4;
/** Values of HOLD: a held worker never claims a call; it either polls without ever sleeping, or sleeps at once. */
const HOLD_NONE = 0, HOLD_POLLING = 1, HOLD_SLEEPING = 2;
/** Value of FN that tells the worker to leave its loop. */
const QUIT = -1;
/** A pool with no parallel call for this long stops its threads; the next big product restarts them. */
let idleMs = 1000;
/**
 * How long a worker keeps polling for the next call before it sleeps, and the main thread for a
 * worker's result before it sleeps. A training step posts two products a few hundred microseconds
 * apart; a sleeping thread takes tens of microseconds to wake (a futex round trip), a polling one
 * under one. Bounded, so an idle pool costs nothing after this long. Only while the machine looks
 * free (see backoff): on a busy one, the worker polled through nearly all its time between shares
 * (a 2-thread MNIST epoch cost ~0.3 CPU s more than one thread), time other processes needed.
 */
export const SPIN_MS = 0.5;

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
  // Poll for a while before sleeping: the next product of a training step is usually that close.
  const until = performance.now() + Atomics.load(ctl, ${SPIN_US}) / 1000;
  for (let i = 0; Atomics.load(ctl, ${CALL}) === seen; i++) {
    if ((i & 63) !== 0) continue;
    const hold = Atomics.load(ctl, ${HOLD});
    if (hold === ${HOLD_POLLING}) {
      Atomics.store(ctl, ${HELD}, 1);
      continue;
    }
    if (hold === ${HOLD_SLEEPING} || performance.now() > until) {
      Atomics.store(ctl, ${ASLEEP}, 1); // the main thread then wakes it with a notify (a system call)
      Atomics.wait(ctl, ${CALL}, seen);
      Atomics.store(ctl, ${ASLEEP}, 0);
      break;
    }
  }
  const call = Atomics.load(ctl, ${CALL});
  seen = call;
  if (Atomics.load(ctl, ${FN}) === ${QUIT}) break;
  // Claim it, unless the main thread already has (it takes calls nobody started once its own share is
  // done), or a test holds this worker back to see the main thread do so.
  if (Atomics.load(ctl, ${HOLD}) !== ${HOLD_NONE} || Atomics.compareExchange(ctl, ${OPEN}, call, -call) !== call) continue;
  let status = 0;
  const started = performance.now();
  try {
    fns[Atomics.load(ctl, ${FN})](...ctl.subarray(${ARGS}, ${ARGS + ARG_COUNT}));
  } catch (e) {
    status = 1;
  }
  Atomics.store(ctl, ${TIME}, Math.min(2147483647, Math.round((performance.now() - started) / ${TIME_UNIT_MS})));
  Atomics.store(ctl, ${STATUS}, status);
  Atomics.store(ctl, ${DONE}, call);
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
  /** Its work per millisecond over this thread's, as learnt from the shares both ran (see learnSpeed). */
  speed: number;
}

let workers: PoolWorker[] = [];
/** Whether the main thread runs a share no worker has started (always, but for a test). */
let takeBack = true;
/**
 * Back-off on a machine with more runnable threads than cores, where a worker gets the CPU late:
 * either the main thread takes its share back (the worker never got to it), or it waits for a worker
 * that claimed a share and was then descheduled (a stall). Either way, products run on one thread (same
 * bits) for the next `ms` milliseconds, and `ms` doubles while this repeats, halves while it does not.
 * In time, not in products: a count of products skipped a few µs of a training step's small products but
 * most of a benchmark's large ones after one stall (a worker's cold first share was enough).
 *
 * Only a worker that was polling when the call was posted is evidence: one that was asleep takes a
 * futex wake-up to start, which on this VM (an idle vCPU halts) can take longer than a whole share.
 * Counting those too was a trap: a take-back stopped the polling, so the next worker was asleep too,
 * and a 2-thread MNIST epoch shared 15 of its 2800 large products. A share with no evidence halves the
 * back-off. The threads poll only outside the back-off's while (spinMs): sleeping on after it, until
 * the back-off had halved to its minimum, had a worker miss a training step's shares one after the
 * other (~6 taken back per late polling worker; 90–230 of ~1870 shares per float32 epoch in all).
 */
const BACKOFF_MIN_MS = 2, BACKOFF_MAX_MS = 1000;
const backoff = { enabled: true, until: 0, ms: BACKOFF_MIN_MS };
let idleTimer: NodeJS.Timeout | null = null;
const counters = { workersStarted: 0, sharedCalls: 0, callsTakenBack: 0, stalls: 0 };

/** Starts `count` workers (if not running) for `module` on `memory`; they become usable when ready. */
export function startWorkers(count: number, module: WasmModule, memory: WasmMemory): void {
  while (workers.length < count) {
    const control = new Int32Array(new SharedArrayBuffer(SLOTS * 4));
    control[SPIN_US] = Math.round(1000 * spinMs());
    const thread = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory, control: control.buffer } });
    thread.unref();
    thread.on('error', () => forget(thread)); // an instantiation failure: the main thread carries on alone
    thread.on('exit', () => forget(thread));
    workers.push({ thread, control, call: 0, speed: 1 });
    counters.workersStarted++;
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
  return ready().length;
}

/** The workers that are ready, in the order runOnWorkers posts to them (and workerSpeeds lists them). */
function ready(): PoolWorker[] {
  return workers.filter((w) => Atomics.load(w.control, READY) === 1);
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

/**
 * Since the process began: threads started, products shared with workers, calls the main thread
 * took back from a worker that had not started them, and stalls (see backoff). Tests check the pool really ran.
 */
export function poolCounters(): { workersStarted: number; sharedCalls: number; callsTakenBack: number; stalls: number } {
  return { ...counters };
}

/**
 * A product's rows are cut in proportion to each thread's speed, learnt from the shares both ran:
 * the two vCPUs of this VM are not always equal. At times one ran the kernel at 21 GFLOPS and the
 * other at 33 (one process pinned to each with taskset, minutes apart: now equal, now not), and
 * with equal bands a product waited on the slower: 1.2–1.3× on two threads, where 1.6× was there.
 * The estimate moves a quarter of the way (in log) to each new measurement, so it follows the
 * host within a few products and one late share does not swing it. Tiny shares are not measured:
 * the clock's grain would be most of them.
 */
const SPEED_LEARN_RATE = 0.25, SPEED_MIN = 0.25, SPEED_MAX = 4, SPEED_MIN_MS = 0.02;

/**
 * The next estimate of a worker's speed (its work per ms over this thread's), after a product where
 * this thread did `mainWork` in `mainMs` and the worker `workerWork` in `workerMs` (work in any one unit).
 */
export function learnSpeed(speed: number, mainWork: number, mainMs: number, workerWork: number, workerMs: number): number {
  if (!(mainMs >= SPEED_MIN_MS && workerMs >= SPEED_MIN_MS && mainWork > 0 && workerWork > 0)) return speed;
  const seen = workerWork / workerMs / (mainWork / mainMs);
  const next = speed ** (1 - SPEED_LEARN_RATE) * seen ** SPEED_LEARN_RATE;
  return Math.min(SPEED_MAX, Math.max(SPEED_MIN, next));
}

/** The learnt speeds of the first `count` ready workers (see learnSpeed), in the order runOnWorkers posts to them. */
export function workerSpeeds(count: number): number[] {
  return ready().slice(0, count).map((w) => w.speed);
}

/** For tests: sets the ready workers' speeds, as if learnt (the next shared product learns from there). */
export function setWorkerSpeeds(speeds: readonly number[]): void {
  ready().forEach((w, i) => (w.speed = speeds[i] ?? w.speed));
}

/** Whether the next product should be shared: false for a while after a stall (see backoff). */
export function sharingAdvised(): boolean {
  return performance.now() >= backoff.until;
}

/** For tests: without back-off, every product above the threshold is shared. Either way, starts it afresh. */
export function setBackoff(enabled: boolean): void {
  backoff.enabled = enabled;
  backoff.until = 0;
  backoff.ms = BACKOFF_MIN_MS;
  setSpin(SPIN_MS);
}

/**
 * How long the threads poll before they sleep (ms): SPIN_MS while products are shared, 0 during a
 * back-off (see backoff), when nothing is shared and the CPU is better left to others. Workers are
 * told at the end of each share (setSpin): after a late one, 0 until the next share.
 */
export function spinMs(): number {
  return backoff.enabled && !sharingAdvised() ? 0 : SPIN_MS;
}

function setSpin(ms: number): void {
  for (const w of workers) Atomics.store(w.control, SPIN_US, Math.round(1000 * ms));
}

/** For tests: how long each worker was last told to poll before it sleeps (ms). */
export function workerSpinMs(): number[] {
  return workers.map((w) => Atomics.load(w.control, SPIN_US) / 1000);
}

/**
 * Posts fn(args[i]) to ready worker i for each i, runs `onMain` here, then, for each call no worker
 * has started, runs it here with `runHere(args)`; returns once every call is done. Throws if a
 * worker's call trapped. Callers pass at most readyWorkers() argument lists. `work` is how much
 * work `onMain` and each call are ([onMain, ...args], one unit): each worker that ran its call then
 * learns its speed from it (learnSpeed, workerSpeeds).
 */
export function runOnWorkers(fn: number, args: readonly number[][], onMain: () => void, runHere: (args: readonly number[]) => void, work: readonly number[]): void {
  const posting = ready();
  if (args.length > posting.length) throw new Error(`matmul: ${args.length} worker calls but ${posting.length} workers ready`);
  const posted = args.map((list, i) => {
    const w = posting[i]!;
    w.control.set(list, ARGS);
    Atomics.store(w.control, FN, fn);
    Atomics.store(w.control, OPEN, ++w.call); // open before announced: a worker that sees CALL can claim it
    Atomics.store(w.control, CALL, w.call);
    // Read after CALL is set: a worker that falls asleep later sees the call in Atomics.wait and returns.
    const asleep = Atomics.load(w.control, ASLEEP) === 1;
    if (asleep) Atomics.notify(w.control, CALL);
    return { w, asleep };
  });
  armIdleTimer();
  counters.sharedCalls++;
  let failure: unknown = null;
  const started = performance.now();
  try {
    onMain();
  } catch (e) {
    failure = e; // still settle every posted call: they write into memory the next call reuses
  }
  const mainDone = performance.now();
  let waited = false;
  /** Evidence of a busy machine (see backoff): a worker that was polling and still did not claim its share, or stalled. */
  let busy = false;
  posted.forEach(({ w, asleep }, i) => {
    if (takeBack && Atomics.compareExchange(w.control, OPEN, w.call, 0) === w.call) {
      counters.callsTakenBack++;
      if (!asleep) busy = true;
      if (failure === null) {
        try {
          runHere(args[i]!);
        } catch (e) {
          failure = e;
        }
      }
      return;
    }
    // The worker has it: its band usually ends about when ours did, so poll, then sleep.
    if (!asleep) waited = true;
    const until = performance.now() + spinMs();
    let spins = 0;
    for (let done = Atomics.load(w.control, DONE); done !== w.call; done = Atomics.load(w.control, DONE)) {
      if ((++spins & 63) === 0 && performance.now() > until) Atomics.wait(w.control, DONE, done, 1000);
    }
    if (Atomics.load(w.control, STATUS) !== 0) {
      if (failure === null) failure = new Error('matmul: a worker thread failed inside the WebAssembly kernel');
    } else if (failure === null) w.speed = learnSpeed(w.speed, work[0]!, mainDone - started, work[i + 1]!, Atomics.load(w.control, TIME) * TIME_UNIT_MS);
  });
  // A stall: waiting for a worker that was polling took longer than our own share, and more than a wake-up.
  const stalled = waited && performance.now() - mainDone > Math.max(0.2, mainDone - started);
  if (stalled) {
    counters.stalls++;
    busy = true;
  }
  if (backoff.enabled) {
    if (busy) {
      backoff.until = performance.now() + backoff.ms;
      backoff.ms = Math.min(2 * backoff.ms, BACKOFF_MAX_MS);
    } else backoff.ms = Math.max(BACKOFF_MIN_MS, backoff.ms / 2);
    setSpin(busy ? 0 : SPIN_MS);
  }
  if (failure !== null) throw failure;
}

/**
 * For tests: a held worker never claims a call, so the main thread runs every share itself (as when
 * the OS does not schedule the worker in time). 'polling': it polls until released, never sleeping
 * (a take-back from it is evidence of a busy machine); 'sleeping': it sleeps at once and after every
 * call (a take-back from it is not). Returns once every worker is in that state (throws after 10 s);
 * released (false), workers claim calls again.
 */
export function holdWorkers(hold: false | 'polling' | 'sleeping'): void {
  const mode = hold === 'polling' ? HOLD_POLLING : hold === 'sleeping' ? HOLD_SLEEPING : HOLD_NONE;
  for (const w of workers) {
    Atomics.store(w.control, HELD, 0);
    Atomics.store(w.control, HOLD, mode);
    // An empty call (never open, so never claimed): a sleeping worker wakes, sees the hold and settles
    // into it. A notify alone could come between a worker's last look at HOLD and its wait, and be lost.
    Atomics.store(w.control, CALL, ++w.call);
    Atomics.notify(w.control, CALL);
  }
  if (mode === HOLD_NONE) return;
  const deadline = performance.now() + 10_000;
  for (const w of ready()) {
    const slot = mode === HOLD_POLLING ? HELD : ASLEEP;
    while (Atomics.load(w.control, slot) !== 1) {
      if (performance.now() > deadline) throw new Error(`matmul: a worker thread did not take the '${hold}' hold within 10 s`);
      Atomics.wait(w.control, slot, 0, 1);
    }
  }
}

/** For tests: with false, the main thread always waits for the workers' shares, so a worker surely runs one. */
export function setTakeBack(enabled: boolean): void {
  takeBack = enabled;
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

// --impl <path>: the module runs in a worker thread, so the runner stays in charge of it.
// Why a worker and not in-process: a synchronous infinite loop in run() would block the runner's own
// event loop, so no timer, Ctrl-C or SIGTERM could ever fire; worker.terminate() stops even a busy
// loop. process.exit() in a worker ends only that thread, not the run and its reports. A throw from a
// timer or an unhandled rejection ends the worker with an 'error' event instead of the runner, and is
// attributed to the case in flight (or to the next case when it came between cases).
// Why not a child process: a worker starts in a fraction of the time, and tensors cross by structured
// clone without a JSON round trip. The reference and tfjs adapters stay in-process (they are ours).
// After a timeout or a crash the worker is started again for the next case, with its own start timer.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ImplementationError } from '../adapters/implementation-error';
import type { CaseDType, CaseReply, CaseRequest, Implementation } from '../implementation';
import { writeBack } from '../mutations';
import { StartupError } from './errors';
import type { FromWorker, ToWorker, WorkerStart } from './worker-messages';

export interface WorkerImplementationOptions {
  spec: string;
  cwd: string;
  /** Per case, from sending the request to the reply; the worker is terminated when it runs out. */
  timeoutMs: number;
  /** Loading the module (tsx compiles TypeScript); default max(timeoutMs, 30 s). */
  startupTimeoutMs?: number;
  /** Time the module's close() gets before the worker is terminated; default 2 s. */
  closeTimeoutMs?: number;
}

interface Session {
  worker: Worker;
  name: string;
  ops?: string[];
  dtypes?: CaseDType[];
  /** Set when the worker ended; why, when it was an error. */
  ended?: { error?: string };
}

/** Starts the module in a worker thread; throws StartupError as the in-process loader did. */
export async function startWorkerImplementation(options: WorkerImplementationOptions): Promise<Implementation> {
  const startupTimeoutMs = options.startupTimeoutMs ?? Math.max(options.timeoutMs, 30_000);
  const start: WorkerStart = { spec: options.spec, cwd: options.cwd };
  const first = await startSession(start, startupTimeoutMs);
  return new WorkerImplementation(first, start, { ...options, startupTimeoutMs, closeTimeoutMs: options.closeTimeoutMs ?? 2_000 });
}

class WorkerImplementation implements Implementation {
  readonly name: string;
  readonly ops?: readonly string[];
  readonly dtypes?: readonly CaseDType[];
  /** The runner's own case timer must outlast a restart plus this adapter's case timer. */
  readonly runLimitMs: number;
  private session: Session | undefined;
  private seq = 0;
  private lastId: string | undefined;
  private inFlight: Session | undefined;
  private closed = false;

  constructor(
    first: Session,
    private readonly start: WorkerStart,
    private readonly settings: Required<WorkerImplementationOptions>,
  ) {
    this.session = first;
    watch(first, () => this.noteEnded(first));
    this.name = first.name;
    if (first.ops) this.ops = Object.freeze([...first.ops]);
    if (first.dtypes) this.dtypes = Object.freeze([...first.dtypes]);
    this.runLimitMs = settings.startupTimeoutMs + settings.timeoutMs + 1_000;
  }

  async run(request: CaseRequest): Promise<CaseReply> {
    if (this.closed) throw new ImplementationError('crash', `the implementation was already closed before case ${request.id}`);
    const previous = this.lastId;
    this.lastId = request.id;
    let session = this.session;
    if (session?.ended) {
      this.session = session = undefined;
    }
    if (session === undefined) {
      const lateError = this.lateError;
      this.lateError = undefined;
      try {
        const fresh = await startSession(this.start, this.settings.startupTimeoutMs);
        watch(fresh, () => this.noteEnded(fresh));
        session = this.session = fresh;
      } catch (e) {
        throw new ImplementationError('crash', `the module's worker could not be restarted: ${(e as Error).message}`);
      }
      if (lateError !== undefined) {
        throw new ImplementationError('crash', `the module threw after ${previous ?? 'the start'} had finished (${lateError}); its worker was restarted and this case was not sent`);
      }
    }
    return this.send(session, request);
  }

  /** An error that ended the worker between cases: the next case reports it. */
  private lateError: string | undefined;

  private send(session: Session, request: CaseRequest): Promise<CaseReply> {
    const seq = ++this.seq;
    const { worker } = session;
    this.inFlight = session;
    return new Promise<CaseReply>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        this.inFlight = undefined;
      };
      const timer = setTimeout(() => {
        done();
        this.stop(session);
        reject(new ImplementationError('timeout', `no reply within ${this.settings.timeoutMs} ms; the module's worker thread was stopped and is restarted for the next case`));
      }, this.settings.timeoutMs);
      const onMessage = (m: FromWorker): void => {
        if ((m.type !== 'reply' && m.type !== 'threw') || m.seq !== seq) return;
        done();
        if (m.type === 'threw') {
          reject(m.refused ? new ImplementationError('refused', m.message) : new Error(m.message));
          return;
        }
        // The module's in-place writes, made in its thread, onto the runner's request, so mutations() sees them.
        writeBack(request, localize(m.request) as CaseRequest, { replaced: m.replaced });
        resolve(localize(m.reply) as CaseReply);
      };
      const onError = (e: Error): void => {
        done();
        this.stop(session);
        reject(new ImplementationError('crash', `the module threw outside run() while this case ran (${e.message}); its worker is restarted for the next case`));
      };
      const onExit = (code: number): void => {
        done();
        reject(new ImplementationError('crash', `the module ended its thread during this case (exit code ${code}, e.g. process.exit); its worker is restarted for the next case`));
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      try {
        worker.postMessage({ type: 'run', seq, request } satisfies ToWorker);
      } catch (e) {
        done();
        reject(new ImplementationError('crash', `the request could not be sent to the module's worker (${(e as Error).message})`));
      }
    });
  }

  /** Terminates a session's worker (a hang, a crash): the next case starts a fresh one. */
  private stop(session: Session): void {
    session.ended ??= {};
    if (this.session === session) this.session = undefined;
    void session.worker.terminate();
  }

  /** The run was interrupted: stop the case in flight now. */
  abort(): void {
    if (this.inFlight) this.stop(this.inFlight);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const session = this.session;
    this.session = undefined;
    // A throw after the last case has no case left to carry it: the run fails with it (run-command.ts).
    this.throwLateError();
    if (!session || session.ended) return;
    const { worker } = session;
    await new Promise<void>((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        resolve();
      };
      const timer = setTimeout(finish, this.settings.closeTimeoutMs);
      const onMessage = (m: FromWorker): void => {
        if (m.type === 'closed') finish();
      };
      worker.on('message', onMessage);
      worker.once('exit', finish);
      try {
        worker.postMessage({ type: 'close' } satisfies ToWorker);
      } catch {
        finish();
      }
    });
    await worker.terminate();
    this.throwLateError(); // thrown while closing
  }

  private throwLateError(): void {
    if (this.lateError !== undefined) throw new Error(`the module threw after ${this.lastId ?? 'the start'} had finished: ${this.lateError}`);
  }

  /** A worker that ended with an error and no case in flight: the next case reports it. */
  private noteEnded(session: Session): void {
    if (session.ended?.error !== undefined && this.inFlight !== session) this.lateError = session.ended.error;
  }
}

/** Every session's worker records how it ended, also between cases. */
function watch(session: Session, onEnded: () => void): void {
  session.worker.on('error', (e: Error) => {
    session.ended = { error: e.message };
    onEnded();
  });
  session.worker.on('exit', () => {
    session.ended ??= {};
    onEnded();
  });
}

const TSX = require.resolve('tsx/cjs');
const ENTRY = join(__dirname, 'module-worker.ts');

/** Workers started and not yet exited (for the tests' no-leftover check). */
const live = new Set<Worker>();

export function liveWorkerCount(): number {
  return live.size;
}

function startSession(start: WorkerStart, timeoutMs: number): Promise<Session> {
  // tsx compiles the entry (and a TypeScript module) inside the worker, as bin/gradspec.js does here.
  const worker = new Worker(`require(${JSON.stringify(TSX)}); require(${JSON.stringify(ENTRY)});`, { eval: true, workerData: { gradspecModuleWorker: start } });
  live.add(worker);
  worker.once('exit', () => live.delete(worker));
  return new Promise<Session>((resolve, reject) => {
    // Only our own listeners come off: worker.removeAllListeners() would also stop its message delivery.
    const detach = (): void => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const fail = (message: string): void => {
      detach();
      void worker.terminate();
      reject(new StartupError(message));
    };
    const timer = setTimeout(() => fail(`--impl ${start.spec} did not load within ${timeoutMs} ms; the module must load on its own`), timeoutMs);
    const onMessage = (m: FromWorker): void => {
      if (m.type === 'startup-error') fail(m.message);
      if (m.type !== 'ready') return;
      detach();
      resolve({ worker, name: m.name, ...(m.ops ? { ops: m.ops } : {}), ...(m.dtypes ? { dtypes: m.dtypes } : {}) });
    };
    const onError = (e: Error): void => fail(`--impl ${start.spec} could not be loaded (${e.message}); the module must load on its own`);
    const onExit = (code: number): void => fail(`--impl ${start.spec} ended its thread while loading (exit code ${code}, e.g. process.exit); the module must load on its own`);
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}

const tag = (v: unknown): string => Object.prototype.toString.call(v);

/**
 * Typed arrays from the worker rebuilt with this realm's constructors (the same in the CLI; not under
 * a test runner's vm context, where `instanceof Float64Array` would fail for a correct reply).
 */
function localize(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (ArrayBuffer.isView(value)) {
    if (tag(value) === '[object Float64Array]') return new Float64Array(value as Float64Array);
    if (tag(value) === '[object Float32Array]') return new Float32Array(value as Float32Array);
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => localize(v, depth + 1));
  const out: Record<string, unknown> = Object.create(Object.getPrototypeOf(value) === null ? null : Object.prototype) as Record<string, unknown>;
  // defineProperty: a key named __proto__ stays a key, as it was in the worker's reply.
  for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: localize(v, depth + 1), enumerable: true, writable: true, configurable: true });
  return out;
}

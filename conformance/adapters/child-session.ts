// One running child process seen as a queue of events: complete stdout lines, an over-long line,
// its exit. Keeps the last stderr lines for failure reasons and kills the whole process group, so a
// `sh -c "cd x && python3 impl.py"` leaves no grandchild behind.
import { spawn, type ChildProcess } from 'node:child_process';

export type SessionEvent =
  | { kind: 'line'; text: string }
  /** A stdout line grew past the cap before its newline; the rest of the stream is unusable. */
  | { kind: 'overflow'; bytes: number }
  /** The process is gone (or never started: `error` says why). */
  | { kind: 'exit'; code: number | null; signal: NodeJS.Signals | null; error?: string }
  | { kind: 'timeout' };

export interface SessionOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Longest stdout line accepted, in bytes, newline excluded. */
  maxLineBytes: number;
  /** How many stderr lines to keep for failure reasons. */
  stderrLines: number;
  onStderr?: (line: string) => void;
}

const STDERR_LINE_CHARS = 2000;
/** After `exit`, how long to wait for the pipes to drain before reporting it anyway. */
const DRAIN_AFTER_EXIT_MS = 200;
/** Lines queued while nobody waits; past this the child is flooding stdout and is killed. */
const MAX_QUEUED = 64;

const live = new Set<ChildSession>();
let exitHookInstalled = false;

/**
 * Children run in their own process group, so a Ctrl-C in the terminal does not reach them: kill
 * them when the runner exits or is signalled. When no one else handles the signal, re-raise it so
 * the runner still dies as it would have.
 */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const killAll = (): void => {
    for (const s of live) s.kill();
  };
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      killAll();
      if (process.listenerCount(signal) === 1) {
        process.removeListener(signal, onSignal);
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, onSignal);
  }
}

export class ChildSession {
  readonly pid: number | undefined;
  /** Resolves once the process has exited and its event was queued. */
  readonly exited: Promise<void>;
  private readonly child: ChildProcess;
  private readonly events: SessionEvent[] = [];
  private waiter: ((e: SessionEvent) => void) | undefined;
  private readonly stderrTailLines: string[] = [];
  private stderrPartial = '';
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private overflowed = false;
  private exitEvent: SessionEvent | undefined;
  private alive = true;

  constructor(
    readonly command: string,
    private readonly options: SessionOptions,
  ) {
    installExitHook();
    this.child = spawn(command, {
      shell: true,
      cwd: options.cwd,
      env: options.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      // Own process group (POSIX), so kill() reaches whatever the shell started.
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
    this.pid = this.child.pid;
    live.add(this);

    let resolveExited!: () => void;
    this.exited = new Promise((r) => (resolveExited = r));
    const finish = (e: SessionEvent): void => {
      if (this.exitEvent) return;
      this.exitEvent = e;
      this.alive = false;
      live.delete(this);
      this.flushStderrPartial();
      this.push(e);
      resolveExited();
    };

    this.child.stdin!.on('error', () => {}); // EPIPE when the child is gone: its exit is reported instead
    this.child.stdout!.on('data', (chunk: Buffer) => this.onStdout(chunk));
    this.child.stderr!.on('data', (chunk: Buffer) => this.onStderr(chunk));
    this.child.on('error', (err) => finish({ kind: 'exit', code: null, signal: null, error: err.message }));
    this.child.on('exit', (code, signal) => {
      // 'close' follows once stdout/stderr are drained; a grandchild holding the pipes open must not stall us.
      const timer = setTimeout(() => {
        this.killGroup();
        finish({ kind: 'exit', code, signal });
      }, DRAIN_AFTER_EXIT_MS);
      this.child.once('close', () => {
        clearTimeout(timer);
        finish({ kind: 'exit', code, signal });
      });
    });
  }

  get isAlive(): boolean {
    return this.alive;
  }

  /** Writes one protocol line. */
  send(line: string): void {
    if (!this.alive || !this.child.stdin!.writable) return;
    this.child.stdin!.write(line + '\n');
  }

  /** Closes the child's stdin (end of input). */
  endInput(): void {
    if (this.child.stdin!.writable) this.child.stdin!.end();
  }

  /** The next event, or `timeout` after `timeoutMs`. Only one waiter at a time. */
  next(timeoutMs: number): Promise<SessionEvent> {
    const queued = this.events.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        resolve({ kind: 'timeout' });
      }, timeoutMs);
      this.waiter = (e) => {
        clearTimeout(timer);
        this.waiter = undefined;
        resolve(e);
      };
    });
  }

  /** Events that arrived while nobody was waiting (exit excluded), removed from the queue. */
  takeUnsolicited(): SessionEvent[] {
    const taken = this.events.filter((e) => e.kind !== 'exit');
    this.events.splice(0, this.events.length, ...this.events.filter((e) => e.kind === 'exit'));
    return taken;
  }

  /** The last stderr lines, oldest first. */
  stderrTail(): string[] {
    return this.alive && this.stderrPartial ? [...this.stderrTailLines, this.stderrPartial] : [...this.stderrTailLines];
  }

  /** SIGKILL to the whole process group; safe to call repeatedly and after exit. */
  kill(): void {
    this.killGroup();
  }

  /** Kills and waits for the exit, so no child outlives the call. */
  async killAndWait(): Promise<void> {
    this.killGroup();
    await this.exited;
  }

  private killGroup(): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      if (process.platform === 'win32') this.child.kill('SIGKILL');
      else process.kill(-pid, 'SIGKILL');
    } catch {
      // ESRCH: the group is already gone.
    }
  }

  private push(e: SessionEvent): void {
    if (this.waiter) {
      this.waiter(e);
      return;
    }
    this.events.push(e);
    if (this.events.length > MAX_QUEUED) this.killGroup();
  }

  private onStdout(chunk: Buffer): void {
    if (this.overflowed) return;
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl < 0) break;
      const piece = chunk.subarray(start, nl);
      const total = this.pendingBytes + piece.length;
      if (total > this.options.maxLineBytes) return this.overflow(total);
      const buf = this.pending.length ? Buffer.concat([...this.pending, piece], total) : piece;
      this.pending = [];
      this.pendingBytes = 0;
      let text = buf.toString('utf8');
      if (text.endsWith('\r')) text = text.slice(0, -1);
      if (text.trim() !== '') this.push({ kind: 'line', text }); // blank lines carry nothing
      start = nl + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      this.pendingBytes += rest.length;
      if (this.pendingBytes > this.options.maxLineBytes) return this.overflow(this.pendingBytes);
      this.pending.push(rest);
    }
  }

  private overflow(bytes: number): void {
    this.overflowed = true;
    this.pending = [];
    this.pendingBytes = 0;
    this.push({ kind: 'overflow', bytes });
  }

  private onStderr(chunk: Buffer): void {
    const lines = (this.stderrPartial + chunk.toString('utf8')).split('\n');
    this.stderrPartial = lines.pop()!.slice(0, STDERR_LINE_CHARS);
    for (const line of lines) this.keepStderr(line.replace(/\r$/, ''));
  }

  private flushStderrPartial(): void {
    if (this.stderrPartial) this.keepStderr(this.stderrPartial);
    this.stderrPartial = '';
  }

  private keepStderr(line: string): void {
    const clipped = line.length > STDERR_LINE_CHARS ? `${line.slice(0, STDERR_LINE_CHARS)}…` : line;
    this.options.onStderr?.(clipped);
    this.stderrTailLines.push(clipped);
    if (this.stderrTailLines.length > this.options.stderrLines) this.stderrTailLines.shift();
  }
}

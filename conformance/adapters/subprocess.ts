// `--exec "<command>"`: an implementation in any language, run as a child process that speaks the
// newline-delimited JSON protocol of spec/protocol.md. A crash, hang, malformed or unsolicited line
// fails the case at hand only: the child is killed if the stream is out of step, and restarted (with
// a fresh handshake) for the next case. Only a failure to start at all escapes, as
// ImplementationStartupError.
import { existsSync } from 'node:fs';
import type { OpName } from '../../spec/types/protocol';
import type { CaseReply, CaseRequest, Implementation } from '../implementation';
import type { ChildSession } from './child-session';
import { ImplementationError, ImplementationStartupError } from './implementation-error';
import { writeBack } from '../mutations';
import { PROTOCOL_VERSION, checkRunReply, encodeBye, encodeRun, parseMessage, quote } from './protocol-messages';
import { describeExit, startSession, stderrSuffix, type Settings, type SubprocessOptions } from './subprocess-start';

export { ImplementationError, ImplementationStartupError } from './implementation-error';
export type { ImplementationErrorKind } from './implementation-error';

export type { SubprocessOptions } from './subprocess-start';

export interface SubprocessImplementation extends Implementation {
  /** From the handshake's `implementation`. */
  readonly name: string;
  readonly ops: readonly OpName[];
  /** Case dtypes from the handshake; a case of another dtype fails with kind 'unsupported' without being sent. */
  readonly dtypes: readonly ('float64' | 'float32')[];
  readonly command: string;
  /** How many times the child was restarted after a crash, hang or protocol error. */
  readonly restarts: number;
  /** The current child's pid (undefined between a failure and the next start). */
  readonly pid: number | undefined;
  close(): Promise<void>;
}

export const DEFAULT_MAX_REPLY_BYTES = 64 * 1024 * 1024;
/** Consecutive failed restarts after which later cases fail at once instead of trying again. */
const MAX_FAILED_RESTARTS = 3;
const EXAMPLE = '--exec "python3 examples/python/impl.py"';


/**
 * Starts `command` (through the shell, so `python3 impl.py` works), performs the handshake and
 * returns an Implementation whose ops and dtypes come from it. Throws ImplementationStartupError,
 * a one-sentence message saying what to pass, when no working implementation answers.
 */
export async function createSubprocessImplementation(
  command: string,
  options: SubprocessOptions,
): Promise<SubprocessImplementation> {
  if (!command.trim()) {
    throw new ImplementationStartupError(`--exec needs a command that starts an implementation, e.g. ${EXAMPLE}`, command);
  }
  if (options.cwd !== undefined && !existsSync(options.cwd)) {
    throw new ImplementationStartupError(
      `--exec ${JSON.stringify(command)} cannot start: its working directory ${JSON.stringify(options.cwd)} does not exist`,
      command,
    );
  }
  const settings: Settings = {
    maxReplyBytes: DEFAULT_MAX_REPLY_BYTES,
    startupTimeoutMs: Math.max(options.timeoutMs, 10_000),
    closeTimeoutMs: 2_000,
    stderrLines: 10,
    ...options,
  };
  let started = await startSession(command, settings);
  if (!started.ok && started.declined) {
    // A child written to protocol 1.0 may decline any other hello (1.0's rule m3): greet it in 1.0.
    const retry = await startSession(command, { ...settings, helloVersion: '1.0' });
    if (retry.ok) {
      settings.helloVersion = '1.0';
      started = retry;
    }
  }
  if (!started.ok) {
    throw new ImplementationStartupError(
      `--exec ${JSON.stringify(command)} did not start an implementation: it ${started.reason}${stderrSuffix(started.stderr)}; ` +
        `pass --exec a command that runs a program speaking spec/protocol.md (version ${PROTOCOL_VERSION}), e.g. ${EXAMPLE}`,
      command,
      started.stderr,
    );
  }
  return new SubprocessAdapter(command, settings, started.session, started.hello);
}

class SubprocessAdapter implements SubprocessImplementation {
  readonly name: string;
  /** One run() may restart the child (a handshake) and resend once after a clean exit between cases. */
  readonly runLimitMs: number;
  readonly ops: readonly OpName[];
  readonly dtypes: readonly ('float64' | 'float32')[];
  restarts = 0;
  private session: ChildSession | undefined;
  private failedRestarts = 0;
  private lastReplied: string | undefined;
  private closed = false;
  /** Serialises run() and close(): the protocol has one request in flight. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly command: string,
    private readonly settings: Settings,
    session: ChildSession,
    hello: { implementation: string; ops: OpName[]; dtypes: ('float64' | 'float32')[] },
  ) {
    this.session = session;
    this.name = hello.implementation;
    this.ops = Object.freeze([...hello.ops]);
    this.dtypes = Object.freeze([...hello.dtypes]);
    this.runLimitMs = 2 * (settings.startupTimeoutMs + settings.timeoutMs) + settings.closeTimeoutMs;
  }

  get pid(): number | undefined {
    return this.session?.isAlive ? this.session.pid : undefined;
  }

  run(request: CaseRequest): Promise<CaseReply> {
    const result = this.queue.then(() => this.runOne(request));
    this.queue = result.catch(() => undefined);
    return result;
  }

  close(): Promise<void> {
    const result = this.queue.then(() => this.closeNow());
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async runOne(request: CaseRequest, resent = false): Promise<CaseReply> {
    if (this.closed) throw new ImplementationError('crash', `the implementation was already closed before case ${request.id}`);
    // Anything printed since the previous reply means the child is not in step with us.
    const previous = this.session;
    const unsolicited = previous?.takeUnsolicited() ?? [];
    if (previous && unsolicited.length) {
      const first = unsolicited[0]!;
      const what = first.kind === 'line' ? `the unsolicited line ${quote(first.text)}` : 'an over-long unsolicited line';
      return this.failAndDiscard('protocol', `${this.unsolicitedReason(what, request.id)}, so this case was not sent`, previous);
    }
    const session = await this.liveSession(request.id);
    const answeredBefore = this.lastReplied !== undefined;

    session.send(encodeRun(request));
    const event = await session.next(this.settings.timeoutMs);
    switch (event.kind) {
      case 'timeout':
        return this.failAndDiscard('timeout', `no reply within ${this.settings.timeoutMs} ms`, session);
      case 'exit':
        // A child that exits cleanly after a reply may still have looked alive when this request was
        // written (spec/protocol.md §3: exiting between cases is not an error): send it once more,
        // to a fresh child. A second clean exit is the case's crash.
        if (event.code === 0 && answeredBefore && !resent) {
          await session.killAndWait();
          if (this.session === session) this.session = undefined;
          return this.runOne(request, true);
        }
        return this.failAndDiscard('crash', `the implementation ${describeExit(event)} during the case`, session);
      case 'overflow':
        return this.failAndDiscard(
          'protocol',
          `the reply is larger than the ${this.settings.maxReplyBytes}-byte cap (maxReplyBytes)`,
          session,
        );
      case 'line':
        break;
    }

    const parsed = parseMessage(event.text);
    if (!parsed.ok) return this.failAndDiscard('protocol', `the implementation ${parsed.reason} (stdout is for protocol messages only; log to stderr)`, session);
    const outcome = checkRunReply(parsed.message, request.id);
    switch (outcome.kind) {
      case 'out-of-step':
        // A late extra line of the previous case reads the same whether it came before or after this request.
        if (this.lastReplied !== undefined && parsed.message.id === this.lastReplied) {
          return this.failAndDiscard('protocol', this.unsolicitedReason(`the unsolicited line ${quote(event.text)}`, request.id), session);
        }
        return this.failAndDiscard('protocol', `the implementation ${outcome.reason}`, session);
      case 'malformed':
        this.lastReplied = request.id;
        throw new ImplementationError('protocol', `the implementation ${outcome.reason}`);
      case 'refused':
        this.lastReplied = request.id;
        throw new ImplementationError('refused', `the implementation declined: ${outcome.message}`);
      case 'result':
        this.lastReplied = request.id;
        // The child's own copy as it left it (protocol 1.3 echo), so mutations() sees an in-place write over --exec too.
        if (outcome.echo) writeBack(request, outcome.echo, { overJson: true });
        return outcome.reply;
    }
  }

  /** The running child, restarting it (with a handshake) if the previous one is gone. */
  private async liveSession(caseId: string): Promise<ChildSession> {
    if (this.session?.isAlive) return this.session;
    this.session = undefined; // it exited between cases
    if (this.failedRestarts >= MAX_FAILED_RESTARTS) {
      throw new ImplementationError('crash', `the implementation could not be restarted ${MAX_FAILED_RESTARTS} times in a row; case ${caseId} was not sent`);
    }
    this.restarts++;
    const started = await startSession(this.command, this.settings);
    if (!started.ok) {
      this.failedRestarts++;
      const reason = `the implementation could not be restarted: it ${started.reason}${stderrSuffix(started.stderr)}`;
      throw new ImplementationError('crash', reason, started.stderr);
    }
    this.failedRestarts = 0;
    this.session = started.session;
    this.lastReplied = undefined;
    return started.session;
  }

  private unsolicitedReason(what: string, caseId: string): string {
    const after = this.lastReplied ? `after its reply to ${this.lastReplied}` : 'after the handshake';
    return `the implementation printed ${what} ${after}, before case ${caseId} (one reply line per request; log to stderr)`;
  }

  /** Kills the child (its stream is out of step or it is gone) and returns the error for the case. */
  private async failAndDiscard(kind: ImplementationError['kind'], reason: string, session: ChildSession): Promise<never> {
    await session.killAndWait();
    if (this.session === session) this.session = undefined;
    const stderr = session.stderrTail();
    const restart = kind === 'crash' ? 'it is restarted' : 'the implementation was killed and is restarted';
    throw new ImplementationError(kind, `${reason}; ${restart} for the next case${stderrSuffix(stderr)}`, stderr);
  }

  private async closeNow(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const session = this.session;
    this.session = undefined;
    if (!session) return;
    session.send(encodeBye());
    session.endInput();
    const timer = setTimeout(() => session.kill(), this.settings.closeTimeoutMs);
    await session.exited;
    clearTimeout(timer);
    session.kill(); // anything the shell left running in the group
  }
}

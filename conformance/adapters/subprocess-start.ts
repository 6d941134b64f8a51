// Starting an `--exec` child: spawn it through the shell and perform the handshake (spec/protocol.md
// m1–m3). Used for the first start and for every restart after a case killed the child.
import type { OpName } from '../../spec/types/protocol';
import { ChildSession, type SessionEvent } from './child-session';
import { checkHelloReply, encodeHello, parseMessage, quote } from './protocol-messages';

export interface SubprocessOptions {
  /** Per case: from sending the request to the complete reply. */
  timeoutMs: number;
  /** Working directory of the command (default: the runner's). */
  cwd?: string;
  /**
   * Environment of the command (default: the runner's). PYTHONUNBUFFERED=1 is added unless set, so a
   * Python implementation that forgets to flush still answers instead of timing out.
   */
  env?: NodeJS.ProcessEnv;
  /** Longest reply line accepted, in bytes (default 64 MiB); a longer one fails the case. */
  maxReplyBytes?: number;
  /** Time allowed to start and answer the handshake (default max(timeoutMs, 10 s)). */
  startupTimeoutMs?: number;
  /** Time allowed to exit after `bye` before the child is killed (default 2 s). */
  closeTimeoutMs?: number;
  /** Stderr lines quoted in failure reasons (default 10). */
  stderrLines?: number;
  /** Called with every stderr line of the child, e.g. to echo it in verbose mode. */
  onStderr?: (line: string) => void;
}

export interface Settings extends Required<Omit<SubprocessOptions, 'cwd' | 'env' | 'onStderr'>> {
  /** The version the hello names: the runner's, or 1.0 for a child that declined it. */
  helloVersion?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  onStderr?: (line: string) => void;
}

export type Started =
  | { ok: true; session: ChildSession; hello: { implementation: string; ops: OpName[]; dtypes: ('float64' | 'float32')[] } }
  | { ok: false; reason: string; stderr: string[]; declined?: boolean };

/** Spawns the command and performs the handshake; on failure the child is gone when this returns. */
export async function startSession(command: string, settings: Settings): Promise<Started> {
  const session = new ChildSession(command, {
    cwd: settings.cwd,
    env: { PYTHONUNBUFFERED: '1', ...(settings.env ?? process.env) },
    maxLineBytes: settings.maxReplyBytes,
    stderrLines: settings.stderrLines,
    onStderr: settings.onStderr,
  });
  const fail = async (reason: string, declined = false): Promise<Started> => {
    await session.killAndWait();
    return { ok: false, reason, stderr: session.stderrTail(), declined };
  };
  session.send(encodeHello(settings.helloVersion));
  const event = await session.next(settings.startupTimeoutMs);
  switch (event.kind) {
    case 'timeout':
      return fail(
        `did not answer the handshake within ${settings.startupTimeoutMs} ms (does it read stdin line by line and flush stdout after each reply?)`,
      );
    case 'exit':
      return fail(event.error ? describeExit(event) : `${describeExit(event)} before answering the handshake`);
    case 'overflow':
      return fail(`printed a line of over ${settings.maxReplyBytes} bytes instead of answering the handshake`);
    case 'line': {
      const parsed = parseMessage(event.text);
      if (!parsed.ok) return fail(`${parsed.reason} instead of answering the handshake (stdout is for protocol messages only; log to stderr)`);
      const checked = checkHelloReply(parsed.message);
      if (!checked.ok) return fail(checked.reason, parsed.message.type === 'error' && settings.helloVersion !== '1.0');
      const { implementation, ops, dtypes } = checked.hello;
      return { ok: true, session, hello: { implementation, ops, dtypes } };
    }
  }
}

export function describeExit(event: Extract<SessionEvent, { kind: 'exit' }>): string {
  if (event.error) return `could not be spawned (${event.error})`;
  if (event.signal) return `was killed by ${event.signal}`;
  if (event.code === 127) return 'exited with code 127 (command not found)';
  return `exited with code ${event.code}`;
}

export function stderrSuffix(stderr: readonly string[]): string {
  const lines = stderr.filter((l) => l.trim() !== '');
  if (!lines.length) return '';
  return ` (stderr: ${lines.map((l) => quote(l.trim(), 300)).join(' / ')})`;
}


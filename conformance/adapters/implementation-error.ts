// Errors an adapter throws from run(), classified so the runner can report the case as failed
// (crash, timeout, protocol), refused by the implementation, or not run (unsupported).

export type ImplementationErrorKind =
  /** The implementation exited or could not be (re)started during the case. */
  | 'crash'
  /** No reply within the per-case timeout; the implementation was killed. */
  | 'timeout'
  /** The reply broke the protocol: not JSON, wrong id, schema violation, malformed tensor, too large, unsolicited output. */
  | 'protocol'
  /** The implementation declined the case itself (an `error` reply). */
  | 'refused'
  /** The case needs something the implementation did not declare (e.g. a dtype missing from its handshake). */
  | 'unsupported';

export class ImplementationError extends Error {
  constructor(
    readonly kind: ImplementationErrorKind,
    message: string,
    /** The implementation's last stderr lines, oldest first, when they may explain the failure. */
    readonly stderr: readonly string[] = [],
  ) {
    super(message);
    this.name = 'ImplementationError';
  }
}

/** The implementation could not be started at all: the one error an adapter lets out of the runner. */
export class ImplementationStartupError extends Error {
  constructor(
    message: string,
    readonly command: string,
    readonly stderr: readonly string[] = [],
  ) {
    super(message);
    this.name = 'ImplementationStartupError';
  }
}

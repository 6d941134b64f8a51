// The two ways `gradspec run` stops before running a case, each a one-sentence message: a wrong
// command line (the usage follows it, exit 2) and an implementation that cannot start (exit 2).

/** A wrong command line: one sentence saying what to pass; the usage follows it. */
export class UsageError extends Error {}

/** The implementation could not be started: one sentence, no usage. */
export class StartupError extends Error {}

/** An error's first line, to quote inside one sentence. */
export function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
}

// How `gradspec run` ends early and cleans up: the first SIGINT/SIGTERM stops the run after the case
// in flight (the reports are still written), a second one quits at once; the implementation gets a
// bounded time to close, so a child that ignores its goodbye cannot hold the command open.
import type { Implementation } from '../implementation';
import { firstLine } from './errors';

/** How long close() may take after the run before the command gives up on it. */
export const CLOSE_TIMEOUT_MS = 5_000;

export interface SignalWatch {
  /** Aborted by the first SIGINT/SIGTERM. */
  signal: AbortSignal;
  /** Stops listening. */
  dispose(): void;
}

/** Watches SIGINT/SIGTERM until disposed; a second signal exits the process with `quitStatus`. */
export function stopOnSignals(complain: (text: string) => void, quitStatus: number): SignalWatch {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) process.exit(quitStatus);
    complain(`\ngradspec run: ${signal} received; stopping after the case in flight and writing the reports (again to quit at once)`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    },
  };
}

/** Closes the implementation, giving up (with a warning) after `ms`. Never throws: returns why closing failed (e.g. a
 *  module's late throw), if it did. */
export async function closeWithin(impl: Implementation, ms: number, complain: (text: string) => void): Promise<string | undefined> {
  if (!impl.close) return undefined;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((res) => {
    timer = setTimeout(() => res('late'), ms);
    timer.unref();
  });
  try {
    const outcome = await Promise.race([impl.close().then(() => 'closed' as const), late]);
    if (outcome === 'late') complain(`gradspec run: ${impl.name} did not close within ${ms} ms; leaving it behind`);
  } catch (e) {
    complain(`gradspec run: closing ${impl.name} failed (${firstLine(e)})`);
    return firstLine(e);
  } finally {
    clearTimeout(timer);
  }
  return undefined;
}

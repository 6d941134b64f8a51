// Timing on a shared, noisy machine: many short runs, interleaved between implementations, then the
// median (what the targets use) and the best (what the hardware can do when left alone).

export interface Timing {
  /** Seconds per call. */
  median: number;
  best: number;
  runs: number;
}

/** Median and best of `times` (seconds). */
export function summarize(times: number[]): Timing {
  const sorted = [...times].sort((a, b) => a - b);
  return { median: sorted[sorted.length >> 1] ?? NaN, best: sorted[0] ?? NaN, runs: sorted.length };
}

/** One timed call of a synchronous or asynchronous function, in seconds. */
export async function timeOnce(fn: () => unknown): Promise<number> {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
}

/**
 * Times every entry of `fns` in `rounds` rounds, each round giving each function about
 * `secondsPerRound` of calls (at least one), after one warm-up call each. Interleaving means a burst
 * of load from elsewhere hits all of them alike, so their ratios stay meaningful.
 */
export async function interleaved(fns: Record<string, () => unknown>, rounds: number, secondsPerRound: number): Promise<Record<string, Timing>> {
  const times: Record<string, number[]> = {};
  for (const [name, fn] of Object.entries(fns)) {
    await fn();
    times[name] = [];
  }
  for (let r = 0; r < rounds; r++) {
    for (const [name, fn] of Object.entries(fns)) {
      const start = performance.now();
      do times[name]!.push(await timeOnce(fn));
      while ((performance.now() - start) / 1000 < secondsPerRound);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([name, t]) => [name, summarize(t)]));
}

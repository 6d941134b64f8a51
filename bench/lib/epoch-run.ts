// One training run of src in its own process (bench/src-epoch.ts), as the epoch sections of the
// bench (mlp-epoch.ts, cnn-epoch.ts) measure it, and the row each section prints for it.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

export type DType = 'float64' | 'float32';
/** Generous: a LeNet epoch on a loaded 2-core machine can take many minutes. */
const SRC_TIMEOUT_MS = 1_800_000;
export const verdict = (ok: boolean): string => (ok ? 'MET' : 'NOT MET');
/** Says that `target` was not judged, and `why`; returns false: the bench's last line does not count it as met. */
export function notJudged(target: string, why: string): false {
  console.log(`   target: ${target} → NOT JUDGED: ${why}`);
  return false;
}

export interface EpochRun {
  name: string;
  dtype: DType;
  /** Seconds of training per epoch: the first (cold: JIT, first-touch memory) and the second. */
  first: number;
  second?: number;
  /** CPU seconds of the steady epoch (all threads of the process). */
  cpu?: number;
  testAccuracy: number;
}

/** One src run of `epochs` epochs of `model` in its own process (bench/src-epoch.ts). */
export function srcEpoch(dtype: DType, threads: number, model: 'mlp' | 'lenet' = 'mlp', epochs = 2): EpochRun {
  const script = path.join(__dirname, '..', 'src-epoch.ts');
  const r = spawnSync(process.execPath, [...process.execArgv, script, dtype, String(threads), String(epochs), model], { encoding: 'utf8', timeout: SRC_TIMEOUT_MS });
  if (r.status !== 0) throw new Error(`bench: the src ${dtype} epoch failed (exit ${r.status ?? r.signal}): ${r.stderr.trim()}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { seconds: number[]; cpuSeconds: number[]; testAccuracy: number[]; workers: number };
  if (threads > 1 && out.workers < threads - 1) throw new Error(`bench: the src epoch got ${out.workers} worker threads, wanted ${threads - 1}`);
  const steady = epochs - 1; // the last epoch: the steady one when there are two
  return { name: `src, ${threads} thread${threads > 1 ? 's' : ''}`, dtype, first: out.seconds[0]!, second: out.seconds[1], cpu: out.cpuSeconds[steady], testAccuracy: out.testAccuracy[steady]! };
}

// The flags of the implement-and-rerun loop (--write-expectations, --last-failed, --exclude-feature,
// --watch): their parseArgs options and the settings they make. run-args.ts spreads both in.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { displayPath } from '../loader';
import { didYouMean } from './did-you-mean';
import { UsageError } from './errors';

export const LOOP_OPTIONS = {
  'exclude-feature': { type: 'string', multiple: true },
  'write-expectations': { type: 'string' },
  'last-failed': { type: 'boolean' },
  watch: { type: 'boolean' },
} as const;

export interface LoopSettings {
  excludeFeatures: string[];
  /** Where to write the xfail lines of this run's failures (an absolute path). */
  writeExpectations?: string;
  lastFailed: boolean;
  watch: boolean;
}

interface LoopValues {
  'exclude-feature'?: string[];
  'write-expectations'?: string;
  'last-failed'?: boolean;
  watch?: boolean;
  feature?: string[];
  impl?: string;
  exec?: string;
  list?: boolean;
}

/** The loop flags → settings; throws UsageError. `features` are the known feature names. */
export function parseLoopArgs(values: LoopValues, cwd: string, features: readonly string[]): LoopSettings {
  const excludeFeatures = values['exclude-feature'] ?? [];
  for (const f of excludeFeatures) {
    if (!features.includes(f)) throw new UsageError(unknownFeature('--exclude-feature', f, features));
    if (values.feature?.includes(f)) throw new UsageError(`--feature ${f} and --exclude-feature ${f} select nothing together: pass one of them`);
  }
  const watch = values.watch ?? false;
  if (watch && values.exec === undefined && ['reference', 'tfjs', undefined].includes(values.impl)) {
    throw new UsageError('--watch reruns when your implementation changes: pass it with --impl <path of your module> or --exec "<command>"');
  }
  if (watch && values.list) throw new UsageError('--watch and --list cannot be combined: --list prints the case ids and exits');
  let writeExpectations: string | undefined;
  if (values['write-expectations'] !== undefined) {
    writeExpectations = resolve(cwd, values['write-expectations']);
    // Never overwrite: the file may hold hand-written reasons and comments.
    if (existsSync(writeExpectations)) {
      throw new UsageError(`--write-expectations ${displayPath(writeExpectations)} exists and is not overwritten: remove it or pass a new path`);
    }
  }
  return { excludeFeatures, ...(writeExpectations !== undefined ? { writeExpectations } : {}), lastFailed: values['last-failed'] ?? false, watch };
}

/** "--feature 'flaot32' is not a feature; did you mean --feature float32?" and the list. */
export function unknownFeature(flag: string, typed: string, features: readonly string[]): string {
  const guess = didYouMean(typed, features, (f) => `${flag} ${f}`);
  return `${flag} '${typed}' is not a feature; ${guess ?? `pass one of ${features.join(', ')}`}`;
}

// What --last-failed reruns: the ids of the cases that failed, errored or xpassed, per implementation,
// kept in .gradspec/last-run.json in the folder the command runs in (like pytest's .pytest_cache).
// Every run updates it: the cases it judged are replaced by their new outcome, the others keep theirs.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FAILING } from '../results';
import type { RunResult } from '../runner';

export const LAST_RUN_FILE = join('.gradspec', 'last-run.json');

interface LastRunState {
  version: 1;
  /** implementation label → ids still failing, sorted. */
  failed: Record<string, string[]>;
}

/** The selected cases to run: those that failed in the last runs of `label` here, or all when none of them did. Throws with a sentence when the file is damaged. */
export function selectLastFailed<F extends { id: string }, C extends { id: string }>(
  cwd: string,
  label: string,
  selected: { fixtures: F[]; unloadable: C[] },
): { fixtures: F[]; unloadable: C[]; note: string } {
  const failed = new Set(readState(cwd).failed[label] ?? []);
  const fixtures = selected.fixtures.filter((f) => failed.has(f.id));
  const unloadable = selected.unloadable.filter((c) => failed.has(c.id));
  const all = selected.fixtures.length + selected.unloadable.length;
  const count = fixtures.length + unloadable.length;
  if (count === 0) return { ...selected, note: `no recorded failure of ${label} among the selected cases; running all ${all}` };
  return { fixtures, unloadable, note: `rerunning the ${count} selected case${count === 1 ? '' : 's'} that failed last time (of ${all})` };
}

/** Records the outcome of `run` for `label`; returns a warning when the file cannot be written. */
export function recordRun(cwd: string, label: string, run: RunResult): string | undefined {
  const path = join(cwd, LAST_RUN_FILE);
  let state: LastRunState;
  try {
    state = readState(cwd);
  } catch {
    state = { version: 1, failed: {} }; // a damaged file is replaced (its message was shown by --last-failed)
  }
  const failing = new Set(state.failed[label] ?? []);
  for (const c of run.cases) {
    if (c.status === 'not-run') continue;
    if (FAILING.has(c.status)) failing.add(c.id);
    else failing.delete(c.id);
  }
  state.failed[label] = [...failing].sort();
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, JSON.stringify(state, null, 2) + '\n');
    return undefined;
  } catch (e) {
    return `cannot record the failing cases for --last-failed in ${LAST_RUN_FILE} (${(e as Error).message})`;
  }
}

function readState(cwd: string): LastRunState {
  let text: string;
  try {
    text = readFileSync(join(cwd, LAST_RUN_FILE), 'utf8');
  } catch {
    return { version: 1, failed: {} };
  }
  let state: unknown;
  try {
    state = JSON.parse(text);
  } catch (e) {
    throw new Error(`${LAST_RUN_FILE} is not valid JSON (${(e as Error).message}); delete it and run once without --last-failed`);
  }
  const failed = (state as Partial<LastRunState> | null)?.failed;
  const valid = (state as Partial<LastRunState> | null)?.version === 1 && typeof failed === 'object' && failed !== null &&
    Object.values(failed).every((ids) => Array.isArray(ids) && ids.every((id) => typeof id === 'string'));
  if (!valid) throw new Error(`${LAST_RUN_FILE} is not a gradspec last-run file (version 1, { failed: { <implementation>: [ids] } }); delete it and run once without --last-failed`);
  return state as LastRunState;
}

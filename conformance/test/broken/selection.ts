// What the meta-tests share: the fixtures a broken implementation is judged on (never none, so no
// check passes vacuously) and a sequential run over them.
import type { Implementation } from '../../implementation';
import { loadFixtures, matchesFilter, type FixtureFilter, type LoadedFixture } from '../../loader';
import type { CaseResult } from '../../results';
import { runCase } from '../../run-case';

let all: LoadedFixture[] | undefined;

export type Selection = FixtureFilter & { backward?: boolean; where?: (f: LoadedFixture) => boolean };

/** The fixtures a broken implementation is judged on; throws when none match (no vacuous pass). */
export function select(filter: Selection): LoadedFixture[] {
  // Named ops or ids: read just those files (the loader filters by path); else the whole corpus, once.
  const from = filter.ids?.length || filter.ops?.length ? loadFixtures({ filter }).fixtures : (all ??= loadFixtures().fixtures);
  const chosen = from.filter((f) => matchesFilter(f, filter) && (!filter.backward || f.backward !== undefined) && (!filter.where || filter.where(f)));
  if (chosen.length === 0) throw new Error(`meta-test: no fixture matches ${JSON.stringify(filter)} — the broken implementation would pass vacuously`);
  return chosen;
}

export async function runAll(impl: Implementation, fixtures: LoadedFixture[]): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const f of fixtures) results.push(await runCase(impl, f));
  return results;
}

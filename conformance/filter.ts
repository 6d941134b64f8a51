// Which cases a run selects (--op, --feature, --exclude-feature, --id, --rule): the filter and its test on a loaded
// fixture. The loader applies the op and id parts to paths before it reads a file.
import picomatch from 'picomatch';
import type { Fixture } from '../spec/types/fixture';
import { checksAnyRule } from './rules';

/** All criteria must hold; within a list, any entry may match. */
export interface FixtureFilter {
  ops?: readonly string[];
  /** Every listed feature must be present on the fixture. */
  features?: readonly string[];
  excludeFeatures?: readonly string[]; // none of these may be present (--exclude-feature)
  /** picomatch globs on the id, e.g. 'linear/*' or '**\/random-*'. */
  ids?: readonly string[];
  /** Rules as `op#anchor` (conformance/rules.ts): the case checks one of them. */
  rules?: readonly string[];
}

/** What the filter reads of a loaded fixture (the loader's LoadedFixture has it). */
interface Selectable {
  id: string;
  op: string;
  fixture: Fixture;
}

const matchers = new Map<string, (id: string) => boolean>();

export function globMatcher(glob: string): (id: string) => boolean {
  let m = matchers.get(glob);
  if (!m) matchers.set(glob, (m = picomatch(glob)));
  return m;
}

/** True when a loaded fixture passes the filter (for callers that load once and select many times). */
export function matchesFilter(loaded: Selectable, filter: FixtureFilter): boolean {
  if (filter.ops?.length && !filter.ops.includes(loaded.op)) return false;
  if (filter.ids?.length && !filter.ids.some((g) => globMatcher(g)(loaded.id))) return false;
  if (filter.rules?.length && !checksAnyRule(loaded.fixture, filter.rules)) return false;
  return matchesFeatures(loaded, filter);
}

function matchesFeatures({ fixture }: Selectable, { features = [], excludeFeatures = [] }: FixtureFilter): boolean {
  return features.every((f) => (fixture.features as string[]).includes(f)) && !excludeFeatures.some((f) => (fixture.features as string[]).includes(f));
}


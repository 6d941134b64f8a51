// A fixture file the loader could not use (unreadable, malformed, not a regular file, too large, a
// content_sha256 mismatch) as a case result: an `error` case with the loader's reason, so every
// reporter shows it and the run fails (spec/INTERPRETING.md#3). Left out, a damaged corpus would make
// the reports count fewer cases and look green.
import { relative } from 'node:path';
import { fixtureId, opOfId } from '../spec/format';
import type { FixtureError } from './loader';
import { caseLine, caseMessage } from './messages';
import type { CaseResult } from './results';

/** The page that says what a valid fixture is; a broken file has no rule of its own. */
export const BROKEN_FIXTURE_SPEC = 'spec/INTERPRETING.md#1-what-a-fixture-is';

export function brokenFixtureResult(error: FixtureError, root: string): CaseResult<'error'> {
  const rel = relative(root, error.file).split(/[\\/]/).join('/');
  const id = fixtureId(rel) ?? rel.replace(/\.json$/, '');
  const why = `the fixture file could not be used, so this case was not judged: ${error.message}`;
  return {
    id,
    op: opOfId(id) as CaseResult['op'],
    spec: BROKEN_FIXTURE_SPEC,
    status: 'error',
    durationMs: 0,
    message: caseMessage([caseLine.error(id, why)], BROKEN_FIXTURE_SPEC),
    failures: [],
  };
}

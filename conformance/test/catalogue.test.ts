// The catalogue of classic bugs (examples/buggy/, one per file, issue 13): each fails on the op(s) it
// declares and nowhere else among its cases, a failure cites the rule it declares, and that failure's
// hint states the cause it declares. The reference passes the very same cases (no vacuous pass).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createReferenceImplementation } from '../adapters/reference';
import type { Bug } from '../../examples/buggy/bug';
import { runAll, select } from './broken/selection';

const DIR = join(__dirname, '../../examples/buggy');
/** Files of examples/buggy that are not a catalogued bug. */
const NOT_BUGS = new Set(['bug.ts', 'seed-bugs.ts']);

const CATALOGUE: [string, Bug][] = readdirSync(DIR)
  .filter((f) => f.endsWith('.ts') && !NOT_BUGS.has(f))
  .sort()
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the catalogue is whatever files the folder holds
  .map((f) => [f.replace(/\.ts$/, ''), (require(join(DIR, f)) as { bug: Bug }).bug]);

const reference = createReferenceImplementation();

it('the catalogue holds at least 20 bugs', () => {
  expect(CATALOGUE.length).toBeGreaterThanOrEqual(20);
});

describe.each(CATALOGUE)('%s', (_name, bug) => {
  const fixtures = select(bug.cases);

  it('the reference passes its cases', async () => {
    expect((await runAll(reference, fixtures)).filter((r) => r.status !== 'pass').map((r) => r.message)).toEqual([]);
  });

  it(`fails on ${bug.breaks.join(', ')} only, citing ${bug.rule}${bug.hint ? ' with the declared hint' : ''}`, async () => {
    const failed = (await runAll(bug.make(reference), fixtures)).filter((r) => r.status !== 'pass');
    expect(failed.length).toBeGreaterThan(0);
    for (const r of failed) expect({ id: r.id, status: r.status, op: bug.breaks.includes(r.op) }).toEqual({ id: r.id, status: 'fail', op: true });
    // Each failing tensor cites the rule that defines it (the fixture's `rules`), not the case's headline.
    const citing = failed.flatMap((r) => r.failures.filter((f) => f.rule === bug.rule));
    expect({ rule: bug.rule, cited: failed.flatMap((r) => r.failures.map((f) => f.rule)) }).toEqual({ rule: bug.rule, cited: expect.arrayContaining([bug.rule]) });
    if (bug.hint) expect({ hints: citing.map((f) => f.hint) }).toEqual({ hints: expect.arrayContaining([expect.stringMatching(bug.hint)]) });
  });
});

// The conformance suite against the reference implementation in src/: one test per fixture,
// describe(op) / it(case). A failing case's message is the runner's human-readable report.
import { OP_NAMES } from '../spec/registry';
import { createReferenceImplementation } from './adapters/reference';
import { loadFixtures, type LoadedFixture } from './loader';
import type { CaseResult } from './results';
import { runCase } from './run-case';

const { fixtures, errors } = loadFixtures();
const reference = createReferenceImplementation();

/** An Error whose printed form is the report (no stack: the location is the fixture, not this file). Jest sets the
 * first line apart, so it is a heading; the report follows. */
function caseFailure(result: CaseResult): Error {
  const n = result.failures.length;
  const heading = result.status === 'fail' ? `${result.id}: ${n} check${n === 1 ? '' : 's'} failed` : `${result.id}: ${result.status}`;
  const error = new Error(`${heading}\n${result.message}`);
  error.stack = error.message;
  return error;
}

describe('fixtures', () => {
  it('every fixture validates against spec/fixture.schema.json (and id = path, data length = shape)', () => {
    if (errors.length) throw new Error(`${errors.length} malformed fixture file(s):\n${errors.map((e) => e.message).join('\n')}`);
    expect(fixtures.length).toBeGreaterThan(0);
  });

  it('the reference implements every op of the registry (a case it does not declare would only be "not run")', () => {
    expect(reference.ops).toEqual(OP_NAMES);
  });
});

const byOp = new Map<string, LoadedFixture[]>();
for (const f of fixtures) byOp.set(f.op, [...(byOp.get(f.op) ?? []), f]);

for (const [op, cases] of byOp) {
  describe(op, () => {
    for (const fixture of cases) {
      it(fixture.id.slice(op.length + 1), async () => {
        const result = await runCase(reference, fixture);
        if (result.status !== 'pass') throw caseFailure(result);
      });
    }
  });
}

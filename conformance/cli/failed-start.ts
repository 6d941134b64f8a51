// The run an implementation that could not start leaves behind: every selected case not run, the
// unloadable fixture files as errors, and the startup failure as the run error, so the JSON and JUnit
// reports still say what happened (a CI dashboard reading them shows the failure, not a missing file).
import type { LoadedFixture } from '../loader';
import { caseLine, caseMessage } from '../messages';
import type { CaseResult } from '../results';
import { summarize, type RunResult } from '../runner';

export function failedStartRun(name: string, fixtures: readonly LoadedFixture[], unloadable: readonly CaseResult[], reason: string): RunResult {
  const now = new Date();
  const why = 'the implementation did not start';
  const cases: CaseResult[] = [
    ...unloadable,
    ...fixtures.map((f): CaseResult => ({ id: f.id, op: f.op, spec: f.fixture.spec, status: 'not-run', durationMs: 0, failures: [], message: caseMessage([caseLine.notRun(f.id, why)]), reason: why })),
  ];
  return {
    implementation: { name },
    started: now,
    finished: now,
    durationMs: 0,
    cases,
    summary: summarize(cases),
    interrupted: false,
    unmatchedExpectations: [],
    runError: `the implementation could not start: ${reason}`,
  };
}

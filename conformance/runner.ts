// Runs a list of fixtures against an implementation, one case at a time, and collects the results:
// applies the expectations file (skip / xfail → xfail or xpass), reports cases of ops or dtypes the
// implementation does not declare as not run, stops early on --bail or when the signal aborts.
// The caller owns the implementation (and closes it) and the reporters' output.
import { ExpectationSet, type Expectation } from './expectations';
import type { Implementation } from './implementation';
import type { LoadedFixture } from './loader';
import { caseLine, caseMessage } from './messages';
import { FAILING, type CaseResult, type CaseStatus, type OwnStatus } from './results';
import { runCase } from './run-case';

export interface RunSummary {
  pass: number;
  fail: number;
  error: number;
  /** Declined by the implementation (protocol m6): does not fail the run, but is not judged either. */
  refused: number;
  skip: number;
  xfail: number;
  xpass: number;
  notRun: number;
}

export interface RunResult {
  implementation: { name: string };
  started: Date;
  finished: Date;
  durationMs: number;
  /** In the order run (the fixtures' order). */
  cases: CaseResult[];
  summary: RunSummary;
  /** The abort signal stopped the run; the cases after it are not run. */
  interrupted: boolean;
  /** --bail stopped the run after this case. */
  bailedAfter?: string;
  /** Expectations entries that match no case (stale or mistyped). */
  unmatchedExpectations: Expectation[];
  /**
   * Why the run as a whole failed although no case may say so: it judged no case (everything skipped
   * or not run), or the implementation could not start. Reporters show it; the run does not succeed.
   */
  runError?: string;
}

export interface RunStartInfo {
  implementation: { name: string };
  cases: readonly { id: string; op: string }[];
}

/** What reporters see while the run goes on. */
export interface RunObserver {
  onRunStart?(info: RunStartInfo): void;
  onCaseStart?(fixture: LoadedFixture, index: number, total: number): void;
  onCaseEnd?(result: CaseResult, index: number, total: number): void;
}

/** A reporter: observes the run, then writes (or prints) its report once the run is over. */
export interface Reporter extends RunObserver {
  finish(run: RunResult): void;
}

/** An implementation that can cut a case short. None of the shipped adapters needs it (see abortInFlight). */
export interface AbortableImplementation extends Implementation {
  abort(): void;
}

export interface RunOptions {
  /** Per case; default run-case's DEFAULT_TIMEOUT_MS. */
  timeoutMs?: number;
  expectations?: ExpectationSet;
  /** Stop after the first fail, error or xpass; the rest are not run. */
  bail?: boolean;
  /** Aborting stops the run: the case in flight is abandoned (and aborted when the implementation can), the rest are not run. */
  signal?: AbortSignal;
  observers?: readonly RunObserver[];
  /**
   * Every case id the selection was drawn from (e.g. all fixture files when filters are on): an
   * expectations entry is then unmatched only when it matches none of them, so a filter does not make
   * the entries for other ops look stale. Default: the selected ids.
   */
  knownIds?: Iterable<string>;
  /** Error cases for fixture files that could not be loaded (broken-fixture.ts): reported first, with the rest. */
  unloadable?: readonly CaseResult[];
}

export function emptySummary(): RunSummary {
  return { pass: 0, fail: 0, error: 0, refused: 0, skip: 0, xfail: 0, xpass: 0, notRun: 0 };
}

export function summarize(cases: readonly { status: CaseStatus }[]): RunSummary {
  const summary = emptySummary();
  for (const c of cases) summary[c.status === 'not-run' ? 'notRun' : c.status]++;
  return summary;
}

/** True when the run has no fail, error or xpass, judged at least one case, and has no run error (spec/INTERPRETING.md#3). */
export function runSucceeded(run: RunResult): boolean {
  return run.runError === undefined && run.cases.every((c) => !FAILING.has(c.status));
}

/** Statuses of a case the implementation was asked about and the comparator (or the expectations file) judged. */
const JUDGED: ReadonlySet<CaseStatus> = new Set(['pass', 'fail', 'error', 'xfail', 'xpass']);

/** The run error for a run that judged nothing (every case skipped, refused or not run); undefined otherwise. */
export function nothingJudged(cases: readonly CaseResult[]): string | undefined {
  if (cases.some((c) => JUDGED.has(c.status))) return undefined;
  const s = summarize(cases);
  const parts = [s.refused && `${s.refused} refused`, s.skip && `${s.skip} skip`, s.notRun && `${s.notRun} not run`].filter(Boolean).join(', ');
  return `no case was judged (${cases.length} selected: ${parts || 'none'}); a run that checks nothing is not a success: check the module's ops and dtypes, the filters and the expectations file`;
}

export async function runFixtures(impl: Implementation, fixtures: readonly LoadedFixture[], options: RunOptions = {}): Promise<RunResult> {
  const started = new Date();
  const t0 = performance.now();
  const expectations = options.expectations ?? ExpectationSet.empty();
  const observers = options.observers ?? [];
  const signal = options.signal;
  const unloadable = options.unloadable ?? [];
  const total = unloadable.length + fixtures.length;
  const cases: CaseResult[] = [];
  let bailedAfter: string | undefined;
  let interrupted = false;

  const info: RunStartInfo = { implementation: { name: impl.name }, cases: [...unloadable, ...fixtures].map((f) => ({ id: f.id, op: f.op })) };
  for (const o of observers) o.onRunStart?.(info);

  for (const [index, result] of unloadable.entries()) {
    cases.push(result);
    for (const o of observers) o.onCaseEnd?.(result, index, total);
  }

  for (let index = unloadable.length; index < total; index++) {
    const loaded = fixtures[index - unloadable.length]!;
    for (const o of observers) o.onCaseStart?.(loaded, index, total);
    let result: CaseResult;
    if (signal?.aborted) {
      interrupted = true;
      result = notRun(loaded, INTERRUPTED_BEFORE);
    } else if (bailedAfter !== undefined) {
      result = notRun(loaded, `the run stopped after the first failing case, ${bailedAfter} (bail)`);
    } else {
      result = await judge(impl, loaded, expectations, options);
      if (FAILING.has(result.status) && options.bail) bailedAfter = loaded.id;
    }
    if (result.reason === INTERRUPTED_WHILE_RUNNING) interrupted = true;
    cases.push(result);
    for (const o of observers) o.onCaseEnd?.(result, index, total);
  }

  const known = new Set(options.knownIds ?? []);
  for (const f of fixtures) known.add(f.id);
  const finished = new Date();
  const runError = interrupted ? undefined : nothingJudged(cases);
  return {
    implementation: { name: impl.name },
    started,
    finished,
    durationMs: performance.now() - t0,
    cases,
    summary: summarize(cases),
    interrupted,
    ...(bailedAfter !== undefined ? { bailedAfter } : {}),
    unmatchedExpectations: expectations.unmatched(known),
    ...(runError !== undefined ? { runError } : {}),
  };
}

/** One case: expectations, then the implementation (run-case reports an unsupported op or dtype as not run) (raced with the abort signal). */
async function judge(impl: Implementation, loaded: LoadedFixture, expectations: ExpectationSet, options: RunOptions): Promise<CaseResult> {
  const entry = expectations.lookup(loaded.id);
  if (entry?.kind === 'skip') {
    return { ...base(loaded), status: 'skip', message: caseMessage([caseLine.skip(loaded.id, entry.reason, entry.source)]), reason: entry.reason, expectation: entry.source };
  }
  const outcome = await raceAbort(runCase(impl, loaded, { timeoutMs: options.timeoutMs }), options.signal);
  if (outcome === ABORTED) {
    abortInFlight(impl);
    return notRun(loaded, INTERRUPTED_WHILE_RUNNING);
  }
  return applyExpectation(outcome, entry);
}

/** xfail turns a fail or error into xfail, and a pass into xpass (which fails the run). */
function applyExpectation(result: CaseResult<OwnStatus>, entry: Expectation | undefined): CaseResult {
  if (!entry || entry.kind !== 'xfail') return result;
  const marked = { reason: entry.reason, expectation: entry.source };
  if (result.status === 'pass') {
    return {
      ...result,
      ...marked,
      status: 'xpass',
      message: caseMessage([caseLine.xpass(result.id, entry.reason, entry.source)], result.spec),
    };
  }
  if (result.status === 'fail' || result.status === 'error') {
    return { ...result, ...marked, status: 'xfail', message: caseMessage([caseLine.xfail(result.id, entry.reason, result.status), result.message]) };
  }
  return result;
}

function base(loaded: LoadedFixture): Pick<CaseResult, 'id' | 'op' | 'spec' | 'durationMs' | 'failures'> {
  return { id: loaded.id, op: loaded.op, spec: loaded.fixture.spec, durationMs: 0, failures: [] };
}

function notRun(loaded: LoadedFixture, reason: string): CaseResult {
  return { ...base(loaded), status: 'not-run', message: caseMessage([caseLine.notRun(loaded.id, reason)]), reason };
}

const ABORTED = Symbol('aborted');
const INTERRUPTED_BEFORE = 'the run was interrupted before this case';
const INTERRUPTED_WHILE_RUNNING = 'the run was interrupted while this case was running';

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T | typeof ABORTED> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.resolve(ABORTED);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => resolve(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/**
 * Cuts the abandoned case short when the implementation can. A subprocess child needs nothing here on
 * SIGINT/SIGTERM: the adapter kills its process group on those signals itself.
 */
function abortInFlight(impl: Implementation): void {
  const abortable = impl as Partial<AbortableImplementation>;
  if (typeof abortable.abort === 'function') {
    try {
      abortable.abort();
    } catch {
      // The run is over either way; closing the implementation comes next.
    }
  }
}

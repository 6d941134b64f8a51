// The JSON report: the run's metadata, a summary by status, and every case with its structured
// failures (spec/INTERPRETING.md#3). Non-finite numbers are written as the strings "NaN",
// "Infinity", "-Infinity", as in fixtures.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PROTOCOL_VERSION } from '../adapters/protocol-messages';
import type { CaseStatus, TensorFailure } from '../results';
import { runSucceeded, type Reporter, type RunResult, type RunSummary } from '../runner';

export const DEFAULT_JSON_PATH = 'reports/gradspec.json';

export interface JsonReport {
  gradspec: { version: string; protocol: string };
  implementation: { name: string };
  started: string;
  finished: string;
  durationMs: number;
  /** Counts over every case of the run, also when `cases` holds only the non-passing ones. */
  summary: RunSummary;
  interrupted: boolean;
  bailedAfter: string | null;
  /** False for any fail, error or xpass case, or a run error: what the exit status says. */
  succeeded: boolean;
  /** Why the run as a whole failed when no case says so (nothing judged, the implementation did not start); null otherwise. */
  runError: string | null;
  /** True when `cases` leaves out the passing cases (--save-only-failed). */
  onlyFailed: boolean;
  cases: JsonCase[];
  expectations: { unmatched: { kind: string; glob: string; reason: string; source: string }[] };
}

export interface JsonCase {
  id: string;
  op: string;
  spec: string;
  status: CaseStatus;
  durationMs: number;
  message: string;
  failures: TensorFailure[];
  /** For refused, skip, xfail, xpass and not-run. */
  reason: string | null;
  /** The expectations entry applied (file:line). */
  expectation: string | null;
}

let version: string | undefined;

export function gradspecVersion(): string {
  if (version === undefined) {
    try {
      version = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      version = 'unknown';
    }
  }
  return version;
}

export function buildJsonReport(run: RunResult, options: { onlyFailed?: boolean } = {}): JsonReport {
  const onlyFailed = options.onlyFailed ?? false;
  return {
    gradspec: { version: gradspecVersion(), protocol: PROTOCOL_VERSION },
    implementation: { name: run.implementation.name },
    started: run.started.toISOString(),
    finished: run.finished.toISOString(),
    durationMs: round(run.durationMs),
    summary: run.summary,
    interrupted: run.interrupted,
    bailedAfter: run.bailedAfter ?? null,
    succeeded: !run.interrupted && runSucceeded(run),
    runError: run.runError ?? null,
    onlyFailed,
    cases: run.cases
      .filter((c) => !onlyFailed || c.status !== 'pass')
      .map((c) => ({
        id: c.id,
        op: c.op,
        spec: c.spec,
        status: c.status,
        durationMs: round(c.durationMs),
        message: c.message,
        failures: c.failures,
        reason: c.reason ?? null,
        expectation: c.expectation ?? null,
      })),
    expectations: { unmatched: run.unmatchedExpectations.map(({ kind, glob, reason, source }) => ({ kind, glob, reason, source })) },
  };
}

export function serializeJsonReport(report: JsonReport): string {
  return JSON.stringify(report, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? String(value) : value), 2) + '\n';
}

export function createJsonReporter(options: { path: string; onlyFailed?: boolean }): Reporter & { path: string } {
  return {
    path: options.path,
    finish(run) {
      mkdirSync(dirname(options.path), { recursive: true });
      writeFileSync(options.path, serializeJsonReport(buildJsonReport(run, options)));
    },
  };
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

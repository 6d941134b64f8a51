// --write-expectations: the run's known gaps as an expectations file (conformance/expectations.ts),
// so the next run passes until one of them changes. A fail or error case becomes `xfail <id>` with
// the measured error as its reason; a case already xfail keeps the reason it was given, and skip
// entries are carried over. Each entry names one case, never a glob, so a fixed case shows as xpass.
import { writeFileSync } from 'node:fs';
import type { Expectation } from '../expectations';
import type { RunResult } from '../runner';

/** The text of the expectations file for `run`; `carried` are the entries of the --expectations file in use. */
export function expectationsText(run: RunResult, carried: readonly Expectation[], command: string): string {
  const lines = [
    `# Written by \`${command}\` on ${run.finished.toISOString()}.`,
    '# Format: `skip|xfail <id-glob>  # reason`, one entry a line (README, "Validate your own implementation").',
    '# Each xfail names one failing case with the error it had; a case that starts to pass is reported as xpass.',
  ];
  const skips = carried.filter((e) => e.kind === 'skip');
  if (skips.length) lines.push('', '# Carried over from the expectations file of that run:', ...skips.map((e) => `skip ${e.glob}  # ${e.reason}`));
  const gaps = run.cases.filter((c) => c.status === 'fail' || c.status === 'error' || c.status === 'xfail');
  lines.push('', gaps.length ? `# ${gaps.length} failing case${gaps.length === 1 ? '' : 's'}:` : '# No failing case.');
  for (const c of gaps) lines.push(`xfail ${escapeGlob(c.id)}  # ${(c.status === 'xfail' && c.reason) || measuredError(c.id, c.message)}`);
  return lines.join('\n') + '\n';
}

/** Writes the file (the caller made sure it did not exist when the command started). Throws with the system's message. */
export function writeExpectationsFile(path: string, run: RunResult, carried: readonly Expectation[], command: string): void {
  writeFileSync(path, expectationsText(run, carried, command));
}

/** The first line of a case message without the id it starts with: '[backward] dx[0] = 1, expected 0 (…)'. */
function measuredError(id: string, message: string): string {
  const first = (message.split('\n')[0] ?? '').trim();
  return (first.startsWith(`${id} `) ? first.slice(id.length + 1).trim() : first) || 'failed';
}

/** A case id as a glob matching only itself (ids are kebab-case; this guards a fixture folder with odd names). */
function escapeGlob(id: string): string {
  return id.replace(/[*?[\]{}()!+@\\]/g, (ch) => `\\${ch}`);
}

// Writes the JSON / JUnit reports once the run is over. A report that cannot be written is named on
// stderr and left out of the `report:` lines (nobody should go looking for a file that is not there);
// the caller fails the run for it.
import { displayPath } from '../loader';
import type { Reporter, RunResult } from '../runner';
import { firstLine } from './errors';
import type { FileReporterName } from './run-args';

export type FileReporter = Reporter & { path: string; name: FileReporterName };

export interface WrittenReports {
  /** Display paths of the reports written, in order. */
  written: string[];
  /** True when at least one report could not be written. */
  failed: boolean;
}

export function writeReports(reporters: readonly FileReporter[], run: RunResult, complain: (text: string) => void): WrittenReports {
  const written: string[] = [];
  let failed = false;
  for (const r of reporters) {
    try {
      r.finish(run);
      written.push(displayPath(r.path));
    } catch (e) {
      failed = true;
      complain(`gradspec run: could not write ${displayPath(r.path)} (${firstLine(e)}); pass --reporter ${r.name}=<a writable path>`);
    }
  }
  return { written, failed };
}

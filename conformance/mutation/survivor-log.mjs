// A Stryker reporter (stryker.config.mjs): appends each surviving or uncovered mutant to
// reports/mutation/survivors.txt as it is found (and every result to results.ndjson), so that work on survivors can start before a
// one-hour run ends (the HTML report is written only at the end).
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { PluginKind, declareValuePlugin } from '@stryker-mutator/api/plugin';

const FILE = 'reports/mutation/survivors.txt';
/** Every result, one JSON line each: a run stopped early still gives a measured sample. */
const ALL = 'reports/mutation/results.ndjson';

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Reporter, 'survivor-log', {
    onMutationTestingPlanReady() {
      mkdirSync(dirname(FILE), { recursive: true });
      writeFileSync(FILE, '');
      writeFileSync(ALL, '');
    },
    onMutantTested(m) {
      appendFileSync(ALL, JSON.stringify({ file: relative(process.cwd(), m.fileName), line: m.location.start.line, column: m.location.start.column, mutator: m.mutatorName, replacement: m.replacement, status: m.status }) + '\n');
      if (m.status !== 'Survived' && m.status !== 'NoCoverage') return;
      const where = `${relative(process.cwd(), m.fileName)}:${m.location.start.line}:${m.location.start.column}`;
      appendFileSync(FILE, `${where} ${m.status} ${m.mutatorName}: ${JSON.stringify(m.replacement)}\n`);
    },
  }),
];

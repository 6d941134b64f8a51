// The conformance tests of conformance.test.ts for mutation testing (`npm run mutation`): one test per
// fixture with the same names, but each fixture is read inside its test. Stryker reruns only the tests
// that cover a mutant, so a run reads a few files instead of all 46 MB (5–10 s per mutant saved).
// Named *.mutation.ts so that `npm test` does not run it; conformance.test.ts stays the suite's own.
import { createReferenceImplementation } from '../adapters/reference';
import { FIXTURES_DIR, listFixtureFiles, loadFixtureFile } from '../loader';
import { runCase } from '../run-case';
import { join } from 'node:path';

const reference = createReferenceImplementation();

const byOp = new Map<string, string[]>();
for (const rel of listFixtureFiles(FIXTURES_DIR)) {
  const [op, file] = rel.split('/');
  byOp.set(op!, [...(byOp.get(op!) ?? []), file!]);
}

for (const [op, files] of byOp) {
  describe(op, () => {
    for (const file of files) {
      it(file.replace(/\.json$/, ''), async () => {
        const result = await runCase(reference, loadFixtureFile(join(FIXTURES_DIR, op, file)));
        if (result.status !== 'pass') throw new Error(`${result.id}: ${result.status}\n${result.message}`);
      });
    }
  });
}

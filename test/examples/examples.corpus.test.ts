// The shipped protocol examples pass every case of the corpus (`npm run test:corpus`); `npm test` runs a case per
// op (protocol-examples.test.ts). A missing python3 or NumPy ends a test early with a printed reason.
import { listFixtureFiles } from '../../spec/format';
import { join } from 'node:path';
import { missingPython, runExec } from './run-exec';

const CASES = listFixtureFiles(join(__dirname, '..', '..', 'fixtures')).length;
const TIMEOUT_MS = 600_000;

test('examples/python/impl.py (standard library only) passes every case', async () => {
  if (missingPython()) return;
  expect(await runExec('python3 examples/python/impl.py', [])).toMatchObject({ pass: CASES, fail: 0, error: 0, notRun: 0 });
}, TIMEOUT_MS);

test('examples/numpy/impl.py passes every case', async () => {
  if (missingPython(true)) return;
  expect(await runExec('python3 examples/numpy/impl.py', [])).toMatchObject({ pass: CASES, fail: 0, error: 0, notRun: 0 });
}, TIMEOUT_MS);

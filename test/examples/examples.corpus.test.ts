// The shipped protocol examples pass every case of the corpus (`npm run test:corpus`); `npm test` runs a case per
// op (protocol-examples.test.ts). A missing python3 or NumPy ends a test early with a printed reason.
import { listFixtureFiles } from '../../spec/format';
import { join } from 'node:path';
import { missingPython, runExec } from './run-exec';

const CASES = listFixtureFiles(join(__dirname, '..', '..', 'fixtures')).length;
const TIMEOUT_MS = 600_000;

test('examples/python/impl.py (standard library only) passes every case', () => {
  if (missingPython()) return;
  expect(runExec('python3 examples/python/impl.py', [], TIMEOUT_MS)).toMatchObject({ pass: CASES, fail: 0, error: 0, notRun: 0 });
}, TIMEOUT_MS);

test('examples/numpy/impl.py passes every case', () => {
  if (missingPython(true)) return;
  expect(runExec('python3 examples/numpy/impl.py', [], TIMEOUT_MS)).toMatchObject({ pass: CASES, fail: 0, error: 0, notRun: 0 });
}, TIMEOUT_MS);

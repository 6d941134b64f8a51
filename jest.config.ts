/** @jest-config-loader esbuild-register */
import type { Config } from 'jest';

const config: Config = {
  testEnvironment: 'node',
  // esbuild strips the types (tools/jest/esbuild-transform.mjs): type errors are `npm run typecheck`'s job.
  transform: { '^.+\\.ts$': '<rootDir>/tools/jest/esbuild-transform.mjs' },
  testMatch: ['<rootDir>/**/*.test.ts'],
  // The slow tier, `npm run test:corpus` (CI runs it too): *.corpus.test.ts run the shipped implementations over
  // the whole corpus; *.slow.test.ts drive a real browser or the fixture generator (ONNX Runtime) in child processes.
  // reports/ holds Stryker's sandboxes (copies of the repo) when a mutation run is stopped early.
  testPathIgnorePatterns: ['/node_modules/', '\\.(corpus|slow)\\.test\\.ts$', '<rootDir>/reports/'],
  reporters: ['default', '<rootDir>/tools/jest/summary-reporter.js'],
  // One worker per core. A third worker on two cores was faster on a quiet machine (41 s against 47 s) but, with a
  // CPU burner beside it, took 106 s and 2.4× the CPU against 66 s: oversubscribed, the threads waiting on each
  // other (worker pools, children) lose more than the overlap gains. On a busy machine the wall time follows the
  // CPU the suite needs (75–95 CPU-s from a cold cache, README), so that is the number to cut.
  maxWorkers: '100%',
  // A worker with a large heap can take over jest's default 500 ms to exit on a busy machine; it is then
  // force-killed with a "failed to exit gracefully" warning although nothing leaked. A real leak still
  // shows: the worker is force-killed after this.
  workerGracefulExitTimeout: 10_000,
};

export default config;

/** @jest-config-loader esbuild-register */
import type { Config } from 'jest';

const config: Config = {
  testEnvironment: 'node',
  // Transpile only: type errors are caught by `npm run typecheck`, which keeps the suite fast.
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testMatch: ['<rootDir>/**/*.test.ts'],
  // *.corpus.test.ts run the shipped implementations over the whole corpus: `npm run test:corpus` (CI runs it too).
  // reports/ holds Stryker's sandboxes (copies of the repo) when a mutation run is stopped early.
  testPathIgnorePatterns: ['/node_modules/', '\\.corpus\\.test\\.ts$', '<rootDir>/reports/'],
  reporters: ['default', '<rootDir>/tools/jest/summary-reporter.js'],
  // Many suites wait on child processes (the CLI, the subprocess adapter): one worker per core overlaps them.
  maxWorkers: '100%',
  // A worker with a large heap can take over jest's default 500 ms to exit on a busy machine; it is then
  // force-killed with a "failed to exit gracefully" warning although nothing leaked. A real leak still
  // shows: the worker is force-killed after this.
  workerGracefulExitTimeout: 10_000,
};

export default config;

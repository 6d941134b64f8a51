/** @jest-config-loader esbuild-register */
// `npm run test:corpus`: the slow tier. The tests that drive a real browser or the fixture generator (*.slow.test.ts:
// ~8 CPU-s, a tenth of `npm test`'s, moved here to keep it under a minute on a busy 2-core machine), and the shipped
// implementations (the Python and NumPy examples, tfjs, the
// reference computing in float32) against the whole corpus; `npm test` runs samples of the same checks.
import type { Config } from 'jest';
import base from './jest.config';

const config: Config = {
  ...base,
  testMatch: ['<rootDir>/**/*.corpus.test.ts', '<rootDir>/**/*.slow.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/reports/'],
};

export default config;

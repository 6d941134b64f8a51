/** @jest-config-loader esbuild-register */
// `npm run test:corpus`: the slow tier. The shipped implementations (the Python and NumPy examples, tfjs, the
// reference computing in float32) against the whole corpus; `npm test` runs samples of the same checks.
import type { Config } from 'jest';
import base from './jest.config';

const config: Config = {
  ...base,
  testMatch: ['<rootDir>/**/*.corpus.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/reports/'],
};

export default config;

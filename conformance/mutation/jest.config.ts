/** @jest-config-loader esbuild-register */
// Jest for `npm run mutation` (stryker.config.mjs): only the reference against the fixtures, in band.
import type { Config } from 'jest';

const config: Config = {
  rootDir: '../..',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testMatch: ['<rootDir>/conformance/mutation/reference.mutation.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
};

export default config;

// Mutation testing of the fixture corpus (`npm run mutation`): Stryker changes one thing in the
// reference's math (src/ops, layers, losses, optim) and the conformance tests must fail. Survivors are
// handled in docs/mutation.md.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  jest: { configFile: 'conformance/mutation/jest.config.ts', enableFindRelatedTests: false },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.mutation.json',
  mutate: ['src/ops/**/*.ts', 'src/layers/**/*.ts', 'src/losses/**/*.ts', 'src/optim/**/*.ts'],
  plugins: ['@stryker-mutator/*', './conformance/mutation/ignore-argument-checks.mjs', './conformance/mutation/survivor-log.mjs'],
  ignorers: ['argument-checks'],
  // A static mutant (module-level code) reruns every case; the few here are constants the cases use anyway.
  ignoreStatic: true,
  coverageAnalysis: 'perTest',
  // The machine has 2 cores: one TypeScript checker and one jest runner, then two runners once every mutant is checked.
  concurrency: 2,
  timeoutMS: 10_000,
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  reporters: ['html', 'json', 'clear-text', 'progress', 'survivor-log'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: 'reports/.stryker-tmp',
  cleanTempDir: 'always',
};

// Jest's TypeScript transform: esbuild strips the types, file by file (tsconfig's isolatedModules keeps
// that safe; `npm run typecheck` checks the types). ts-jest's ts.transpileModule took about 12 CPU-s of a
// run from a cold cache, which is how CI starts; esbuild takes a few. It is here anyway: tsx runs on it.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { transformSync, version } from 'esbuild';

const OPTIONS = {
  loader: 'ts',
  format: 'cjs',
  target: 'node20',
  sourcemap: true, // a failing test's stack points at its .ts lines
  // Class fields as tsc emits them for tsconfig's target ES2022 (the transform API does not read tsconfig.json).
  tsconfigRaw: { compilerOptions: { useDefineForClassFields: true } },
};
// A change to this file or to esbuild invalidates jest's cache of transformed files.
const SELF = readFileSync(new URL(import.meta.url));

export default {
  process(sourceText, sourcePath) {
    const { code, map } = transformSync(sourceText, { ...OPTIONS, sourcefile: sourcePath });
    return { code, map };
  },
  getCacheKey(sourceText, sourcePath) {
    return createHash('sha256').update(version).update(SELF).update(sourcePath).update(sourceText).digest('hex');
  },
};

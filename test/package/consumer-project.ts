// The files of the empty project that installs the packed tarball (consumer.test.ts): its
// package.json, its lock (consumer-lock.ts) and a TypeScript adapter that imports gradspec's types.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { consumerLock } from './consumer-lock';

/** A relu implementation typed only through `import type … from 'gradspec'`; it passes every relu case. */
export const ADAPTER = `import type { CaseReply, CaseRequest, Implementation } from 'gradspec';

function relu(request: CaseRequest): CaseReply {
  const x = request.inputs['x'];
  if (x === undefined) throw new Error('relu: no input x');
  const y = x.data.slice();
  for (let i = 0; i < y.length; i++) y[i] = Math.max(0, y[i]!);
  const reply: CaseReply = { forward: { y: { dtype: x.dtype, shape: x.shape, data: y } } };
  const seed = request.grad_output?.['y'];
  if (seed !== undefined) {
    const dx = seed.data.slice();
    for (let i = 0; i < dx.length; i++) dx[i] = x.data[i]! > 0 ? dx[i]! : 0;
    reply.grad_inputs = { x: { dtype: x.dtype, shape: x.shape, data: dx } };
    reply.grad_params = {};
  }
  return reply;
}

export function createImplementation(): Implementation {
  return { name: 'consumer relu', ops: ['relu'], run: async (request) => relu(request) };
}

// @ts-expect-error the types are real, not any: run must return a Promise<CaseReply>
export const wrong: Implementation = { name: 'wrong', run: async () => 42 };
`;

/** Strict, the repository's own noUncheckedIndexedAccess, no @types: only what the package ships. */
function tsconfig(moduleResolution: 'nodenext' | 'node10'): object {
  const module = moduleResolution === 'nodenext' ? 'nodenext' : 'commonjs';
  return {
    compilerOptions: { strict: true, noUncheckedIndexedAccess: true, noEmit: true, target: 'ES2022', lib: ['ES2022'], types: [], module, moduleResolution },
    files: ['relu-adapter.ts'],
  };
}

/** Writes the project into `dir`, which already holds `tarball` one level up or beside it (a relative path). */
export function writeConsumerProject(dir: string, repoRoot: string, tarball: string): void {
  const write = (name: string, value: object | string) =>
    writeFileSync(path.join(dir, name), typeof value === 'string' ? value : `${JSON.stringify(value, null, 2)}\n`);
  write('package.json', { name: 'consumer', version: '1.0.0', private: true, devDependencies: { gradspec: `file:${tarball}` } });
  write('package-lock.json', consumerLock(repoRoot, tarball));
  write('relu-adapter.ts', ADAPTER);
  write('tsconfig.json', tsconfig('nodenext'));
  write('tsconfig.node10.json', tsconfig('node10'));
}

// --impl <path>: a JS/TS module exporting createImplementation() (or a default export doing the
// same), loaded (inside the worker thread of worker-implementation.ts) through require (tsx compiles TypeScript) and, for an ES module, through import().
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Implementation } from '../implementation';
import { checkDeclaredOps } from './declared-ops';
import { firstLine, StartupError } from './errors';

const WHAT_TO_EXPORT =
  'export createImplementation(): Implementation | Promise<Implementation> (or make it the default export), with Implementation as in conformance/implementation.ts';

export async function loadModuleImplementation(spec: string, cwd: string): Promise<Implementation> {
  const file = resolve(cwd, spec);
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new StartupError(`--impl ${spec}: no such file (${file}); pass --impl reference, --impl tfjs, or the path of a JS/TS module that exports createImplementation() (see conformance/implementation.ts)`);
  }
  let mod: unknown;
  try {
    mod = createRequire(__filename)(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ERR_REQUIRE_ESM') {
      throw new StartupError(`--impl ${spec} could not be loaded (${firstLine(e)}); the module must load on its own and ${WHAT_TO_EXPORT}`);
    }
    try {
      mod = await import(pathToFileURL(file).href);
    } catch (e2) {
      throw new StartupError(`--impl ${spec} could not be loaded (${firstLine(e2)}); the module must load on its own and ${WHAT_TO_EXPORT}`);
    }
  }
  const factory = pickFactory(mod);
  if (!factory) throw new StartupError(`--impl ${spec} does not export createImplementation; ${WHAT_TO_EXPORT}`);
  let impl: unknown;
  try {
    impl = await factory();
  } catch (e) {
    throw new StartupError(`--impl ${spec}: createImplementation() threw (${firstLine(e)}); it must return an Implementation`);
  }
  const candidate = impl as Partial<Implementation> | null;
  if (candidate === null || typeof candidate !== 'object' || typeof candidate.run !== 'function') {
    throw new StartupError(`--impl ${spec}: createImplementation() returned ${describe(impl)}, not an Implementation; return an object with a name and a run(request) method (conformance/implementation.ts)`);
  }
  checkDeclaredOps(candidate.ops, `--impl ${spec}`);
  if (typeof candidate.name !== 'string' || candidate.name === '') {
    return Object.assign(Object.create(candidate) as Implementation, { name: basename(file) });
  }
  return candidate as Implementation;
}

type Factory = () => unknown;

function pickFactory(mod: unknown): Factory | undefined {
  const m = mod as { createImplementation?: unknown; default?: unknown } | null;
  if (!m || (typeof m !== 'object' && typeof m !== 'function')) return undefined;
  if (typeof m.createImplementation === 'function') return m.createImplementation as Factory;
  if (typeof m.default === 'function') return m.default as Factory;
  const inner = m.default as { createImplementation?: unknown; default?: unknown } | undefined;
  if (inner && typeof inner.createImplementation === 'function') return inner.createImplementation as Factory;
  if (inner && typeof inner.default === 'function') return inner.default as Factory;
  return undefined;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object without a run() method' : typeof v;
}

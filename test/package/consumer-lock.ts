// A package-lock.json for an empty project that installs the packed gradspec tarball, built from this
// repository's own lock: the tarball's runtime dependencies with the versions, `resolved` URLs and
// integrity hashes `npm ci` already put in the local npm cache. With it, `npm ci --offline` needs no
// registry metadata (a plain `npm install --offline <tarball>` would ask the registry for ajv's
// packument, which the cache does not hold).
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  [key: string]: unknown;
}

interface Lock {
  packages: Record<string, LockEntry>;
}

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  [key: string]: unknown;
}

/** Where `name` resolves from the package at `from` (a lock path): the nearest node_modules up the tree. */
function resolveIn(lock: Lock, from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = dir === '' ? `node_modules/${name}` : `${dir}/node_modules/${name}`;
    if (lock.packages[candidate] !== undefined) return candidate;
    if (dir === '') return undefined;
    const cut = dir.lastIndexOf('/node_modules/');
    dir = cut < 0 ? '' : dir.slice(0, cut);
  }
}

/** The lock entries reachable from the root's `dependencies` (not devDependencies), by lock path. */
function runtimeClosure(lock: Lock, roots: string[]): Map<string, LockEntry> {
  const out = new Map<string, LockEntry>();
  const queue: Array<[string, string]> = roots.map((name) => ['', name]);
  for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
    const [from, name] = item;
    const at = resolveIn(lock, from, name);
    if (at === undefined || out.has(at)) continue;
    const entry = lock.packages[at]!;
    out.set(at, entry);
    const deps = { ...entry.dependencies, ...entry.optionalDependencies };
    for (const dep of Object.keys(deps)) queue.push([at, dep]);
  }
  return out;
}

const FLAGS = ['dev', 'devOptional', 'peer'];

/** The consumer project's package-lock.json, installing `tarball` (relative to the project) as a devDependency. */
export function consumerLock(repoRoot: string, tarball: string): object {
  const lock = JSON.parse(readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8')) as Lock;
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Manifest;
  const spec = `file:${tarball}`;
  const packages: Record<string, LockEntry> = {
    '': { name: 'consumer', version: '1.0.0', devDependencies: { [manifest.name]: spec } },
    [`node_modules/${manifest.name}`]: {
      version: manifest.version,
      resolved: spec,
      dev: true,
      license: manifest.license,
      dependencies: manifest.dependencies,
      bin: manifest.bin,
      engines: manifest.engines,
      peerDependencies: manifest.peerDependencies,
      peerDependenciesMeta: manifest.peerDependenciesMeta,
    },
  };
  for (const [at, entry] of runtimeClosure(lock, Object.keys(manifest.dependencies ?? {}))) {
    const copy: LockEntry = { ...entry };
    for (const flag of FLAGS) delete copy[flag];
    packages[at] = { ...copy, dev: true };
  }
  return { name: 'consumer', version: '1.0.0', lockfileVersion: 3, requires: true, packages };
}

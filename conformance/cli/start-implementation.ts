// The implementation named on the command line: --exec (a child process speaking
// spec/protocol.md), --impl reference, --impl tfjs (both in-process), or --impl <path> (a module run in
// a worker thread: worker-implementation.ts, module-worker.ts, module-adapter.ts).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { createSubprocessImplementation, ImplementationStartupError } from '../adapters/subprocess';
import type * as TfjsAdapter from '../adapters/tfjs';
import type * as ReferenceAdapter from '../adapters/reference';
import type { Implementation } from '../implementation';
import { firstLine, StartupError } from './errors';
import { loadModuleImplementation } from './module-adapter';
import { startWorkerImplementation } from './worker-implementation';
import type { RunSettings } from './run-args';

/** Where the implementation starts, and where its stderr goes with --verbose. */
export interface StartIO {
  cwd: string;
  stderr: { write(text: string): unknown };
}

/** The implementation named by --impl / --exec. Throws StartupError. */
export async function startImplementation(settings: RunSettings, io: StartIO): Promise<Implementation> {
  if (settings.exec !== undefined) {
    try {
      return await createSubprocessImplementation(settings.exec, {
        timeoutMs: settings.timeoutMs,
        cwd: io.cwd,
        ...(settings.verbose ? { onStderr: (line: string) => void io.stderr.write(`[implementation stderr] ${line}\n`) } : {}),
      });
    } catch (e) {
      if (e instanceof ImplementationStartupError) throw new StartupError(e.message);
      throw new StartupError(`--exec ${JSON.stringify(settings.exec)} could not be started: ${(e as Error).message}`);
    }
  }
  if (settings.impl === 'reference') {
    // Loaded only when it is the implementation: src/ is most of what a run would load otherwise.
    // A plain require: tsx's hook (the CLI) and jest (in-process tests) both compile it; import() would bypass tsx.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createReferenceImplementation } = require('../adapters/reference') as typeof ReferenceAdapter;
    return createReferenceImplementation();
  }
  if (settings.impl === 'tfjs') {
    try {
      // Loaded only when asked for (it takes a while), through require so tsx's hook compiles it.
      const { createTfjsImplementation } = createRequire(__filename)('../adapters/tfjs') as typeof TfjsAdapter;
      return await createTfjsImplementation();
    } catch (e) {
      if (isMissingTfjs(e)) throw new StartupError(`--impl tfjs needs TensorFlow.js, an optional peer dependency of gradspec that is not installed; run: ${TFJS_INSTALL}`);
      throw new StartupError(`--impl tfjs could not start TensorFlow.js (${firstLine(e)}); to (re)install it: ${TFJS_INSTALL}`);
    }
  }
  // A module path runs in a worker thread (worker-implementation.ts says why).
  if (!existsSync(resolve(io.cwd, settings.impl))) return loadModuleImplementation(settings.impl, io.cwd); // the usual "no such file" sentence
  return startWorkerImplementation({ spec: settings.impl, cwd: io.cwd, timeoutMs: settings.timeoutMs });
}

/** TensorFlow.js is an optional peer dependency (package.json peerDependenciesMeta): the command that adds it. */
export const TFJS_INSTALL = 'npm install -D @tensorflow/tfjs-core@^4.22.0 @tensorflow/tfjs-backend-cpu@^4.22.0';

function isMissingTfjs(e: unknown): boolean {
  const err = e as { code?: unknown; message?: unknown };
  return err.code === 'MODULE_NOT_FOUND' && typeof err.message === 'string' && err.message.includes("'@tensorflow/");
}

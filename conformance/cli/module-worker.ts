// The worker side of --impl <path> (worker-implementation.ts is the runner's side): loads the module
// in this worker thread, then runs each case it is sent and posts the reply, along with the request
// as the module left it, so the runner can still see an in-place write. Anything that goes wrong here
// (a throw, a late throw, process.exit) ends at most this thread; the runner attributes it to a case.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { CaseRequest, Implementation } from '../implementation';
import { StartupError } from './errors';
import { loadModuleImplementation } from './module-adapter';
import type { FromWorker, ToWorker, WorkerStart } from './worker-messages';

async function serve(port: NonNullable<typeof parentPort>, start: WorkerStart): Promise<void> {
  const post = (message: FromWorker): void => port.postMessage(message);
  let impl: Implementation;
  try {
    impl = await loadModuleImplementation(start.spec, start.cwd);
  } catch (e) {
    post({ type: 'startup-error', message: e instanceof StartupError ? e.message : `--impl ${start.spec} could not be loaded (${messageOf(e)})` });
    return;
  }
  post({ type: 'ready', name: impl.name, ...(impl.ops ? { ops: [...impl.ops] } : {}), ...(impl.dtypes ? { dtypes: [...impl.dtypes] } : {}) });
  port.on('message', (message: ToWorker) => {
    if (message.type === 'close') {
      void Promise.resolve()
        .then(() => impl.close?.())
        .catch(() => undefined)
        .then(() => post({ type: 'closed' }));
      return;
    }
    const held = tensorObjects(message.request);
    void runOne(impl, message.request).then(
      (reply) => {
        try {
          const now = tensorObjects(message.request);
          const replaced = [...held].filter(([key, [tensor, data]]) => now.get(key)?.[0] !== tensor || now.get(key)?.[1] !== data).map(([key]) => key);
          post({ type: 'reply', seq: message.seq, reply, request: message.request, replaced });
        } catch (e) {
          post({ type: 'threw', seq: message.seq, message: `its reply cannot be sent to the runner (${messageOf(e)})` });
        }
      },
      (e: unknown) => post({ type: 'threw', seq: message.seq, message: messageOf(e), ...(refused(e) ? { refused: true } : {}) }),
    );
  });
}

async function runOne(impl: Implementation, request: CaseRequest): Promise<unknown> {
  const reply = await impl.run(request);
  // One turn of the event loop before replying: a throw the module scheduled right away (a 0 ms timer,
  // setImmediate) ends this worker while the case is still in flight, so it is that case's error.
  await new Promise((resolve) => setTimeout(resolve, 0));
  await new Promise((resolve) => setImmediate(resolve));
  return reply;
}

/** Each request tensor ('inputs.x') with its object and data array, to tell a swap from an in-place write. */
function tensorObjects(request: CaseRequest): Map<string, [unknown, unknown]> {
  const out = new Map<string, [unknown, unknown]>();
  for (const group of ['inputs', 'params', 'grad_output'] as const) {
    for (const [name, tensor] of Object.entries(request[group] ?? {})) out.set(`${group}.${name}`, [tensor, (tensor as { data?: unknown } | undefined)?.data]);
  }
  return out;
}

function refused(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { kind?: unknown }).kind === 'refused';
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

const start = (workerData as { gradspecModuleWorker?: WorkerStart } | null)?.gradspecModuleWorker;
if (!isMainThread && parentPort && start) void serve(parentPort, start);

// Drives one fixture through an Implementation: builds the request from copies of the fixture's
// tensors, waits for the reply (with a timeout), checks that no request tensor was written to, and
// compares the reply. Never throws: a crash, hang or malformed reply is this case's 'error'.
import { ImplementationError } from './adapters/implementation-error';
import type { CaseReply, CaseRequest, Implementation, Tensor, TensorMap } from './implementation';
import type { LoadedFixture } from './loader';
import { compareReply } from './compare';
import { hintCase, hintFor, withStateVerdict } from './hints';
import { caseLine, caseMessage, failureReport } from './messages';
import { hold, mutations, type HeldRequest } from './mutations';
import type { CaseResult, OwnStatus, TensorFailure, TensorMismatch } from './results';

export interface RunCaseOptions {
  /** Per-case limit for impl.run; default DEFAULT_TIMEOUT_MS. A synchronous hang in-process cannot be interrupted (hence --impl <path> runs in a worker). */
  timeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

/** The request for a fixture, from fresh copies of its tensors (grad_output with backward, optimizer with update). */
export function buildRequest(loaded: LoadedFixture): CaseRequest {
  const f = loaded.fixture;
  const request: CaseRequest = {
    id: loaded.id,
    op: loaded.op,
    dtype: loaded.fixture.dtype,
    attributes: structuredClone(f.attributes),
    inputs: copyMap(loaded.inputs),
    params: copyMap(loaded.params),
  };
  if (loaded.backward) request.grad_output = copyMap(loaded.backward.grad_output);
  if (loaded.update) request.optimizer = { ...loaded.update.optimizer };
  return request;
}

/** Runs one case; 'not-run' when the implementation declares `ops` or `dtypes` without this case's. */
export async function runCase(impl: Implementation, loaded: LoadedFixture, options: RunCaseOptions = {}): Promise<CaseResult<OwnStatus>> {
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const { id } = loaded;
  const spec = loaded.fixture.spec;
  const done = (status: OwnStatus, failures: TensorFailure[], lines: string[]): CaseResult<OwnStatus> => ({
    id,
    op: loaded.op,
    spec,
    status,
    failures,
    // Each failing tensor's line ends with its own rule; the case's headline is for the rest.
    message: caseMessage(lines, failures.length > 0 && failures.every((f) => f.rule) ? undefined : spec),
    durationMs: performance.now() - started,
  });

  const unsupported = unsupportedReason(impl, loaded);
  if (unsupported) return { ...done('not-run', [], [caseLine.notRun(id, unsupported)]), reason: unsupported };

  let request: CaseRequest;
  let held: HeldRequest;
  try {
    request = buildRequest(loaded);
    held = hold(request);
  } catch (e) {
    return done('error', [], [caseLine.error(id, `could not build the request: ${errorMessage(e)}`)]);
  }

  let reply: CaseReply;
  try {
    reply = await withTimeout(Promise.resolve().then(() => impl.run(request)), timeoutMs);
  } catch (e) {
    if (isRefusal(e)) {
      const reason = `${impl.name} declined the case: ${errorMessage(e).replace(/^the implementation declined: /, '')}`;
      return { ...done('refused', [], [caseLine.refused(id, reason)]), reason };
    }
    // An adapter's own classified error (a timeout, a crash) already says what happened.
    const why = e instanceof TimeoutError ? `no reply within ${timeoutMs} ms` : e instanceof ImplementationError ? e.message : `${impl.name} threw: ${errorMessage(e)}`;
    return done('error', [], [caseLine.error(id, why)]);
  }

  const failures: TensorFailure[] = [];
  const failureLines = (): string[] => failures.map((f) => caseLine.failure(id, f));
  try {
    const context = hintCase(loaded);
    const report = (m: TensorMismatch): TensorFailure => failureReport(m, hintFor(m, context));
    failures.push(...mutations(loaded, request, held).map(report));
    if (reply === null || typeof reply !== 'object' || reply.forward === null || typeof reply.forward !== 'object') {
      return done('error', failures, [...failureLines(), caseLine.error(id, "malformed reply: expected an object with a 'forward' map")]);
    }
    const mismatches = compareReply(loaded, reply);
    const stateContext = withStateVerdict(context, loaded, mismatches);
    failures.push(...mismatches.map((m) => failureReport(m, hintFor(m, stateContext))));
  } catch (e) {
    // A reply odd enough to break the comparison (getters that throw, ...) is this case's error, not the run's.
    return done('error', failures, [caseLine.error(id, `could not compare the reply: ${errorMessage(e)}`)]);
  }
  if (failures.length === 0) {
    const stages = ['forward', ...(loaded.backward ? ['backward'] : []), ...(loaded.update ? ['update'] : [])];
    return done('pass', [], [caseLine.passed(id, stages)]);
  }
  return done('fail', failures, failureLines());
}

/** Why `impl` cannot run this case (an op or dtype it does not declare), or undefined. */
function unsupportedReason(impl: Implementation, loaded: LoadedFixture): string | undefined {
  if (impl.ops && !impl.ops.includes(loaded.op)) {
    return `op '${loaded.op}' is not among the ops ${impl.name} supports (${impl.ops.join(', ') || 'none'})`;
  }
  const dtype = loaded.fixture.dtype;
  if (impl.dtypes && !impl.dtypes.includes(dtype)) {
    return `dtype ${dtype} is not among the dtypes ${impl.name} supports (${impl.dtypes.join(', ') || 'none'})`;
  }
  return undefined;
}

function copyTensor(t: Tensor): Tensor {
  return { dtype: t.dtype, shape: [...t.shape], data: t.data.slice() };
}

function copyMap(map: TensorMap): TensorMap {
  const out: TensorMap = {};
  for (const [k, t] of Object.entries(map)) out[k] = copyTensor(t);
  return out;
}

class TimeoutError extends Error {}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  // Not unref'd: an implementation that hangs on a bare promise holds no handle of its own, and node
  // would exit mid-run (status 0, no report) instead of reporting the case as an error.
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError()), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The implementation declined the case (protocol m6's `error` reply; a module throws an error whose
 * `kind` is 'refused', e.g. ImplementationError('refused', …)). Duck-typed: a module's error class is its own.
 */
function isRefusal(e: unknown): boolean {
  return e instanceof ImplementationError ? e.kind === 'refused' : typeof e === 'object' && e !== null && (e as { kind?: unknown }).kind === 'refused';
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

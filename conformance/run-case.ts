// Drives one fixture through an Implementation: builds the request from copies of the fixture's
// tensors, waits for the reply (with a timeout), checks that no request tensor was written to, and
// compares the reply. Never throws: a crash, hang or malformed reply is this case's 'error'.
import type { CaseReply, CaseRequest, Implementation, Tensor, TensorMap } from './implementation';
import type { LoadedFixture } from './loader';
import { compareReply, fmtIndex, fmtPair, unravel, type TensorFailure } from './compare';
import { mutationHint } from './hints';

export type CaseStatus = 'pass' | 'fail' | 'error' | 'not-run';

export interface CaseResult {
  id: string;
  op: LoadedFixture['op'];
  /** spec/ops/<op>.md#<rule> */
  spec: string;
  /** 'not-run' when the implementation declares `ops` or `dtypes` without this case's. */
  status: CaseStatus;
  failures: TensorFailure[];
  /** Human-readable, multi-line: one line per failure (or the error), then `spec: ...`. */
  message: string;
  durationMs: number;
  /** Why a case was not run. */
  reason?: string;
}

export interface RunCaseOptions {
  /** Per-case limit for impl.run; default DEFAULT_TIMEOUT_MS. A synchronous hang cannot be interrupted. */
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

export async function runCase(impl: Implementation, loaded: LoadedFixture, options: RunCaseOptions = {}): Promise<CaseResult> {
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const base = { id: loaded.id, op: loaded.op, spec: loaded.fixture.spec };
  const done = (status: CaseStatus, failures: TensorFailure[], lines: string[]): CaseResult => ({
    ...base,
    status,
    failures,
    message: [...lines, `spec: ${base.spec}`].join('\n'),
    durationMs: performance.now() - started,
  });

  const unsupported = unsupportedReason(impl, loaded);
  if (unsupported) return { ...done('not-run', [], [`${loaded.id} [not run] ${unsupported}`]), reason: unsupported };

  let request: CaseRequest;
  let held: HeldTensors;
  try {
    request = buildRequest(loaded);
    held = hold(request);
  } catch (e) {
    return done('error', [], [`${loaded.id} [error] could not build the request: ${errorMessage(e)}`]);
  }

  let reply: CaseReply;
  try {
    reply = await withTimeout(Promise.resolve().then(() => impl.run(request)), timeoutMs);
  } catch (e) {
    const why = e instanceof TimeoutError ? `no reply within ${timeoutMs} ms` : `${impl.name} threw: ${errorMessage(e)}`;
    return done('error', [], [`${loaded.id} [error] ${why}`]);
  }

  const failures: TensorFailure[] = [];
  try {
    failures.push(...mutations(loaded, request, held));
    if (reply === null || typeof reply !== 'object' || reply.forward === null || typeof reply.forward !== 'object') {
      return done('error', failures, [...failures.map((f) => `${loaded.id} ${f.detail}`), `${loaded.id} [error] malformed reply: expected an object with a 'forward' map`]);
    }
    failures.push(...compareReply(loaded, reply));
  } catch (e) {
    // A reply odd enough to break the comparison (getters that throw, ...) is this case's error, not the run's.
    return done('error', failures, [`${loaded.id} [error] could not compare the reply: ${errorMessage(e)}`]);
  }
  if (failures.length === 0) {
    const stages = ['forward', loaded.backward && 'backward', loaded.update && 'update'].filter(Boolean).join(', ');
    return done('pass', [], [`${loaded.id} passed (${stages})`]);
  }
  return done('fail', failures, failures.map((f) => `${loaded.id} ${f.detail}`));
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

/** What was handed over: each tensor object and its data array, so a swap or a write can be told. */
interface HeldTensors {
  entries: { group: 'inputs' | 'params' | 'grad_output'; name: string; label: string; tensor: Tensor; data: Tensor['data']; shape: number[] }[];
  attributes: string;
  optimizer: string;
}

function hold(request: CaseRequest): HeldTensors {
  const entries: HeldTensors['entries'] = [];
  for (const group of ['inputs', 'params', 'grad_output'] as const) {
    for (const [name, tensor] of Object.entries(request[group] ?? {})) {
      entries.push({ group, name, label: group === 'grad_output' ? `grad_output.${name}` : name, tensor, data: tensor.data, shape: [...tensor.shape] });
    }
  }
  return { entries, attributes: JSON.stringify(request.attributes), optimizer: JSON.stringify(request.optimizer) };
}

/** Bit-exact check of every request tensor against the fixture (a −0 written over 0 counts). */
function mutations(loaded: LoadedFixture, request: CaseRequest, held: HeldTensors): TensorFailure[] {
  const out: TensorFailure[] = [];
  const original: Record<HeldTensors['entries'][number]['group'], TensorMap> = {
    inputs: loaded.inputs,
    params: loaded.params,
    grad_output: loaded.backward?.grad_output ?? {},
  };
  for (const h of held.entries) {
    const label = h.label;
    const source = original[h.group][h.name]!;
    const current = request[h.group]?.[h.name];
    let what: string | undefined;
    if (current !== h.tensor || h.tensor.data !== h.data) what = 'was replaced in the request';
    else if (!sameShape(h.tensor.shape, h.shape)) what = `had its shape changed to [${h.tensor.shape.join(', ')}]`;
    else {
      const changed = changedElements(h.data, source.data);
      if (changed.count) {
        const [now, was] = fmtPair(h.data[changed.first]!, source.data[changed.first]!);
        what = `was written to: ${changed.count}/${h.data.length} elements changed, e.g. ${h.label}${fmtIndex(unravel(changed.first, h.shape))} = ${now}, was ${was}`;
      }
    }
    if (what) {
      const stage = h.group === 'grad_output' ? 'backward' : 'forward';
      const hint = mutationHint(label);
      out.push({ stage, label, name: h.name, kind: 'mutated', detail: `[${stage}] ${label} ${what}; hint: ${hint}`, hint });
    }
  }
  if (JSON.stringify(request.attributes) !== held.attributes) {
    const hint = mutationHint('attributes');
    out.push({ stage: 'forward', label: 'attributes', name: 'attributes', kind: 'mutated', detail: `[forward] attributes were changed; hint: ${hint}`, hint });
  }
  if (JSON.stringify(request.optimizer) !== held.optimizer) {
    const hint = mutationHint('optimizer');
    out.push({ stage: 'update', label: 'optimizer', name: 'optimizer', kind: 'mutated', detail: `[update] optimizer was changed; hint: ${hint}`, hint });
  }
  return out;
}

function changedElements(a: Tensor['data'], b: Tensor['data']): { count: number; first: number } {
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  const width = a.BYTES_PER_ELEMENT;
  let count = 0;
  let first = -1;
  for (let i = 0; i < a.length; i++) {
    for (let k = 0; k < width; k++) {
      if (x[i * width + k] !== y[i * width + k]) {
        count++;
        if (first < 0) first = i;
        break;
      }
    }
  }
  return { count, first };
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

class TimeoutError extends Error {}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError()), ms);
    timer.unref?.();
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

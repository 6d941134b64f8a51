// The subprocess protocol's messages (spec/protocol.schema.json): encoding requests, and parsing
// and validating replies with ajv (strict). Parse functions return a reason string on failure.
import type { ErrorObject } from 'ajv';
import { schemaValidator } from '../schemas';
import type { HelloReply, RunError, RunResult } from '../../spec/types/protocol';
import type { CaseReply, CaseRequest } from '../implementation';
import type { HeldBack } from '../mutations';
import { decodeStateMap, decodeTensor, decodeTensorMap, encodeTensorMap, TensorFormatError } from '../tensor-codec';

/** The version the runner speaks (spec/protocol.md#versioning). */
export const PROTOCOL_VERSION = '1.3';
/**
 * Versions a child may answer with: 1.1 adds only a field a 1.0 child may ignore (the request's dtype);
 * 1.2 adds optimizers a 1.1 child declines as unknown, and the reply's optional state; 1.3 the reply's optional echo.
 */
export const ACCEPTED_VERSIONS: readonly string[] = ['1.0', '1.1', '1.2', '1.3'];

const validateHelloReply = schemaValidator<HelloReply>('protocol', 'HelloReply');
const validateRunResult = schemaValidator<RunResult>('protocol', 'RunResult');
const validateRunError = schemaValidator<RunError>('protocol', 'RunError');

/** `/forward/y/data/3 must be number` — the ajv error with its JSON pointer into the reply. */
function describe(errors: ErrorObject[] | null | undefined): string {
  const e = errors?.[0];
  if (!e) return 'does not match spec/protocol.schema.json';
  let detail = e.message ?? 'is invalid';
  if (e.keyword === 'additionalProperties') detail += ` (${JSON.stringify(e.params.additionalProperty)})`;
  if (e.keyword === 'enum' || e.keyword === 'const') detail += ` ${JSON.stringify(e.params.allowedValues ?? e.params.allowedValue)}`;
  return `${e.instancePath || '(top level)'} ${detail}`;
}

/** At most `max` characters of a line, for quoting it in a reason. */
export function quote(line: string, max = 120): string {
  return JSON.stringify(line.length > max ? `${line.slice(0, max)}…` : line);
}

/** The runner's greeting; `version` is lower only when retrying a child that declined the current one. */
export function encodeHello(version: string = PROTOCOL_VERSION): string {
  return JSON.stringify({ type: 'hello', protocol: version });
}

export function encodeBye(): string {
  return JSON.stringify({ type: 'bye' });
}

export function encodeRun(request: CaseRequest): string {
  const message = {
    type: 'run',
    id: request.id,
    op: request.op,
    dtype: request.dtype,
    attributes: request.attributes,
    inputs: encodeTensorMap(request.inputs),
    params: encodeTensorMap(request.params),
    ...(request.grad_output && { grad_output: encodeTensorMap(request.grad_output) }),
    ...(request.optimizer && { optimizer: request.optimizer }),
  };
  return JSON.stringify(message);
}

/** A line parsed as a JSON object with a string `type`, or the reason it is not one. */
export function parseMessage(line: string): { ok: true; message: Record<string, unknown> & { type: string } } | { ok: false; reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, reason: `printed a line that is not JSON: ${quote(line)}` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, reason: `printed JSON that is not a message object: ${quote(line)}` };
  }
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string') return { ok: false, reason: `printed a message without a string "type": ${quote(line)}` };
  return { ok: true, message: value as Record<string, unknown> & { type: string } };
}

export type HelloOutcome = { ok: true; hello: HelloReply } | { ok: false; reason: string };

/** Checks the answer to hello; a version mismatch is named before any schema error. */
export function checkHelloReply(message: Record<string, unknown> & { type: string }): HelloOutcome {
  if (message.type === 'error') {
    const text = typeof message.message === 'string' ? message.message : JSON.stringify(message);
    return { ok: false, reason: `declined the handshake: ${text}` };
  }
  if (message.type !== 'hello') return { ok: false, reason: `answered hello with a "${message.type}" message` };
  if (typeof message.protocol !== 'string' || !ACCEPTED_VERSIONS.includes(message.protocol)) {
    return {
      ok: false,
      reason: `speaks protocol ${JSON.stringify(message.protocol)} but this runner speaks ${ACCEPTED_VERSIONS.map((v) => `"${v}"`).join(' or ')} (spec/protocol.md)`,
    };
  }
  if (!validateHelloReply(message)) return { ok: false, reason: `sent an invalid hello reply: ${describe(validateHelloReply.errors)}` };
  return { ok: true, hello: message };
}

export type RunOutcome =
  /** `echo` (since 1.3): the request's tensors as the child holds them after computing, when it sends them. */
  | { kind: 'result'; reply: CaseReply; echo?: HeldBack }
  | { kind: 'refused'; message: string }
  /** The reply is well framed and answers this request, but is malformed: the stream is still in step. */
  | { kind: 'malformed'; reason: string }
  /** The reply does not answer this request: the stream can no longer be trusted. */
  | { kind: 'out-of-step'; reason: string };

/** Checks a reply to the run request `id`: type, id, schema, then every tensor's length against its shape. */
export function checkRunReply(message: Record<string, unknown> & { type: string }, id: string): RunOutcome {
  if (message.type !== 'result' && message.type !== 'error') {
    return { kind: 'out-of-step', reason: `answered a run request with a "${message.type}" message` };
  }
  if (message.id !== id) {
    const got = message.id === undefined ? 'no id' : `id ${JSON.stringify(message.id)}`;
    return { kind: 'out-of-step', reason: `sent a reply with ${got} to the request with id ${JSON.stringify(id)}` };
  }
  if (message.type === 'error') {
    if (!validateRunError(message)) return { kind: 'malformed', reason: `sent an invalid error reply: ${describe(validateRunError.errors)}` };
    return { kind: 'refused', message: message.message };
  }
  if (!validateRunResult(message)) return { kind: 'malformed', reason: `sent an invalid result: ${describe(validateRunResult.errors)}` };
  try {
    const reply: CaseReply = { forward: decodeTensorMap(message.forward, 'forward') };
    if (message.grad_inputs) reply.grad_inputs = decodeTensorMap(message.grad_inputs, 'grad_inputs');
    if (message.grad_params) reply.grad_params = decodeTensorMap(message.grad_params, 'grad_params');
    if (message.params) reply.params = decodeTensorMap(message.params, 'params');
    if (message.losses) reply.losses = decodeTensor(message.losses, 'losses');
    if (message.state) reply.state = decodeStateMap(message.state, 'state');
    if (!message.echo) return { kind: 'result', reply };
    const echo: HeldBack = {};
    for (const group of ['inputs', 'params', 'grad_output'] as const) {
      const tensors = message.echo[group];
      if (tensors) echo[group] = decodeTensorMap(tensors, `echo.${group}`);
    }
    return { kind: 'result', reply, echo };
  } catch (err) {
    if (err instanceof TensorFormatError) return { kind: 'malformed', reason: `sent a malformed tensor: ${err.message}` };
    throw err;
  }
}

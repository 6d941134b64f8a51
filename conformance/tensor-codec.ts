// JSON tensors (fixtures and the subprocess protocol: {dtype, shape, data}, non-finite values as
// the strings "NaN" / "Infinity" / "-Infinity") to and from the runner's typed-array Tensor.
import type { Scalar, Tensor as TensorJson } from '../spec/types/fixture';
import { decodeScalar, encodeScalar, formatShape, numel } from '../spec/format';
import type { DType, Tensor, TensorMap } from './implementation';

export { decodeScalar, encodeScalar, formatShape, numel };

export type { TensorJson };
export type TensorJsonMap = Record<string, TensorJson>;

/** A JSON tensor that cannot be decoded; the message starts with where it was found, e.g. `forward.y`. */
export class TensorFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TensorFormatError';
  }
}

const DTYPES: readonly DType[] = ['float64', 'float32', 'int64'];

/** Decodes and checks one tensor; `where` names it in errors (e.g. `grad_inputs.x`). */
export function decodeTensor(json: TensorJson, where = 'tensor'): Tensor {
  const fail = (why: string): never => {
    throw new TensorFormatError(`${where}: ${why}`);
  };
  if (json === null || typeof json !== 'object') fail('is not a {dtype, shape, data} object');
  const { dtype, shape, data } = json;
  if (!DTYPES.includes(dtype)) fail(`dtype ${JSON.stringify(dtype)} is not one of ${DTYPES.join(', ')}`);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    fail(`shape ${JSON.stringify(shape)} is not a list of non-negative integers`);
  }
  if (!Array.isArray(data)) fail('data is not a list');
  const expected = numel(shape);
  if (data.length !== expected) {
    fail(`data has ${data.length} value${data.length === 1 ? '' : 's'} but shape ${formatShape(shape)} needs ${expected}`);
  }
  const out = dtype === 'float32' ? new Float32Array(expected) : new Float64Array(expected);
  for (let i = 0; i < expected; i++) {
    const raw: unknown = data[i];
    const v = decodeScalar(raw);
    if (v === undefined) return fail(`data[${i}] = ${JSON.stringify(raw)} is neither a number nor "NaN", "Infinity", "-Infinity"`);
    if (dtype === 'int64') checkInt64(v, raw, i, fail);
    out[i] = v;
  }
  return { dtype, shape: [...shape], data: out };
}

/**
 * int64 values are held as float64, which is exact only up to 2^53 − 1 in magnitude; JSON.parse has
 * already rounded anything larger, so such a value is refused rather than silently off by one
 * (spec/conventions.md#tensors). Class indices and ignore_index values are far inside the range.
 */
function checkInt64(v: number, raw: unknown, i: number, fail: (why: string) => never): void {
  if (!Number.isInteger(v)) fail(`data[${i}] = ${JSON.stringify(raw)} is not an integer (dtype int64)`);
  if (!Number.isSafeInteger(v)) {
    fail(`data[${i}] = ${JSON.stringify(raw)} is beyond ±(2^53 − 1) = ±${Number.MAX_SAFE_INTEGER}: an int64 value that large is not exact as a JSON number (dtype int64)`);
  }
}

/** Into a map without a prototype, so no name (not even `__proto__`) can reach Object.prototype. */
export function decodeTensorMap(json: TensorJsonMap, where: string): TensorMap {
  const out: TensorMap = Object.create(null) as TensorMap;
  for (const [name, t] of Object.entries(json)) out[name] = decodeTensor(t, `${where}.${name}`);
  return out;
}

/** An optimizer's state (state name → param name → tensor), e.g. `update.state.exp_avg.W`. */
export function decodeStateMap(json: Record<string, TensorJsonMap>, where: string): Record<string, TensorMap> {
  const out: Record<string, TensorMap> = {};
  for (const [kind, map] of Object.entries(json)) out[kind] = decodeTensorMap(map, `${where}.${kind}`);
  return out;
}

/** Encodes a tensor; -0 becomes 0 in JSON (signed zeros compare equal, spec/conventions.md). */
export function encodeTensor(t: Tensor): TensorJson {
  const data: Scalar[] = new Array<Scalar>(t.data.length);
  for (let i = 0; i < t.data.length; i++) data[i] = encodeScalar(t.data[i]!);
  return { dtype: t.dtype, shape: [...t.shape], data };
}

export function encodeTensorMap(map: TensorMap): TensorJsonMap {
  const out: TensorJsonMap = {};
  for (const [name, t] of Object.entries(map)) out[name] = encodeTensor(t);
  return out;
}

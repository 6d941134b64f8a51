// Input checks shared by the ops: each throws an Error naming the op and the shapes or values at
// fault, so bad input never turns into a silent NaN or a wrong-shaped result.
import { allFinite } from './kernels/elementwise';
import { describeValue } from './describe';
import { MAX_TENSOR_SIZE, Tensor, formatIndex, formatShape } from './tensor';

/** Throws unless `value` is a Tensor: `cross_entropy: target must be a Tensor, got [0, 1] (an array)`. */
export function expectTensor(op: string, value: unknown, name: string, hint = ''): asserts value is Tensor {
  if (!(value instanceof Tensor)) throw new Error(`${op}: ${name} must be a Tensor, got ${describeValue(value)}${hint}`);
}

/** Throws unless `t` has `rank` axes, e.g. `matmul: expected 2-D tensors, got (2×3×4)`. */
export function expectRank(op: string, t: Tensor, rank: number, what: string): void {
  if (t.shape.length !== rank) throw new Error(`${op}: expected ${what}, got ${formatShape(t.shape)}`);
}

/** Throws unless `actual` has shape `expected`: `op: target (2×3) does not match logits (2×4)`. */
export function expectShape(op: string, actual: Tensor, actualName: string, expected: readonly number[], expectedName: string): void {
  const a = actual.shape, e = expected;
  if (a.length !== e.length || a.some((d, i) => d !== e[i])) {
    throw new Error(`${op}: ${actualName} ${formatShape(a)} does not match ${expectedName} ${formatShape(e)}`);
  }
}

/** Throws unless both tensors have one dtype: `op: x is float32 (2×3) but W is float64 (3×4)`. */
export function expectSameDType(op: string, a: Tensor, aName: string, b: Tensor, bName: string): void {
  if (a.dtype !== b.dtype) {
    throw new Error(`${op}: dtype mismatch: ${aName} is ${a.dtype} ${formatShape(a.shape)} but ${bName} is ${b.dtype} ${formatShape(b.shape)}`);
  }
}

/** Throws when `t` has no elements (a batch of 0): `op: empty batch: logits (0×4) has no elements`. */
export function expectNonEmptyBatch(op: string, t: Tensor, name: string): void {
  if (t.size === 0) throw new Error(`${op}: empty batch: ${name} ${formatShape(t.shape)} has no elements`);
}

/** Throws unless the scalar seed of a loss's backward is a finite number. */
export function expectFiniteNumber(op: string, value: number, name: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`${op}: ${name} must be a finite number, got ${describeValue(value)}`);
}

/** Throws at the first NaN or ±Infinity: `linear: input contains NaN at [1,2]`. A fast pass; a second finds where. */
export function expectFinite(op: string, t: Tensor, name: string): void {
  if (allFinite(t.data)) return;
  const data = t.data;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v - v !== 0) throw new Error(`${op}: ${name} contains ${v} at ${formatIndex(i, t.shape)}`);
  }
}

/** Throws unless `n` is a positive integer: `linear: inFeatures must be a positive integer, got 0`. */
export function expectPositiveInteger(op: string, n: number, name: string): void {
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${op}: ${name} must be a positive integer, got ${describeValue(n)}`);
}

/** Throws unless a rows × cols weight fits in one tensor: `linear: a 100000×100000 weight has 1e10 elements, …`. */
export function expectAllocatable(op: string, rows: number, cols: number, what: string): void {
  if (rows * cols > MAX_TENSOR_SIZE) throw new Error(`${op}: a ${rows}×${cols} ${what} has ${rows * cols} elements, more than the ${MAX_TENSOR_SIZE} one tensor can hold`);
}

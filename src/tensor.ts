// The one data type of the reference: a row-major typed array plus a shape. Ops never write into a
// tensor they were given; they return new ones.
import { describeValue } from './describe';

/** Element types the reference implements. Arithmetic inside ops runs in float64 either way. */
export type DType = 'float64' | 'float32';

/** The storage behind a tensor, row-major. */
export type TensorData = Float64Array | Float32Array;

/** Formats a shape for messages: `[2, 3]` → `(2×3)`, a scalar → `()`. */
export function formatShape(shape: readonly number[]): string {
  return `(${shape.join('×')})`;
}

/** Formats the position of flat element `flat` of a tensor of `shape`: e.g. `[1,2]`. */
export function formatIndex(flat: number, shape: readonly number[]): string {
  const index: number[] = [];
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    index.unshift(flat % shape[axis]!);
    flat = Math.floor(flat / shape[axis]!);
  }
  return `[${index.join(',')}]`;
}

/** The number of elements of a tensor of `shape` (1 for a scalar). */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

/** The most elements one tensor may hold: 2³¹ − 1, what typed arrays reliably allocate (16 GiB in float64). */
export const MAX_TENSOR_SIZE = 2 ** 31 - 1;

/** sizeOf(shape), throwing unless the shape is an array of non-negative integers of a size that can be allocated. */
function checkedSize(shape: readonly number[]): number {
  if (!Array.isArray(shape)) throw new Error(`tensor: shape must be an array of dimensions, got ${describeValue(shape)}`);
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new Error(`tensor: shape ${formatShape(shape)} has an invalid dimension ${describeValue(d)}`);
  }
  const size = sizeOf(shape);
  if (size > MAX_TENSOR_SIZE) throw new Error(`tensor: shape ${formatShape(shape)} holds ${size} elements, more than the ${MAX_TENSOR_SIZE} one tensor can hold`);
  return size;
}

/** Throws unless `dtype` is one the reference implements. */
export function checkDType(dtype: unknown): asserts dtype is DType {
  if (dtype !== 'float64' && dtype !== 'float32') throw new Error(`tensor: dtype must be 'float64' or 'float32', got ${describeValue(dtype)}`);
}

/** A fresh zero-filled array of `size` elements of `dtype`. */
export function allocate(dtype: DType, size: number): TensorData {
  checkDType(dtype);
  if (!Number.isInteger(size) || size < 0 || size > MAX_TENSOR_SIZE) throw new Error(`tensor: cannot allocate ${describeValue(size)} elements (at most ${MAX_TENSOR_SIZE})`);
  try {
    return dtype === 'float32' ? new Float32Array(size) : new Float64Array(size);
  } catch {
    throw new Error(`tensor: out of memory allocating ${size} ${dtype} elements (${((size * (dtype === 'float32' ? 4 : 8)) / 2 ** 30).toFixed(1)} GiB)`);
  }
}

/** An n-dimensional array of float64 or float32 values, row-major. */
export class Tensor {
  /** The elements, row-major. The tensor wraps this array; it does not copy it. */
  readonly data: TensorData;
  /** The size of each axis; frozen. */
  readonly shape: readonly number[];

  /** Wraps `data` as a tensor of `shape`; throws unless `data.length` is the product of `shape`. */
  constructor(data: TensorData, shape: readonly number[]) {
    const size = checkedSize(shape);
    if (!(data instanceof Float64Array || data instanceof Float32Array)) {
      throw new Error('tensor: data must be a Float64Array or a Float32Array');
    }
    if (data.length !== size) {
      throw new Error(`tensor: ${data.length} values do not fill shape ${formatShape(shape)}, which holds ${size}`);
    }
    this.data = data;
    this.shape = Object.freeze([...shape]);
  }

  /** `'float32'` for a Float32Array, else `'float64'`. */
  get dtype(): DType {
    return this.data instanceof Float32Array ? 'float32' : 'float64';
  }

  /** The number of elements. */
  get size(): number {
    return this.data.length;
  }

  /** A tensor of `shape` filled with zeros. */
  static zeros(shape: readonly number[], dtype: DType = 'float64'): Tensor {
    return new Tensor(allocate(dtype, checkedSize(shape)), shape);
  }

  /** A tensor of `shape` holding a copy of the flat, row-major `values` (rounded for float32). */
  static fromArray(values: ArrayLike<number>, shape: readonly number[], dtype: DType = 'float64'): Tensor {
    if (values === null || typeof values !== 'object' || typeof values.length !== 'number') {
      throw new Error(`tensor: values must be an array of numbers, got ${describeValue(values)}`);
    }
    const data = allocate(dtype, values.length);
    data.set(values);
    return new Tensor(data, shape);
  }

  /** A deep copy: same shape and dtype, its own data. */
  clone(): Tensor {
    return new Tensor(this.data.slice(), this.shape);
  }
}

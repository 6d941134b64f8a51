// The generator's tensor: values always held as float64; a float32 tensor holds values that are
// exactly representable in float32 (rounded with Math.fround when created).
import { numel } from '../spec/format';
import type { Prng } from './prng';

export type DType = 'float64' | 'float32' | 'int64';

export interface Tensor {
  dtype: DType;
  shape: number[];
  data: Float64Array;
}

export { numel };

export function tensor(shape: number[], values: ArrayLike<number>, dtype: DType = 'float64'): Tensor {
  if (values.length !== numel(shape)) {
    throw new Error(`tensor: ${values.length} values do not fill shape [${shape.join(', ')}]`);
  }
  const data = Float64Array.from(values, (v) => (dtype === 'float32' ? Math.fround(v) : v));
  return { dtype, shape: [...shape], data };
}

export function scalar(value: number, dtype: DType = 'float64'): Tensor {
  return tensor([], [value], dtype);
}

export function withDType(t: Tensor, dtype: DType): Tensor {
  return tensor(t.shape, t.data, dtype);
}

export interface RandnOptions {
  std?: number;
  mean?: number;
  /** Resample any value closer than `margin` to one of these points (keeps gradchecks off kinks). */
  avoid?: number[];
  margin?: number;
}

export function randn(rng: Prng, shape: number[], options: RandnOptions = {}): Tensor {
  const { std = 1, mean = 0, avoid = [], margin = 1e-3 } = options;
  const data = new Float64Array(numel(shape));
  for (let i = 0; i < data.length; i++) {
    let v: number;
    do v = mean + std * rng.normal();
    while (avoid.some((k) => Math.abs(v - k) < margin));
    data[i] = v;
  }
  return { dtype: 'float64', shape: [...shape], data };
}

export function uniform(rng: Prng, shape: number[], low: number, high: number): Tensor {
  const data = new Float64Array(numel(shape));
  for (let i = 0; i < data.length; i++) data[i] = rng.uniformIn(low, high);
  return { dtype: 'float64', shape: [...shape], data };
}

/** Class indices: an int64 tensor of shape [batch], each a random class in [0, classes). */
export function randomClasses(rng: Prng, batch: number, classes: number): Tensor {
  return tensor([batch], Array.from({ length: batch }, () => rng.int(classes)), 'int64');
}

/** One-hot rows: shape [batch, classes], a random class per row. */
export function randomOneHot(rng: Prng, batch: number, classes: number): Tensor {
  const data = new Float64Array(batch * classes);
  for (let r = 0; r < batch; r++) data[r * classes + rng.int(classes)] = 1;
  return { dtype: 'float64', shape: [batch, classes], data };
}

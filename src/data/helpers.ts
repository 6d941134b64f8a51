// The seed's data helpers: one-hot labels, global normalisation, argmax accuracy.
import { expectFinite, expectNonEmptyBatch, expectPositiveInteger, expectRank, expectShape } from '../checks';
import { type DType, type TensorData, Tensor, formatShape } from '../tensor';

/** A (labels.length × classes) tensor with a 1 in each row at column labels[row]. */
export function oneHot(labels: ArrayLike<number>, classes: number, dtype: DType = 'float64'): Tensor {
  expectPositiveInteger('oneHot', classes, 'classes');
  const out = Tensor.zeros([labels.length, classes], dtype);
  for (let row = 0; row < labels.length; row++) {
    const label = labels[row]!;
    if (!Number.isInteger(label)) throw new Error(`oneHot: label ${label} at index ${row} is not an integer`);
    if (label < 0 || label >= classes) throw new Error(`oneHot: label ${label} at index ${row} is out of range [0, ${classes})`);
    out.data[row * classes + label] = 1;
  }
  return out;
}

/**
 * (x − mean) / std with one global mean and std (population, ddof 0) — computed from `x` unless
 * given, so test data can be normalised with the training set's statistics. The result is written
 * into `out` when given (x's length and dtype; mnistTensors passes one in the kernel's memory).
 */
export function normalize(x: Tensor, mean?: number, std?: number, out?: TensorData): { x: Tensor; mean: number; std: number } {
  expectNonEmptyBatch('normalize', x, 'input');
  expectFinite('normalize', x, 'input');
  let ownMean = 0;
  for (let i = 0; i < x.size; i++) ownMean += x.data[i]!;
  ownMean /= x.size;
  let variance = 0;
  for (let i = 0; i < x.size; i++) variance += (x.data[i]! - ownMean) ** 2;
  const m = mean ?? ownMean;
  const s = std ?? Math.sqrt(variance / x.size);
  if (!Number.isFinite(m)) throw new Error(`normalize: mean must be finite, got ${m}`);
  if (!(s > 0 && Number.isFinite(s))) {
    const why = std === undefined ? ` (all ${x.size} values of ${formatShape(x.shape)} equal ${ownMean})` : '';
    throw new Error(`normalize: standard deviation is ${s}${why}; cannot divide by it`);
  }
  if (out && (out.length !== x.size || (out instanceof Float32Array) !== (x.dtype === 'float32'))) {
    throw new Error(`normalize: out must be an array of ${x.size} ${x.dtype} values, like x`);
  }
  const y = out ? new Tensor(out, x.shape) : Tensor.zeros(x.shape, x.dtype);
  for (let i = 0; i < x.size; i++) y.data[i] = (x.data[i]! - m) / s;
  return { x: y, mean: m, std: s };
}

/** The index of the largest of `width` values from `start` (the first on ties, like NumPy's argmax). */
function argmax(data: ArrayLike<number>, start: number, width: number): number {
  let best = 0;
  for (let j = 1; j < width; j++) if (data[start + j]! > data[start + best]!) best = j;
  return best;
}

/** The fraction of rows whose argmax of `logits` (batch×classes) is the target class (one-hot rows or labels). */
export function accuracy(logits: Tensor, target: Tensor | ArrayLike<number>): number {
  expectRank('accuracy', logits, 2, '2-D logits (batch×classes)');
  expectNonEmptyBatch('accuracy', logits, 'logits');
  expectFinite('accuracy', logits, 'logits');
  const [batch, classes] = logits.shape as [number, number];
  if (target instanceof Tensor) expectShape('accuracy', target, 'target', logits.shape, 'logits');
  else if (target.length !== batch) throw new Error(`accuracy: ${target.length} labels do not match logits ${formatShape(logits.shape)}`);
  let correct = 0;
  for (let row = 0; row < batch; row++) {
    const label = target instanceof Tensor ? argmax(target.data, row * classes, classes) : target[row];
    if (argmax(logits.data, row * classes, classes) === label) correct++;
  }
  return correct / batch;
}

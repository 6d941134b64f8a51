// Mini-batches over (x, y) along the first axis, with seeded shuffling: the order of epoch e is a
// function of (seed, e) only, so a run can be reproduced epoch by epoch, and consecutive epochs
// see different orders. The last partial batch is kept unless `dropLast`.
import { expectPositiveInteger } from '../checks';
import { Rng } from '../random';
import { Tensor, formatShape } from '../tensor';

export interface DataLoaderOptions {
  /** Samples per batch (the last batch may be smaller). */
  batchSize: number;
  /** Shuffle the samples every epoch. Default false: samples in their stored order. */
  shuffle?: boolean;
  /** Seed for the shuffling. Default 0. */
  seed?: number;
  /** Drop the last batch when it has fewer than batchSize samples. Default false. */
  dropLast?: boolean;
}

export interface Batch {
  /** Rows of x (batch × ...), a copy. */
  x: Tensor;
  /** The matching rows of y, a copy. */
  y: Tensor;
  /** Which samples this batch holds, by index into x and y. */
  indices: Int32Array;
  /** Position of this batch in its epoch, from 0. */
  index: number;
}

/** Copies rows `indices` of `t` (first axis) into a new tensor of the same dtype. */
export function takeRows(t: Tensor, indices: ArrayLike<number>): Tensor {
  const rows = t.shape[0]!;
  const width = rows === 0 ? 0 : t.size / rows;
  const out = Tensor.zeros([indices.length, ...t.shape.slice(1)], t.dtype);
  for (let r = 0; r < indices.length; r++) {
    const i = indices[r]!;
    out.data.set(t.data.subarray(i * width, (i + 1) * width), r * width);
  }
  return out;
}

/** A 32-bit seed for epoch `epoch` of a loader seeded with `seed`. */
function epochSeed(seed: number, epoch: number): number {
  const folded = (seed >>> 0) ^ Math.floor(seed / 2 ** 32);
  return (folded ^ Math.imul(epoch + 1, 0x9e3779b1)) >>> 0;
}

/** Mini-batches of (x, y). Iterating it runs one epoch; each new iteration is the next epoch. */
export class DataLoader implements Iterable<Batch> {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly seed: number;
  readonly dropLast: boolean;
  /** The epoch the next `for ... of` will run, from 0. */
  nextEpoch = 0;

  constructor(readonly x: Tensor, readonly y: Tensor, options: DataLoaderOptions) {
    if (x.shape.length === 0 || y.shape.length === 0) {
      throw new Error(`dataloader: x and y need a first (sample) axis, got x ${formatShape(x.shape)} and y ${formatShape(y.shape)}`);
    }
    if (x.shape[0] !== y.shape[0]) {
      throw new Error(`dataloader: x ${formatShape(x.shape)} and y ${formatShape(y.shape)} hold different numbers of samples (${x.shape[0]} ≠ ${y.shape[0]})`);
    }
    expectPositiveInteger('dataloader', options.batchSize, 'batchSize');
    const { shuffle = false, seed = 0, dropLast = false } = options;
    if (!Number.isSafeInteger(seed)) throw new Error(`dataloader: seed must be an integer, got ${seed}`);
    this.batchSize = options.batchSize;
    this.shuffle = shuffle;
    this.seed = seed;
    this.dropLast = dropLast;
  }

  /** The number of samples. */
  get size(): number {
    return this.x.shape[0]!;
  }

  /** The number of batches in one epoch. */
  get length(): number {
    return this.dropLast ? Math.floor(this.size / this.batchSize) : Math.ceil(this.size / this.batchSize);
  }

  /** The order in which epoch `epoch` visits the samples: a permutation of 0..size−1. */
  order(epoch: number): Int32Array {
    const order = new Int32Array(this.size);
    for (let i = 0; i < order.length; i++) order[i] = i;
    if (!this.shuffle) return order;
    const rng = new Rng(epochSeed(this.seed, epoch));
    for (let i = order.length - 1; i > 0; i--) {
      // Fisher–Yates; floor(u·(i+1)) with 53-bit u is unbiased enough for any realistic n.
      const j = Math.floor(rng.uniform() * (i + 1));
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    return order;
  }

  /** The batches of epoch `epoch`, whatever epochs ran before. */
  *epoch(epoch: number): Generator<Batch> {
    const order = this.order(epoch);
    for (let index = 0; index < this.length; index++) {
      const indices = order.subarray(index * this.batchSize, Math.min((index + 1) * this.batchSize, order.length));
      yield { x: takeRows(this.x, indices), y: takeRows(this.y, indices), indices, index };
    }
  }

  [Symbol.iterator](): Iterator<Batch> {
    return this.epoch(this.nextEpoch++);
  }
}

// Mini-batches over (x, y) along the first axis, with seeded shuffling: the order of epoch e is a
// function of (seed, e) only, so a run can be reproduced epoch by epoch, and consecutive epochs
// see different orders. The last partial batch is kept unless `dropLast`.
// By default every batch is a fresh copy. With `reuseBatches` (what train() uses), every batch is
// gathered into the same two buffers: a 64×784 float64 batch is 400 KB, and allocating one per step
// costs more than the step's own matrix products (fresh pages, zero-filled, then garbage collected).
import { describeKind } from '../describe';
import { expectPositiveInteger } from '../checks';
import { kernelArray, kernelArrayOrNull, releaseKernelArray } from '../kernels/arena';
import { gatherRowsInKernel, livesInKernelMemory } from '../kernels/gather';
import { markFinite, scanFinite } from '../kernels/elementwise';
import { Rng } from '../random';
import { type TensorData, Tensor, allocate, formatShape } from '../tensor';

export interface DataLoaderOptions {
  /** Samples per batch (the last batch may be smaller). */
  batchSize: number;
  /** Shuffle the samples every epoch. Default false: samples in their stored order. */
  shuffle?: boolean;
  /** Seed for the shuffling. Default 0. */
  seed?: number;
  /** Drop the last batch when it has fewer than batchSize samples. Default false. */
  dropLast?: boolean;
  /**
   * Gather every batch into the same two buffers instead of new tensors. Default false. A batch is
   * then valid only until the next one is produced: use it, don't keep it. The dataset's x is checked
   * for NaN and ±Infinity once, when the first such batch is made, so linear's input check need not
   * read every batch again (change x after that and the check does not see it).
   */
  reuseBatches?: boolean;
  /**
   * With reuseBatches: put the batch's x buffer in the matrix kernel's own memory (src/kernels/arena.ts),
   * where matmul reads a batch without copying it (y, which matmul never reads, stays a plain array).
   * Default false. release() frees it.
   * When x itself lives there (kernelArray; mnistTensors puts MNIST's training images there), each
   * batch is gathered by a WebAssembly memcpy per row: about half the time of writing it from
   * JavaScript, which takes V8's slow path into that shared memory. The same bits either way.
   */
  kernelBuffers?: boolean;
}

export interface Batch {
  /** Rows of x (batch × ...), a copy (overwritten by the next batch with `reuseBatches`). */
  x: Tensor;
  /** The matching rows of y, a copy (likewise). */
  y: Tensor;
  /** Which samples this batch holds, by index into x and y. */
  indices: Int32Array;
  /** Position of this batch in its epoch, from 0. */
  index: number;
}

/** The number of values in one sample (one index along the first axis) of `t`. */
function sampleSize(t: Tensor): number {
  const rows = t.shape[0]!;
  return rows === 0 ? 0 : t.size / rows;
}

/** Where gather() leaves the values it reads ahead, so the engine cannot drop those reads. */
let _readAhead = 0;

/**
 * out[r·width ..] = source[indices[r]·width ..] for every r. Shuffled rows are scattered over a
 * dataset of hundreds of megabytes, so every row's pages are read first (one value per 4 KiB page, and
 * its last), before any row is copied: independent loads, whose page walks and cache misses overlap, as
 * gather_rows in gemm.wat does. For MNIST's one-hot labels (2.4 MB) that took a batch from 13 to 4 µs.
 * Wide rows are then copied with TypedArray#set; narrow ones (labels) element by element, since a
 * subarray per row would cost more than the row.
 */
function gather(out: TensorData, source: TensorData, width: number, indices: ArrayLike<number>): void {
  const n = indices.length;
  const pageValues = source instanceof Float32Array ? 1024 : 512;
  let touched = 0;
  for (let r = 0; r < n; r++) {
    const start = indices[r]! * width;
    for (let t = 0; t < width; t += pageValues) touched += source[start + t]!;
    touched += source[start + width - 1]!;
  }
  _readAhead = touched;
  if (width < 64) {
    for (let r = 0, o = 0; r < n; r++) for (let i = indices[r]! * width, end = i + width; i < end; i++, o++) out[o] = source[i]!;
    return;
  }
  for (let r = 0; r < n; r++) {
    const start = indices[r]! * width;
    out.set(source.subarray(start, start + width), r * width);
  }
}

/** Copies rows `indices` of `t` (first axis) into a new tensor of the same dtype. */
export function takeRows(t: Tensor, indices: ArrayLike<number>): Tensor {
  const out = Tensor.zeros([indices.length, ...t.shape.slice(1)], t.dtype);
  gather(out.data, t.data, sampleSize(t), indices);
  return out;
}

/** Room in the kernel's memory for a batch's indices, for gatherRowsInKernel: an Int32 view of `block`, which owns it. */
interface KernelIndices {
  indices: Int32Array;
  block: TensorData;
}

function kernelIndices(batchSize: number): KernelIndices | null {
  const block = kernelArrayOrNull('float32', batchSize);
  return block && { indices: new Int32Array(block.buffer, block.byteOffset, batchSize), block };
}

/** The two buffers of a `reuseBatches` loader, and tensors over them for a full and a last, partial batch. */
class BatchBuffers {
  private readonly x: TensorData;
  private readonly y: TensorData;
  /** With kernel buffers and an x in the kernel's memory: where the batch's indices go for the WebAssembly gather. */
  private readonly kernel: KernelIndices | null;
  private readonly views = new Map<number, { x: Tensor; y: Tensor }>();
  /** Whether all of the dataset's x is finite: checked once, so that no batch needs its own pass. */
  private readonly datasetFinite: boolean;

  constructor(private readonly sourceX: Tensor, private readonly sourceY: Tensor, batchSize: number, inKernelMemory: boolean) {
    const size = (t: Tensor) => batchSize * sampleSize(t);
    this.x = inKernelMemory ? kernelArray(sourceX.dtype, size(sourceX)) : allocate(sourceX.dtype, size(sourceX));
    // y never meets matmul, and JavaScript writes into the kernel's (shared) memory take V8's slow path.
    this.y = allocate(sourceY.dtype, size(sourceY));
    this.kernel = inKernelMemory && livesInKernelMemory(sourceX.data) ? kernelIndices(batchSize) : null;
    this.datasetFinite = scanFinite(sourceX.data);
  }

  /** Frees the buffers if they are in the kernel's memory; this object must not be used again. */
  release(): void {
    releaseKernelArray(this.x);
    if (this.kernel) releaseKernelArray(this.kernel.block);
  }

  /**
   * Rows `indices` of x and y, gathered into the buffers. x is marked finite (see markFinite) when the
   * whole dataset is; when it is not, each batch is checked, so linear names the bad value of its batch.
   */
  take(indices: ArrayLike<number>): { x: Tensor; y: Tensor } {
    const rows = indices.length;
    let view = this.views.get(rows);
    if (view === undefined) {
      const wx = sampleSize(this.sourceX), wy = sampleSize(this.sourceY);
      view = {
        x: new Tensor(this.x.subarray(0, rows * wx), [rows, ...this.sourceX.shape.slice(1)]),
        y: new Tensor(this.y.subarray(0, rows * wy), [rows, ...this.sourceY.shape.slice(1)]),
      };
      this.views.set(rows, view);
    }
    this.gatherX(view.x.data, indices);
    markFinite(view.x.data, this.datasetFinite || scanFinite(view.x.data));
    gather(view.y.data, this.sourceY.data, sampleSize(this.sourceY), indices);
    return view;
  }

  /** Rows `indices` of x into `out`: in WebAssembly when both live in the kernel's memory. */
  private gatherX(out: TensorData, indices: ArrayLike<number>): void {
    const width = sampleSize(this.sourceX);
    if (this.kernel) {
      const kernelIndices = this.kernel.indices.subarray(0, indices.length);
      kernelIndices.set(indices);
      if (gatherRowsInKernel(out, this.sourceX.data, width, kernelIndices)) return;
    }
    gather(out, this.sourceX.data, width, indices);
  }
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
  readonly reuseBatches: boolean;
  readonly kernelBuffers: boolean;
  /** The epoch the next `for ... of` will run, from 0. */
  nextEpoch = 0;
  private buffers: BatchBuffers | null = null;

  constructor(readonly x: Tensor, readonly y: Tensor, options: DataLoaderOptions) {
    if (!(x instanceof Tensor) || !(y instanceof Tensor)) {
      throw new Error(`dataloader: x and y must be Tensors, got ${describeKind(x)} and ${describeKind(y)}`);
    }
    if (typeof options !== 'object' || options === null) {
      throw new Error(`dataloader: options are required, at least { batchSize }; got ${describeKind(options)}`);
    }
    if (x.shape.length === 0 || y.shape.length === 0) {
      throw new Error(`dataloader: x and y need a first (sample) axis, got x ${formatShape(x.shape)} and y ${formatShape(y.shape)}`);
    }
    if (x.shape[0] !== y.shape[0]) {
      throw new Error(`dataloader: x ${formatShape(x.shape)} and y ${formatShape(y.shape)} hold different numbers of samples (${x.shape[0]} ≠ ${y.shape[0]})`);
    }
    expectPositiveInteger('dataloader', options.batchSize, 'batchSize');
    const { shuffle = false, seed = 0, dropLast = false, reuseBatches = false, kernelBuffers = false } = options;
    if (!Number.isSafeInteger(seed)) throw new Error(`dataloader: seed must be an integer, got ${seed}`);
    this.batchSize = options.batchSize;
    this.shuffle = shuffle;
    this.seed = seed;
    this.dropLast = dropLast;
    this.reuseBatches = reuseBatches;
    this.kernelBuffers = kernelBuffers;
  }

  /** Frees the reused batch buffers (kernelBuffers); a later epoch makes new ones. Batches already produced must not be used. */
  release(): void {
    this.buffers?.release();
    this.buffers = null;
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
    if (this.reuseBatches) this.buffers ??= new BatchBuffers(this.x, this.y, Math.min(this.batchSize, this.size), this.kernelBuffers);
    for (let index = 0; index < this.length; index++) {
      const indices = order.subarray(index * this.batchSize, Math.min((index + 1) * this.batchSize, order.length));
      if (this.buffers) yield { ...this.buffers.take(indices), indices, index };
      else yield { x: takeRows(this.x, indices), y: takeRows(this.y, indices), indices, index };
    }
  }

  [Symbol.iterator](): Iterator<Batch> {
    return this.epoch(this.nextEpoch++);
  }
}

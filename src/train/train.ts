// The training loop: mini-batch SGD over a DataLoader, one callback per epoch with its metrics.
// Per batch: forward, loss, loss backward, model backward, update — the seed's loop, batched.
import { accuracy } from '../data/helpers';
import { DataLoader } from '../data/dataloader';
import type { Loss } from '../losses/loss';
import type { BackwardOptions } from '../model';
import { Tensor, formatShape } from '../tensor';
import { RecyclingStep } from './recycling-step';
import { StepBuffers } from './step-buffers';

/** What train() needs of a model: the seed's Model API. */
export interface Trainable {
  forward(x: Tensor): Tensor;
  /** Called with `inputGradient: false`: the input is data, its gradient is never used. */
  backward(gradOutput: Tensor, options?: BackwardOptions): Tensor | null;
  update(lr: number): void;
  /** When present, train() calls it with true before each epoch's steps and false before evaluating (batch norm's two modes). */
  setTraining?(training: boolean): void;
}

/** Samples (rows of x) and their one-hot targets (rows of y). */
export interface Dataset {
  x: Tensor;
  y: Tensor;
}

export interface TrainOptions {
  epochs: number;
  /** Learning rate of the plain SGD step p ← p − lr·∇p (the starting rate under a schedule). */
  lr: number;
  /**
   * 'constant' (default) keeps lr; 'linear' lowers it after every batch, linearly from lr to 0 over
   * the whole run, which averages out the noise of the last steps (a schedule, still plain SGD).
   */
  schedule?: LrSchedule;
  batchSize: number;
  /** Seed of the per-epoch shuffling. Default 0. */
  seed?: number;
  /** Default true. */
  shuffle?: boolean;
  /** Rows per forward pass when evaluating. Default 1000. */
  evalBatchSize?: number;
  /**
   * Measure train loss and accuracy on the whole training set after each epoch (one extra forward
   * pass). Default false: they are the running averages over the epoch's batches, as seen while
   * the weights were still changing.
   */
  evaluateTrain?: boolean;
  /** Checked after every epoch: true ends training there (e.g. once the training set is fitted). */
  stopWhen?: (metrics: EpochMetrics) => boolean;
  /** Called after every batch, e.g. to move a progress bar. */
  onBatch?: (progress: BatchProgress) => void;
}

export type LrSchedule = 'constant' | 'linear';

/** The learning rate for step `step` (from 0) of `totalSteps` under `schedule`. */
export function scheduledLr(lr: number, schedule: LrSchedule, step: number, totalSteps: number): number {
  if (schedule === 'constant') return lr;
  if (schedule === 'linear') return lr * (1 - step / totalSteps);
  throw new Error(`train: unknown schedule '${String(schedule)}'; expected 'constant' or 'linear'`);
}

export interface BatchProgress {
  /** From 1. */
  epoch: number;
  /** Batches done in this epoch, from 1. */
  batch: number;
  batches: number;
  loss: number;
}

export interface EpochMetrics {
  /** From 1. */
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  /** Present when a test set was given. */
  testLoss?: number;
  testAccuracy?: number;
  /** Wall time of the training steps of this epoch. */
  seconds: number;
  /** Wall time of the evaluation after it. */
  evalSeconds: number;
}

const now = (): number => performance.now() / 1000;

/** Loss and accuracy of `model` on `data`, in chunks of `batchSize` rows, weighted by chunk size. */
export function evaluate(model: Trainable, loss: Loss, data: Dataset, batchSize = 1000): { loss: number; accuracy: number } {
  const n = data.x.shape[0]!;
  if (n === 0) throw new Error(`train: cannot evaluate on an empty dataset ${formatShape(data.x.shape)}`);
  let lossSum = 0;
  let correct = 0;
  for (const batch of new DataLoader(data.x, data.y, { batchSize, reuseBatches: true })) {
    const rows = batch.indices.length;
    const output = model.forward(batch.x);
    lossSum += loss.forward(output, batch.y) * rows;
    correct += accuracy(output, batch.y) * rows;
  }
  return { loss: lossSum / n, accuracy: correct / n };
}

function checkOptions(options: TrainOptions): void {
  if (!Number.isInteger(options.epochs) || options.epochs < 0) throw new Error(`train: epochs must be a non-negative integer, got ${options.epochs}`);
  if (!Number.isFinite(options.lr) || options.lr <= 0) throw new Error(`train: lr must be a positive number, got ${options.lr}`);
}

/**
 * Trains `model` on `data.train` for `options.epochs` epochs and returns the metrics of each;
 * `onEpoch` sees them as soon as an epoch ends. Throws, naming the epoch and batch, when the loss
 * stops being finite (the learning rate is too high for this loss).
 */
export function train(
  model: Trainable,
  loss: Loss,
  data: { train: Dataset; test?: Dataset },
  options: TrainOptions,
  onEpoch?: (metrics: EpochMetrics) => void,
): EpochMetrics[] {
  checkOptions(options);
  const { evalBatchSize = 1000, evaluateTrain = false } = options;
  const loader = new DataLoader(data.train.x, data.train.y, {
    batchSize: options.batchSize,
    shuffle: options.shuffle ?? true,
    seed: options.seed ?? 0,
    reuseBatches: true, // each batch is used, then forgotten: no 400 KB allocation per step
    kernelBuffers: true, // and where matmul reads it without copying
  });
  const schedule = options.schedule ?? 'constant';
  scheduledLr(options.lr, schedule, 0, 1); // reject an unknown schedule before the first epoch
  const totalSteps = options.epochs * loader.length;
  const stepper = RecyclingStep.for(model); // a Model's SGD step, without allocating per step
  let step = 0;
  const history: EpochMetrics[] = [];
  const stepBuffers = new StepBuffers(model); // a step's activations in the same arrays every step
  try {
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      const start = now();
      let lossSum = 0;
      let correct = 0;
      model.setTraining?.(true);
      for (const batch of loader.epoch(epoch - 1)) {
        const rows = batch.indices.length;
        stepBuffers.on();
        const output = model.forward(batch.x);
        const value = loss.forward(output, batch.y);
        if (!Number.isFinite(value)) {
          throw new Error(`train: loss is ${value} at epoch ${epoch}, batch ${batch.index + 1} of ${loader.length}; the learning rate ${options.lr} is probably too high`);
        }
        lossSum += value * rows;
        correct += accuracy(output, batch.y) * rows;
        const gradOutput = loss.backward();
        stepper?.releaseGradients();
        model.backward(gradOutput, { inputGradient: false }); // parameter gradients only: no dL/dx for the data
        const lr = scheduledLr(options.lr, schedule, step++, totalSteps);
        if (stepper) stepper.update(lr);
        else model.update(lr);
        stepBuffers.off(); // the caller's callbacks get new tensors
        options.onBatch?.({ epoch, batch: batch.index + 1, batches: loader.length, loss: value });
      }
      const seconds = now() - start;
      const evalStart = now();
      model.setTraining?.(false); // evaluation uses the running statistics, as model.eval() in PyTorch
      let trainLoss = lossSum / loader.size;
      let trainAccuracy = correct / loader.size;
      if (evaluateTrain) ({ loss: trainLoss, accuracy: trainAccuracy } = evaluate(model, loss, data.train, evalBatchSize));
      const metrics: EpochMetrics = { epoch, trainLoss, trainAccuracy, seconds, evalSeconds: 0 };
      if (data.test) {
        const test = evaluate(model, loss, data.test, evalBatchSize);
        metrics.testLoss = test.loss;
        metrics.testAccuracy = test.accuracy;
      }
      metrics.evalSeconds = now() - evalStart;
      history.push(metrics);
      onEpoch?.(metrics);
      if (options.stopWhen?.(metrics)) break;
    }
  } finally {
    loader.release(); // its batch buffers live in the kernel's memory
    stepBuffers.off();
  }
  return history;
}

// Per-epoch progress for the training scripts: a cli-progress bar while an epoch runs on a TTY,
// and one plain line per finished epoch everywhere (so logs and pipes stay readable).
import { Presets, SingleBar } from 'cli-progress';
import type { BatchProgress, EpochMetrics } from '../src/train/train';

export const percent = (x: number | undefined): string => (x === undefined ? '   —  ' : `${(100 * x).toFixed(2)}%`);

/** `epoch 3/5  train loss 0.1234  train acc 96.12%  test acc 96.50%  3.4 s`. */
export function formatEpoch(m: EpochMetrics, epochs: number, label = ''): string {
  const width = String(epochs).length;
  return (
    `${label}epoch ${String(m.epoch).padStart(width)}/${epochs}  train loss ${m.trainLoss.toFixed(4)}  ` +
    `train acc ${percent(m.trainAccuracy)}  test acc ${percent(m.testAccuracy)}  ${m.seconds.toFixed(1)} s`
  );
}

export interface EpochReporter {
  onBatch(p: BatchProgress): void;
  onEpoch(m: EpochMetrics): void;
}

/** A bar per epoch when `stream` is a TTY (and `quiet` is not set), then the epoch's line. */
export function epochReporter(epochs: number, options: { label?: string; quiet?: boolean; stream?: NodeJS.WriteStream } = {}): EpochReporter {
  const stream = options.stream ?? process.stderr;
  const label = options.label ?? '';
  const useBar = !options.quiet && stream.isTTY === true;
  let bar: SingleBar | null = null;
  return {
    onBatch(p) {
      if (!useBar) return;
      if (bar === null) {
        bar = new SingleBar(
          {
            stream,
            format: `${label}epoch ${p.epoch}/${epochs} [{bar}] {value}/{total} batches  loss {loss}  {duration}s`,
            hideCursor: true,
            clearOnComplete: true,
          },
          Presets.shades_classic,
        );
        bar.start(p.batches, 0, { loss: '—' });
      }
      bar.update(p.batch, { loss: p.loss.toFixed(4) });
    },
    onEpoch(m) {
      if (bar !== null) {
        bar.stop();
        bar = null;
      }
      console.log(formatEpoch(m, epochs, label));
    },
  };
}

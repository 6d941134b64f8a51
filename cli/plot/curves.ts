// Loss and accuracy per epoch of a training run, as the two-panel SVG the training scripts write.
import type { EpochMetrics } from '../../src/train/train';
import { renderChart } from './svg';

/** Train and test series per panel; `trainMeasured` says which train figures these are. */
export function curvesSvg(history: EpochMetrics[], title: string, trainMeasured: 'running' | 'after epoch' = 'running'): string {
  const trainName = trainMeasured === 'running' ? 'train (running, during the epoch)' : 'train (after the epoch)';
  const series = (name: string, pick: (m: EpochMetrics) => number | undefined, dashed = false) => ({
    name,
    dashed,
    points: history.map((m) => [m.epoch, pick(m) ?? NaN] as [number, number]),
  });
  return renderChart(
    [
      {
        title: 'Loss',
        xLabel: 'epoch',
        yLabel: 'loss',
        series: [series(trainName, (m) => m.trainLoss), series('test', (m) => m.testLoss, true)],
      },
      {
        title: 'Accuracy',
        xLabel: 'epoch',
        yLabel: 'accuracy',
        series: [series(trainName, (m) => m.trainAccuracy), series('test', (m) => m.testAccuracy, true)],
      },
    ],
    { title },
  );
}

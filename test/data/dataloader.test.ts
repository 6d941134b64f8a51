// DataLoader: batch sizes, every sample exactly once per epoch, reproducible for a seed,
// a different order each epoch, and rows of x and y kept together.
import { DataLoader, takeRows } from '../../src/data/dataloader';
import { Tensor } from '../../src/tensor';

/** n samples: x row i is [i, 10i], y row i is [i]: a batch shows which samples it holds. */
function numbered(n: number, dtype: 'float64' | 'float32' = 'float64'): { x: Tensor; y: Tensor } {
  const x = Tensor.zeros([n, 2], dtype);
  const y = Tensor.zeros([n, 1], dtype);
  for (let i = 0; i < n; i++) {
    x.data[2 * i] = i;
    x.data[2 * i + 1] = 10 * i;
    y.data[i] = i;
  }
  return { x, y };
}

const epochIds = (loader: DataLoader): number[][] => [...loader].map((b) => Array.from(b.y.data));

describe('DataLoader', () => {
  it('splits 10 samples into batches of 4, 4 and a kept partial batch of 2', () => {
    const { x, y } = numbered(10);
    const loader = new DataLoader(x, y, { batchSize: 4 });
    const batches = [...loader];
    expect(loader.length).toBe(3);
    expect(batches.map((b) => b.x.shape)).toEqual([[4, 2], [4, 2], [2, 2]]);
    expect(batches.map((b) => b.y.shape)).toEqual([[4, 1], [4, 1], [2, 1]]);
    expect(batches.map((b) => b.index)).toEqual([0, 1, 2]);
    expect(Array.from(batches[2]!.x.data)).toEqual([8, 80, 9, 90]); // unshuffled: stored order
  });

  it('drops the partial batch with dropLast', () => {
    const { x, y } = numbered(10);
    const loader = new DataLoader(x, y, { batchSize: 4, dropLast: true });
    expect(loader.length).toBe(2);
    expect([...loader].map((b) => b.x.shape[0])).toEqual([4, 4]);
  });

  it('visits every sample exactly once per shuffled epoch, with x and y rows together', () => {
    const { x, y } = numbered(103, 'float32');
    const loader = new DataLoader(x, y, { batchSize: 16, shuffle: true, seed: 7 });
    for (let epoch = 0; epoch < 3; epoch++) {
      const seen: number[] = [];
      for (const batch of loader) {
        expect(batch.x.dtype).toBe('float32');
        for (let r = 0; r < batch.indices.length; r++) {
          const id = batch.y.data[r]!;
          expect(batch.indices[r]).toBe(id);
          expect([batch.x.data[2 * r], batch.x.data[2 * r + 1]]).toEqual([id, 10 * id]);
          seen.push(id);
        }
      }
      expect(seen.length).toBe(103);
      expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 103 }, (_, i) => i));
    }
  });

  it('is reproducible for a seed, epoch by epoch', () => {
    const { x, y } = numbered(50);
    const a = new DataLoader(x, y, { batchSize: 8, shuffle: true, seed: 42 });
    const b = new DataLoader(x, y, { batchSize: 8, shuffle: true, seed: 42 });
    const aEpochs = [epochIds(a), epochIds(a)];
    expect([epochIds(b), epochIds(b)]).toEqual(aEpochs);
    // An epoch can be replayed directly, whatever ran before.
    expect([...b.epoch(1)].map((batch) => Array.from(batch.y.data))).toEqual(aEpochs[1]);
    expect(Array.from(a.order(0))).toEqual(aEpochs[0]!.flat());
  });

  it('shuffles differently across epochs and across seeds, and not at all without shuffle', () => {
    const { x, y } = numbered(50);
    const loader = new DataLoader(x, y, { batchSize: 50, shuffle: true, seed: 1 });
    const [first, second] = [epochIds(loader)[0]!, epochIds(loader)[0]!];
    expect(second).not.toEqual(first);
    const identity = Array.from({ length: 50 }, (_, i) => i);
    expect(first).not.toEqual(identity);
    expect(epochIds(new DataLoader(x, y, { batchSize: 50, shuffle: true, seed: 2 }))[0]).not.toEqual(first);
    const plain = new DataLoader(x, y, { batchSize: 50 });
    expect([epochIds(plain)[0], epochIds(plain)[0]]).toEqual([identity, identity]);
  });

  it('copies batches: writing into a batch never changes the dataset', () => {
    const { x, y } = numbered(4);
    const [batch] = [...new DataLoader(x, y, { batchSize: 4 })];
    batch!.x.data.fill(-1);
    expect(Array.from(x.data)).toEqual([0, 0, 1, 10, 2, 20, 3, 30]);
    expect(Array.from(takeRows(x, [3, 0]).data)).toEqual([3, 30, 0, 0]);
  });

  it('rejects mismatched x and y and a bad batch size, naming the shapes', () => {
    const { x } = numbered(10);
    const { y } = numbered(9);
    expect(() => new DataLoader(x, y, { batchSize: 4 })).toThrow('dataloader: x (10×2) and y (9×1) hold different numbers of samples (10 ≠ 9)');
    expect(() => new DataLoader(x, numbered(10).y, { batchSize: 0 })).toThrow('dataloader: batchSize must be a positive integer, got 0');
  });
});

// DataLoader with reuseBatches: the same batches as copies, gathered into one pair of buffers, and
// checked for NaN/±∞ on the way (so linear's input check trusts them, and still finds a bad value).
import { DataLoader } from '../../src/data/dataloader';
import { kernelArray } from '../../src/kernels/arena';
import { allFinite } from '../../src/kernels/elementwise';
import { wasmUnavailableReason } from '../../src/kernels/wasm-instance';
import { linearForward } from '../../src/ops/linear';
import { Tensor } from '../../src/tensor';

// The module's own exports object (what src/data/dataloader.ts calls through), for jest.spyOn: an `import * as`
// namespace is a copy under the esbuild transform, so a spy on it would see no call.
const gatherKernel = jest.requireActual<typeof import('../../src/kernels/gather')>('../../src/kernels/gather');

function numbered(n: number, dtype: 'float64' | 'float32' = 'float64'): { x: Tensor; y: Tensor } {
  const x = Tensor.zeros([n, 2], dtype), y = Tensor.zeros([n, 1], dtype);
  for (let i = 0; i < n; i++) {
    x.data[2 * i] = i;
    x.data[2 * i + 1] = 10 * i;
    y.data[i] = i;
  }
  return { x, y };
}

describe('DataLoader with reuseBatches', () => {
  test.each(['float64', 'float32'] as const)('%s: the same batches, shapes and order as the copying loader', (dtype) => {
    const { x, y } = numbered(23, dtype);
    const copies = new DataLoader(x, y, { batchSize: 5, shuffle: true, seed: 4 });
    const reused = new DataLoader(x, y, { batchSize: 5, shuffle: true, seed: 4, reuseBatches: true });
    for (let epoch = 0; epoch < 2; epoch++) {
      const expected = [...copies.epoch(epoch)].map((b) => ({ x: Array.from(b.x.data), y: Array.from(b.y.data), shape: b.x.shape, index: b.index }));
      const actual = [];
      for (const b of reused.epoch(epoch)) actual.push({ x: Array.from(b.x.data), y: Array.from(b.y.data), shape: b.x.shape, index: b.index });
      expect(actual).toEqual(expected);
    }
  });

  test.each(['float64', 'float32'] as const)('%s with kernelBuffers: the WebAssembly gather from an x in the kernel\'s memory gives the copying loader\'s batches', (dtype) => {
    expect(wasmUnavailableReason()).toBeNull();
    const x = new Tensor(kernelArray(dtype, 37 * 15), [37, 3, 5]), y = Tensor.zeros([37, 2], dtype);
    for (let i = 0; i < x.size; i++) x.data[i] = Math.sin(i) * 1e3; // no two rows alike, every bit of a value matters
    for (let i = 0; i < y.size; i++) y.data[i] = i;
    const plainX = new Tensor(x.data.slice(), x.shape); // the same values in a plain array
    const gather = jest.spyOn(gatherKernel, 'gatherRowsInKernel');
    try {
      const copies = new DataLoader(plainX, y, { batchSize: 8, shuffle: true, seed: 9 });
      const reused = new DataLoader(x, y, { batchSize: 8, shuffle: true, seed: 9, reuseBatches: true, kernelBuffers: true });
      const fromPlain = new DataLoader(plainX, y, { batchSize: 8, shuffle: true, seed: 9, reuseBatches: true, kernelBuffers: true });
      for (let epoch = 0; epoch < 2; epoch++) {
        const expected = [...copies.epoch(epoch)].map((b) => ({ x: Array.from(b.x.data), y: Array.from(b.y.data), shape: b.x.shape }));
        for (const loader of [reused, fromPlain]) {
          const actual = [];
          for (const b of loader.epoch(epoch)) actual.push({ x: Array.from(b.x.data), y: Array.from(b.y.data), shape: b.x.shape });
          expect(actual).toEqual(expected);
        }
      }
      reused.release();
      fromPlain.release();
      // every batch of `reused` (5 a epoch, the last of 5 rows), none of `fromPlain`, whose x is a plain array
      expect(gather.mock.results.map((r) => r.value)).toEqual(Array(10).fill(true));
    } finally {
      gather.mockRestore();
    }
  });

  test('every batch lives in the same buffers: valid until the next one', () => {
    const { x, y } = numbered(10);
    const batches = [...new DataLoader(x, y, { batchSize: 4, reuseBatches: true })];
    expect(batches[0]!.x.data.buffer).toBe(batches[1]!.x.data.buffer);
    expect(batches[2]!.x.data.buffer).toBe(batches[0]!.x.data.buffer); // the partial last batch too
    expect(batches[2]!.x.shape).toEqual([2, 2]);
  });

  test('a batch holding NaN or ±∞ is not trusted: linear still names where it is', () => {
    const { x, y } = numbered(6);
    x.data[7] = NaN; // sample 3
    const W = Tensor.fromArray([1, 0, 0, 1], [2, 2]), b = Tensor.zeros([2]);
    const batches = new DataLoader(x, y, { batchSize: 2, reuseBatches: true });
    const outcomes: string[] = [];
    for (const batch of batches) {
      try {
        linearForward(batch.x, W, b);
        outcomes.push(`ok ${allFinite(batch.x.data)}`);
      } catch (e) {
        outcomes.push((e as Error).message);
      }
    }
    expect(outcomes).toEqual(['ok true', 'linear: input contains NaN at [1,1]', 'ok true']);
  });
});

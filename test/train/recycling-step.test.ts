// train() on a Model steps without allocating (recycling-step.ts): the same bits as the seed's
// loop (forward, loss, backward, model.update), and no tensor the caller could still be holding
// from the current step is ever written.
import { DataLoader } from '../../src/data/dataloader';
import { kernelArray } from '../../src/kernels/arena';
import { Model } from '../../src/model';
import { Tensor } from '../../src/tensor';
import { Rng } from '../../src/random';
import { buildMlp, createLoss } from '../../src/train/setup';
import { train } from '../../src/train/train';

// The module's own exports object (what src/data/dataloader.ts calls through), for jest.spyOn: an `import * as`
// namespace is a copy under the esbuild transform, so a spy on it would see no call.
const gatherKernel = jest.requireActual<typeof import('../../src/kernels/gather')>('../../src/kernels/gather');

function dataset(n: number, dtype: 'float64' | 'float32') {
  const rng = new Rng(11);
  const x = new Tensor(kernelArray(dtype, n * 12), [n, 12]), y = Tensor.zeros([n, 4], dtype); // x where MNIST's lives (mnistTensors)
  for (let i = 0; i < x.size; i++) x.data[i] = rng.normal();
  for (let i = 0; i < n; i++) y.data[i * 4 + (i % 4)] = 1;
  return { x, y };
}

/** The seed's loop, with Model.update: what train() must reproduce exactly. */
function seedLoop(model: Model, data: { x: Tensor; y: Tensor }, epochs: number, lr: number, batchSize: number): void {
  const loss = createLoss('cross_entropy');
  const loader = new DataLoader(data.x, data.y, { batchSize, shuffle: true, seed: 5 });
  for (let e = 0; e < epochs; e++) {
    for (const batch of loader.epoch(e)) {
      loss.forward(model.forward(batch.x), batch.y);
      model.backward(loss.backward(), { inputGradient: false });
      model.update(lr);
    }
  }
}

describe.each(['float64', 'float32'] as const)('train with recycled buffers, %s', (dtype) => {
  test('ends with exactly the parameters of the seed loop with model.update', () => {
    const data = dataset(70, dtype);
    const viaTrain = buildMlp([12, 8, 4], { seed: 2, dtype }), viaSeed = buildMlp([12, 8, 4], { seed: 2, dtype });
    const gather = jest.spyOn(gatherKernel, 'gatherRowsInKernel');
    try {
      train(viaTrain, createLoss('cross_entropy'), { train: data }, { epochs: 3, lr: 0.3, batchSize: 16, seed: 5 });
      // train()'s batches came from its copy of x in the kernel's memory, gathered in WebAssembly
      expect(gather.mock.results.map((r) => r.value)).toEqual(Array(3 * 5).fill(true));
    } finally {
      gather.mockRestore();
    }
    seedLoop(viaSeed, data, 3, 0.3, 16);
    const values = (m: Model) => m.parameters().map((p) => Array.from(p.value.data));
    const grads = (m: Model) => m.parameters().map((p) => Array.from(p.grad!.data));
    expect(values(viaTrain)).toEqual(values(viaSeed));
    expect(grads(viaTrain)).toEqual(grads(viaSeed)); // the last gradients survive train() intact
  });

  test('a step never writes into the value it replaces (only into the value of the step before)', () => {
    const data = dataset(48, dtype);
    const model = buildMlp([12, 8, 4], { seed: 2, dtype });
    let kept: { tensor: Tensor; copy: number[] } | null = null;
    let intactAfterNextStep: boolean | null = null;
    train(model, createLoss('cross_entropy'), { train: data }, {
      epochs: 1, lr: 0.3, batchSize: 16, shuffle: false,
      onBatch: (p) => {
        const w = model.parameters()[0]!.value;
        if (p.batch === 1) kept = { tensor: w, copy: Array.from(w.data) }; // the value step 2 will use and replace
        if (p.batch === 2) intactAfterNextStep = w !== kept!.tensor && Array.from(kept!.tensor.data).every((v, i) => v === kept!.copy[i]);
      },
    });
    expect(intactAfterNextStep).toBe(true);
  });
});

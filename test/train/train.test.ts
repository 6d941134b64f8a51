// The training loop: a 2-epoch smoke test on 500 MNIST images must beat the untrained model,
// plus the loop's own contracts (schedule, early stop, divergence, metrics).
import { defaultMnistDir } from '../../cli/mnist-dir';
import { loadMnist, mnistTensors } from '../../src/data/mnist';
import type { BackwardOptions } from '../../src/model';
import { Tensor } from '../../src/tensor';
import { BatchNorm } from '../../src/layers/batch-norm';
import { buildLenet } from '../../src/train/lenet';
import { buildMlp, createLoss } from '../../src/train/setup';
import { evaluate, scheduledLr, train } from '../../src/train/train';

const data = mnistTensors(loadMnist({ dir: defaultMnistDir(), trainLimit: 500, testLimit: 1000 }));

describe('train', () => {
  it('2 epochs on 500 images raise test accuracy well above the untrained model', () => {
    const model = buildMlp([784, 50, 10], { seed: 1 });
    const loss = createLoss('cross_entropy');
    const before = evaluate(model, loss, data.test);
    const seen: number[] = [];
    const history = train(model, loss, data, { epochs: 2, lr: 0.1, batchSize: 32, seed: 1 }, (m) => seen.push(m.epoch));
    expect(seen).toEqual([1, 2]);
    const after = history[1]!;
    expect(after.testAccuracy!).toBeGreaterThan(before.accuracy + 0.3); // untrained ≈ 10%, trained ≈ 80%
    expect(after.testAccuracy!).toBeGreaterThan(0.7);
    expect(after.testLoss!).toBeLessThan(before.loss);
    expect(history[1]!.trainLoss).toBeLessThan(history[0]!.trainLoss);
    for (const m of history) {
      expect(m.seconds).toBeGreaterThan(0);
      expect(m.trainAccuracy).toBeGreaterThanOrEqual(0);
      expect(m.trainAccuracy).toBeLessThanOrEqual(1);
    }
  });

  it('is reproducible: same seed, same metrics', () => {
    const run = () =>
      train(buildMlp([784, 20, 10], { seed: 3 }), createLoss('mse_softmax'), { train: data.train }, { epochs: 1, lr: 0.5, batchSize: 64, seed: 3 })[0]!;
    const [a, b] = [run(), run()];
    expect([b.trainLoss, b.trainAccuracy]).toEqual([a.trainLoss, a.trainAccuracy]);
    expect(b.testAccuracy).toBeUndefined();
  });

  it('stops when stopWhen says so, and evaluates the training set when asked', () => {
    const small = { x: new Tensor(data.train.x.data.slice(0, 20 * 784), [20, 784]), y: new Tensor(data.train.y.data.slice(0, 200), [20, 10]) };
    const model = buildMlp([784, 50, 10], { seed: 0 });
    const loss = createLoss('cross_entropy');
    const history = train(model, loss, { train: small }, { epochs: 200, lr: 0.1, batchSize: 20, evaluateTrain: true, stopWhen: (m) => m.trainAccuracy === 1 });
    expect(history.length).toBeLessThan(200);
    expect(history[history.length - 1]!.trainAccuracy).toBe(1);
    expect(evaluate(model, loss, small).accuracy).toBe(1);
  });

  it('asks the model for parameter gradients only: the input is data, its gradient unused', () => {
    const model = buildMlp([784, 10], { seed: 0 });
    const seen: unknown[] = [];
    const watched = {
      forward: (x: Tensor) => model.forward(x),
      backward: (g: Tensor, options?: BackwardOptions) => (seen.push(options), model.backward(g, options)),
      update: (lr: number) => model.update(lr),
    };
    train(watched, createLoss('cross_entropy'), data, { epochs: 1, lr: 0.1, batchSize: 100 });
    expect(seen).toEqual(Array(5).fill({ inputGradient: false }));
  });

  it('switches a model with modes to training for the steps and to evaluation for the test pass', () => {
    const model = buildMlp([784, 10], { seed: 0 });
    const seen: string[] = [];
    const watched = {
      forward: (x: Tensor) => (seen.push('forward'), model.forward(x)),
      backward: (g: Tensor, options?: BackwardOptions) => model.backward(g, options),
      update: (lr: number) => model.update(lr),
      setTraining: (training: boolean) => seen.push(training ? 'train' : 'eval'),
    };
    const test = { x: new Tensor(data.test.x.data.slice(0, 10 * 784), [10, 784]), y: new Tensor(data.test.y.data.slice(0, 100), [10, 10]) };
    train(watched, createLoss('cross_entropy'), { train: data.train, test }, { epochs: 2, lr: 0.1, batchSize: 250, evalBatchSize: 10 });
    expect(seen.join(' ')).toBe('train forward forward eval forward train forward forward eval forward');
  });

  it('puts every BatchNorm of a LeNet in evaluation mode and back', () => {
    const lenet = buildLenet({ batchNorm: true });
    const norms = lenet.layers.filter((l): l is BatchNorm => l instanceof BatchNorm);
    expect(norms).toHaveLength(2);
    lenet.setTraining(false);
    expect(norms.map((l) => l.training)).toEqual([false, false]);
    lenet.setTraining(true);
    expect(norms.map((l) => l.training)).toEqual([true, true]);
  });

  it('decays the learning rate linearly to 0 with the linear schedule', () => {
    expect(scheduledLr(0.2, 'constant', 50, 100)).toBe(0.2);
    expect(scheduledLr(0.2, 'linear', 0, 100)).toBe(0.2);
    expect(scheduledLr(0.2, 'linear', 50, 100)).toBeCloseTo(0.1, 12);
    expect(() => train(buildMlp([784, 10]), createLoss('mse'), data, { epochs: 1, lr: 0.1, batchSize: 10, schedule: 'cosine' as 'linear' })).toThrow(
      "train: unknown schedule 'cosine'; expected 'constant' or 'linear'",
    );
  });

  it('says which epoch and batch diverged when the loss stops being finite', () => {
    expect(() => train(buildMlp([784, 50, 10], { seed: 0 }), createLoss('mse'), data, { epochs: 1, lr: 1e6, batchSize: 50 })).toThrow(
      /train: loss is (NaN|Infinity) at epoch 1, batch \d+ of 10; the learning rate 1000000 is probably too high|contains (NaN|Infinity)/,
    );
  });

  it('rejects bad options and unknown losses', () => {
    expect(() => train(buildMlp([784, 10]), createLoss('mse'), data, { epochs: 1, lr: -1, batchSize: 10 })).toThrow('train: lr must be a positive number, got -1');
    expect(() => createLoss('hinge')).toThrow("createLoss: unknown loss 'hinge'; expected one of mse, mse_softmax, cross_entropy");
    expect(() => buildMlp([784])).toThrow('train: an MLP needs at least input and output sizes');
  });
});

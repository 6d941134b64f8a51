// Cases for spec/ops/batch_norm.md. Each expect() writes fixtures/batch_norm/<id>.json.
import { opCases, type Attributes, type CaseSpec, type Values } from '../define-op';
import { normalizeBackward, normalizeStats } from '../formulas/norm';
import type { Graph } from '../onnx/graph';
import type { Feature } from '../../spec/types/fixture';
import type { Prng } from '../prng';
import { randn, tensor, uniform } from '../tensor';

/** The channel axis is 1; the statistics run over every other axis: [0] for (N, C), [0, 2, 3] for (N, C, H, W). */
function layout(g: Graph, x: string) {
  const shape = g.inputShape(x);
  const axes = shape.map((_, i) => i).filter((i) => i !== 1);
  const count = axes.reduce((n, i) => n * shape[i]!, 1); // n = N·H·W values per channel
  const perChannel = (v: string) => g.op('Reshape', [v, g.constant([shape[1]!, ...shape.slice(2).map(() => 1)], [shape.length - 1], 'int64')]);
  return { axes, count, perChannel, C: shape[1]! };
}

const attr = (a: Attributes) => ({
  training: a.training !== false,
  momentum: typeof a.momentum === 'number' ? a.momentum : 0.1,
  eps: typeof a.eps === 'number' ? a.eps : 1e-5,
});

const batchNorm = opCases('batch_norm', {
  // Evaluation: y and the running statistics by f4, the gradients by b3.
  rules: (c) => (c.attribute('training') === false ? { 'forward.y': 'f4', 'forward.running_mean_out': 'f4', 'forward.running_var_out': 'f4', 'backward.grad_inputs.x': 'b3', 'backward.grad_params.gamma': 'b3', 'backward.grad_params.beta': 'b3' } : {}),
  forward: (g, v, a): Values => {
    const { training, momentum, eps } = attr(a);
    const { axes, count, perChannel, C } = layout(g, v.x!);
    if (!training) {
      // f4: ONNX's own BatchNormalization (inference) with the running statistics; they pass through.
      const y = g.op('BatchNormalization', [v.x!, v.gamma!, v.beta!, v.running_mean!, v.running_var!], { epsilon: eps });
      return { y, running_mean_out: g.op('Identity', [v.running_mean!]), running_var_out: g.op('Identity', [v.running_var!]) };
    }
    // f1–f2: batch statistics, biased variance; f3: the running ones move toward the mean and the unbiased variance.
    const s = normalizeStats(g, v.x!, axes, eps);
    const y = g.op('Add', [g.op('Mul', [s.xhat, perChannel(v.gamma!)]), perChannel(v.beta!)]);
    const flat = (t: string) => g.op('Reshape', [t, g.constant([C], [1], 'int64')]);
    const blend = (running: string, batch: string) =>
      g.op('Add', [g.op('Mul', [g.constant(1 - momentum), running]), g.op('Mul', [g.constant(momentum), batch])]);
    const unbiased = g.op('Mul', [flat(s.variance), g.constant(count / (count - 1))]);
    return { y, running_mean_out: blend(v.running_mean!, flat(s.mean)), running_var_out: blend(v.running_var!, unbiased), xhat: s.xhat, invStd: s.invStd };
  },
  backward: (g, v, dy, a, out) => {
    const { training, eps } = attr(a);
    const { axes, perChannel } = layout(g, v.x!);
    const sum = (t: string) => g.op('ReduceSum', [t, g.axes(axes)], { keepdims: 0 });
    let xhat = out.xhat!, invStd = out.invStd!;
    if (!training) {
      invStd = g.op('Div', [g.constant(1), g.op('Sqrt', [g.op('Add', [perChannel(v.running_var!), g.constant(eps)])])]);
      xhat = g.op('Mul', [g.op('Sub', [v.x!, perChannel(v.running_mean!)]), invStd]);
    }
    const gradXhat = g.op('Mul', [dy.y!, perChannel(v.gamma!)]);
    return {
      // b1: the three-term gradient through the batch statistics; b3: in eval they are constants.
      x: training ? normalizeBackward(g, gradXhat, xhat, invStd, axes) : g.op('Mul', [gradXhat, invStd]),
      gamma: sum(g.op('Mul', [dy.y!, xhat])), // b2
      beta: sum(dy.y!),
    };
  },
  // ORT's BatchNormalization in training mode: y and the running mean (its running variance blends
  // the biased variance, ONNX's definition, so f3's unbiased one is not compared).
  native: {
    forward: (g, v, a): Values => {
      const { training, momentum, eps } = attr(a);
      if (!training) return { y: g.op('BatchNormalization', [v.x!, v.gamma!, v.beta!, v.running_mean!, v.running_var!], { epsilon: eps }) };
      const [y, runningMean] = g.opOutputs('BatchNormalization', [v.x!, v.gamma!, v.beta!, v.running_mean!, v.running_var!], 3, {
        epsilon: eps,
        momentum: 1 - momentum,
        training_mode: 1,
      });
      return { y: y!, running_mean_out: runningMean! };
    },
  },
});

interface Norm {
  shape: number[];
  training?: boolean;
  momentum?: number;
  eps?: number;
}

/** x ~ N(mean 1.5, 2²) so normalizing has work to do; γ around 1, β around 0; running statistics as after some training. */
function randomNorm(rng: Prng, n: Norm) {
  const C = n.shape[1]!;
  return {
    inputs: { x: randn(rng, n.shape, { mean: 1.5, std: 2 }), running_mean: randn(rng, [C], { std: 0.5 }), running_var: uniform(rng, [C], 0.5, 2) },
    params: { gamma: randn(rng, [C], { mean: 1, std: 0.3 }), beta: randn(rng, [C], { std: 0.3 }) },
  };
}

const attributesOf = (n: Norm): Attributes => ({ training: n.training ?? true, momentum: n.momentum ?? 0.1, eps: n.eps ?? 1e-5 });

function randomCase(id: string, rule: CaseSpec['rule'], why: string, n: Norm, features: Feature[], extra: Partial<CaseSpec> = {}): void {
  const mode = n.training === false ? 'eval' : 'training';
  batchNorm.expect({
    id,
    rule,
    description: `${why}: x ${n.shape.join('×')}, ${mode}${n.momentum !== undefined ? `, momentum ${n.momentum}` : ''}${n.eps !== undefined ? `, eps ${n.eps}` : ''}`,
    features: n.training === false ? ['eval-mode', ...features] : features,
    attributes: attributesOf(n),
    data: (rng) => randomNorm(rng, n),
    ...extra,
  });
}

batchNorm.expect({
  id: 'readable-2d-training',
  rule: 'f2',
  description: 'four rows, two features, γ = 1, β = 0, fresh running statistics (0 and 1)',
  features: ['readable'],
  attributes: attributesOf({ shape: [4, 2] }),
  data: () => ({
    inputs: { x: tensor([4, 2], [1, 10, 2, 20, 3, 30, 6, 60]), running_mean: tensor([2], [0, 0]), running_var: tensor([2], [1, 1]) },
    params: { gamma: tensor([2], [1, 1]), beta: tensor([2], [0, 0]) },
    grad_output: { y: tensor([4, 2], [1, 0, -1, 0, 0.5, 1, 0, -1]) },
  }),
});

randomCase('batch-2-unbiased', 'f3', 'two rows: the unbiased variance is twice the biased one', { shape: [2, 3] }, []);
randomCase('training-2d', 'f1', 'features of a batch', { shape: [8, 5] }, ['odd-shape']);
randomCase('training-4d', 'b1', 'feature maps, statistics over N, H and W', { shape: [4, 3, 5, 5] }, ['odd-shape']);
randomCase('training-4d-momentum', 'f3', 'a larger momentum and eps', { shape: [3, 2, 4, 3], momentum: 0.3, eps: 1e-3 }, ['odd-shape']);
randomCase('training-gamma-beta', 'b2', 'dγ and dβ sum over N, H and W', { shape: [2, 4, 3, 3] }, []);
randomCase('batch-1-training-4d', 's1', 'one image: the statistics run over its H·W = 16 pixels', { shape: [1, 3, 4, 4] }, ['batch-1']);
randomCase('eval-2d', 'f4', 'running statistics instead of the batch', { shape: [6, 4], training: false }, []);
randomCase('eval-4d', 'b3', 'running statistics: dx is dy·γ/√(var + eps)', { shape: [3, 3, 4, 5], training: false }, ['odd-shape']);
randomCase('batch-1-eval-2d', 'b3', 'one row in eval mode, where one value per channel is fine', { shape: [1, 5], training: false }, ['batch-1']);
randomCase('update-2-steps', 'u1', 'two SGD steps (lr 0.1) on γ and β', { shape: [4, 3, 3, 3] }, [], { update: { lr: 0.1, steps: 2 } });
randomCase('large-training', 'b1', 'a LeNet-sized layer', { shape: [8, 6, 10, 10] }, ['large']);

batchNorm.expect({
  id: 'constant-channel',
  rule: 's2',
  description: 'channel 0 is constant: variance 0, and eps (0.01 here) keeps y = β and dx finite',
  features: ['uniform-input'],
  // eps 0.01, not 1e-5: at variance 0 the output curves on the scale √eps, and central differences
  // with step 1e-5 would be too coarse to check a 1/√1e-5 = 316 slope to 1e-7.
  attributes: attributesOf({ shape: [4, 2], eps: 0.01 }),
  data: (rng) => ({
    inputs: { x: tensor([4, 2], [3, 0.5, 3, -1, 3, 2, 3, 0.25]), running_mean: tensor([2], [0, 0]), running_var: tensor([2], [1, 1]) },
    params: { gamma: randn(rng, [2], { mean: 1, std: 0.3 }), beta: randn(rng, [2], { std: 0.3 }) },
  }),
});

// No attributes: the spec's defaults (training, momentum 0.1, eps 1e-5) must apply. Every other case
// gives all three, so a wrong default passed them all.
batchNorm.expect({
  id: 'default-attributes',
  rule: 'f3',
  description: 'no attributes: training, momentum 0.1 and eps 1e-5 by default: x 3×2×3×2',
  features: ['odd-shape'],
  attributes: {},
  data: (rng) => randomNorm(rng, { shape: [3, 2, 3, 2] }),
});

randomCase('float32-training-4d', 'b1', 'float32 variant', { shape: [4, 3, 5, 5] }, ['odd-shape'], { dtype: 'float32' });
randomCase('float32-eval-4d', 'b3', 'float32 variant', { shape: [3, 3, 4, 5], training: false }, ['odd-shape'], { dtype: 'float32' });

export default batchNorm;

// An adapter that validates a real third-party library: TensorFlow.js (tfjs-core + the cpu backend),
// gradients from its own autodiff (tf.grads) and updates from its own optimizers (tf.train.sgd,
// tf.train.momentum, tf.train.adam; weight decay as the L2 term a tfjs user adds, AdamW and dampening
// have no tfjs equivalent and are declined).
// tfjs has no float64 dtype, so the adapter declares float32 only: float64 cases are reported as not
// run rather than judged against float32 arithmetic. Activations map by their registry entry's tfjs
// equivalent (`tf.sigmoid`); the other ops are written out in plan().
// Load it through tsx (the CLI does): tfjs-core's gradient definitions ship only as ES modules.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { OPS, OP_NAMES, type OpName } from '../../spec/registry';
import { batchNormTf, conv2dTf, layerNormTf, poolTf } from './tfjs-cnn';
import type { CaseReply, CaseRequest, Implementation, Tensor, TensorMap } from '../implementation';
import type { Optimizer } from '../../spec/types/fixture';

// eslint-disable-next-line @typescript-eslint/no-require-imports
require('@tensorflow/tfjs-core/dist/register_all_gradients');

type TfTensor = tf.Tensor;
type Forward = (values: Record<string, TfTensor>) => Record<string, TfTensor>;

interface OpPlan {
  forward: Forward;
  seeded: string; // the one output the gradient flows from
  differentiable: string[];
}

function toTf(t: Tensor): TfTensor {
  return tf.tensor(Float32Array.from(t.data), t.shape, 'float32');
}

function fromTf(x: TfTensor, dtype: Tensor['dtype']): Tensor {
  const data = x.dataSync() as Float32Array;
  return { dtype, shape: [...x.shape], data: dtype === 'float32' ? Float32Array.from(data) : Float64Array.from(data) };
}

const reductionOf = (reduction: unknown) => (reduction === 'sum' ? tf.Reduction.SUM : tf.Reduction.SUM_BY_NONZERO_WEIGHTS);

/**
 * cross_entropy_index: softmaxCrossEntropy on tf.oneHot(target) with a weight of 0 on ignored rows;
 * SUM_BY_NONZERO_WEIGHTS then divides by the rows kept, PyTorch's divisor (cross_entropy_index f2).
 */
function crossEntropyIndex(logits: TfTensor, target: TfTensor, a: CaseRequest['attributes']): TfTensor {
  const ignore = typeof a.ignore_index === 'number' ? a.ignore_index : -100;
  const weights = tf.cast(tf.notEqual(target, ignore), 'float32');
  const labels = tf.oneHot(tf.cast(target, 'int32'), logits.shape[1]!); // an out-of-range index (−100) is a zero row
  return tf.losses.softmaxCrossEntropy(labels, logits, weights, 0, reductionOf(a.reduction));
}

const lossOf = (kind: unknown, logits: TfTensor, target: TfTensor, reduction: unknown): TfTensor => {
  if (kind === 'mse') return tf.losses.meanSquaredError(target, logits);
  if (kind === 'mse_softmax') return tf.losses.meanSquaredError(target, tf.softmax(logits));
  const r = reduction === 'sum' ? tf.Reduction.SUM : tf.Reduction.SUM_BY_NONZERO_WEIGHTS;
  return tf.losses.softmaxCrossEntropy(target, logits, undefined, 0, r);
};

/** `tf.sigmoid` → tf's unary function sigmoid, when the registry names one for an activation. */
function tfActivation(op: OpName): ((x: TfTensor) => TfTensor) | undefined {
  const entry = OPS[op];
  const name = /^tf\.(\w+)$/.exec(entry.equivalents.tfjs ?? '')?.[1];
  if (entry.kind !== 'activation' || !name) return undefined;
  const fn = (tf as unknown as Record<string, unknown>)[name];
  return typeof fn === 'function' ? (x) => (fn as (x: TfTensor) => TfTensor)(x) : undefined;
}

/** gelu (spec/ops/gelu.md): tfjs-core 4.22 has no gelu, so both forms are composed from tf.erf and tf.tanh. */
function tfGelu(x: TfTensor, approximate: unknown): TfTensor {
  if (approximate === 'tanh') {
    const inner = tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.mul(tf.mul(x, x), x))));
    return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));
  }
  return tf.mul(x, tf.mul(0.5, tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2)))));
}

/** dropout (spec/ops/dropout.md): tf.dropout draws its own mask, so the given one is applied with tf.mul. */
function tfDropout(x: TfTensor, mask: TfTensor, p: unknown, training: unknown): TfTensor {
  if (training === false) return tf.clone(x);
  return tf.mul(tf.mul(x, mask), 1 / (1 - (typeof p === 'number' ? p : 0.5)));
}

/** The mlp's hidden activation by op name (mlp f5), through the registry's tfjs equivalent like any activation. */
function hiddenActivation(name: unknown): (x: TfTensor) => TfTensor {
  const op = name ?? 'relu';
  if (op === 'leaky_relu') return (x) => tf.leakyRelu(x, 0.01); // the spec's default alpha; tf.leakyRelu's is 0.2
  const fn = typeof op === 'string' && OP_NAMES.includes(op as OpName) ? tfActivation(op as OpName) : undefined;
  if (!fn) throw new Error(`tfjs adapter: mlp activation ${JSON.stringify(op)} has no tfjs equivalent`);
  return fn;
}

const WRITTEN_OUT: readonly OpName[] = [
  'matmul', 'linear', 'leaky_relu', 'gelu', 'dropout', 'mse', 'mse_softmax', 'cross_entropy', 'cross_entropy_index', 'binary_cross_entropy_with_logits', 'sgd', 'mlp',
  'conv2d', 'max_pool2d', 'avg_pool2d', 'flatten', 'batch_norm', 'layer_norm', 'cnn',
];

/** The ops this adapter maps; others are reported as not run. */
export const TFJS_OPS: readonly OpName[] = OP_NAMES.filter((op) => WRITTEN_OUT.includes(op) || tfActivation(op));

function plan(request: CaseRequest): OpPlan {
  const a = request.attributes;
  const params = Object.keys(request.params);
  const activation = tfActivation(request.op);
  if (activation) return { forward: (v) => ({ y: activation(v.x!) }), seeded: 'y', differentiable: ['x'] };
  switch (request.op) {
    case 'matmul':
      return { forward: (v) => ({ y: tf.matMul(v.a!, v.b!) }), seeded: 'y', differentiable: ['a', 'b'] };
    case 'linear':
      // bias: false has no b (linear f2): tf.layers.dense({ useBias: false }) computes x·W alone.
      return { forward: (v) => ({ y: v.b ? tf.add(tf.matMul(v.x!, v.W!), v.b) : tf.matMul(v.x!, v.W!) }), seeded: 'y', differentiable: ['x', ...params] };
    case 'leaky_relu': // tf.leakyRelu's default alpha is 0.2, PyTorch's (and the spec's) 0.01: always pass it
      return { forward: (v) => ({ y: tf.leakyRelu(v.x!, typeof a.alpha === 'number' ? a.alpha : 0.01) }), seeded: 'y', differentiable: ['x'] };
    case 'gelu':
      return { forward: (v) => ({ y: tfGelu(v.x!, a.approximate) }), seeded: 'y', differentiable: ['x'] };
    case 'dropout':
      return { forward: (v) => ({ y: tfDropout(v.x!, v.mask!, a.p, a.training) }), seeded: 'y', differentiable: ['x'] };
    case 'mse':
      return { forward: (v) => ({ loss: lossOf('mse', v.prediction!, v.target!, null) }), seeded: 'loss', differentiable: ['prediction'] };
    case 'mse_softmax':
    case 'cross_entropy': {
      const op = request.op;
      return { forward: (v) => ({ loss: lossOf(op, v.logits!, v.target!, a.reduction) }), seeded: 'loss', differentiable: ['logits'] };
    }
    case 'cross_entropy_index':
      return { forward: (v) => ({ loss: crossEntropyIndex(v.logits!, v.target!, a) }), seeded: 'loss', differentiable: ['logits'] };
    case 'binary_cross_entropy_with_logits':
      // tf.losses.sigmoidCrossEntropy is the stable form; it has no pos_weight (declined).
      if (request.inputs.pos_weight) throw new Error('tfjs adapter: tf.losses.sigmoidCrossEntropy has no pos_weight');
      return { forward: (v) => ({ loss: tf.losses.sigmoidCrossEntropy(v.target!, v.logits!, undefined, 0, reductionOf(a.reduction)) }), seeded: 'loss', differentiable: ['logits'] };
    case 'sgd': {
      const decay = Number(a.weight_decay ?? 0); // sgd f4, written out: tfjs has no weight decay
      return { forward: (v) => ({ param_next: tf.sub(v.param!, tf.mul(Number(a.lr), tf.add(v.grad!, tf.mul(decay, v.param!)))) }), seeded: 'param_next', differentiable: [] };
    }
    case 'mlp': {
      const layers = (a.sizes as number[]).length - 1;
      return {
        forward: (v) => {
          let h = v.x!;
          for (let i = 0; i < layers; i++) {
            h = tf.add(tf.matMul(h, v[`W${i}`]!), v[`b${i}`]!);
            if (i < layers - 1) h = hiddenActivation(a.activation)(h);
          }
          return { logits: h, loss: lossOf(a.loss, h, v.target!, a.reduction) };
        },
        seeded: 'loss',
        differentiable: ['x', ...params],
      };
    }
    case 'conv2d':
      return { forward: (v) => ({ y: conv2dTf(v.x!, v.W!, v.b, a) }), seeded: 'y', differentiable: ['x', ...params] };
    case 'max_pool2d':
      return { forward: (v) => ({ y: poolTf('max', v.x!, a) }), seeded: 'y', differentiable: ['x'] };
    case 'avg_pool2d':
      return { forward: (v) => ({ y: poolTf('avg', v.x!, a) }), seeded: 'y', differentiable: ['x'] };
    case 'flatten': {
      const shape = request.inputs.x!.shape;
      const start = typeof a.start_axis === 'number' ? (a.start_axis < 0 ? a.start_axis + shape.length : a.start_axis) : 1;
      return { forward: (v) => ({ y: tf.reshape(v.x!, [...shape.slice(0, start), -1]) }), seeded: 'y', differentiable: ['x'] };
    }
    case 'batch_norm':
      return { forward: (v) => batchNormTf(v, a), seeded: 'y', differentiable: ['x', ...params] };
    case 'layer_norm':
      return { forward: (v) => ({ y: layerNormTf(v.x!, v.gamma!, v.beta!, a) }), seeded: 'y', differentiable: ['x', ...params] };
    case 'cnn': {
      const padding = (a.padding as number[] | undefined) ?? [0, 0];
      const pool = [a.pool ?? 2, a.pool ?? 2];
      return {
        forward: (v) => {
          let h = v.x!;
          for (const i of [0, 1]) {
            h = tf.relu(conv2dTf(h, v[`W${i}`]!, v[`b${i}`]!, { padding: [padding[i]!, padding[i]!] }));
            h = poolTf('max', h, { kernel_size: pool as number[], stride: pool as number[] });
          }
          const logits = tf.add(tf.matMul(tf.reshape(h, [h.shape[0]!, -1]), v.W2!), v.b2!);
          return { logits, loss: lossOf('cross_entropy', logits, v.target!, a.reduction) };
        },
        seeded: 'loss',
        differentiable: ['x', ...params],
      };
    }
    default:
      throw new Error(`tfjs adapter: op '${request.op}' is not mapped`);
  }
}

function mapOut(map: Record<string, TfTensor>, dtype: Tensor['dtype']): TensorMap {
  return Object.fromEntries(Object.entries(map).map(([k, t]) => [k, fromTf(t, dtype)]));
}

function gradients(p: OpPlan, values: Record<string, TfTensor>, seed: TfTensor): Record<string, TfTensor> {
  const names = p.differentiable;
  const f = (...xs: TfTensor[]): TfTensor => p.forward({ ...values, ...Object.fromEntries(names.map((n, i) => [n, xs[i]!])) })[p.seeded]!;
  const grads = tf.grads(f)(names.map((n) => values[n]!), seed);
  return Object.fromEntries(names.map((n, i) => [n, grads[i]!]));
}

/** tfjs's optimizer for a config, and where it keeps each param's state (by the param's position), or why there is none. */
interface TfOptimizer {
  optimizer: tf.Optimizer;
  /** λ of coupled weight decay, which the adapter adds to the gradient (tfjs has none): what a ½λ‖p‖² loss term gives. */
  decay: number;
  state(index: number): Record<string, TfTensor>;
}

type Slot = { variable: TfTensor }[];

function tfOptimizer(config: Optimizer): TfOptimizer {
  if (config.type !== 'sgd') {
    if (config.type === 'adamw') throw new Error('tfjs adapter: tf.train has no AdamW (decoupled weight decay)');
    const optimizer = tf.train.adam(config.lr, config.betas[0], config.betas[1], config.eps);
    // The moments: tfjs's getWeights() returns these same variables, but asynchronously.
    const slots = optimizer as unknown as { accumulatedFirstMoment: Slot; accumulatedSecondMoment: Slot };
    return { optimizer, decay: config.weight_decay, state: (i) => ({ exp_avg: slots.accumulatedFirstMoment[i]!.variable, exp_avg_sq: slots.accumulatedSecondMoment[i]!.variable }) };
  }
  const { momentum = 0, dampening = 0, nesterov = false, weight_decay: decay = 0 } = config;
  if (momentum === 0) return { optimizer: tf.train.sgd(config.lr), decay, state: () => ({}) };
  if (dampening !== 0) throw new Error('tfjs adapter: tf.train.momentum has no dampening');
  // tfjs's accumulator starts at zero and adds the gradient undamped: PyTorch's buffer when dampening is 0.
  const optimizer = tf.train.momentum(config.lr, momentum, nesterov);
  const slots = optimizer as unknown as { accumulations: Slot };
  return { optimizer, decay, state: (i) => ({ momentum_buffer: slots.accumulations[i]!.variable }) };
}

function runCase(request: CaseRequest): CaseReply {
  const dtype = request.dtype;
  const p = plan(request);
  const values: Record<string, TfTensor> = {};
  for (const [k, t] of Object.entries({ ...request.inputs, ...request.params })) values[k] = toTf(t);
  const reply: CaseReply = { forward: mapOut(p.forward(values), dtype) };
  const seed = request.grad_output?.[p.seeded];
  if (!seed) return reply;

  const grads = gradients(p, values, toTf(seed));
  const paramNames = Object.keys(request.params);
  reply.grad_inputs = mapOut(Object.fromEntries(Object.entries(grads).filter(([k]) => !paramNames.includes(k))), dtype);
  reply.grad_params = mapOut(Object.fromEntries(paramNames.map((k) => [k, grads[k]!])), dtype);

  if (request.optimizer) {
    const { optimizer, decay, state } = tfOptimizer(request.optimizer);
    const variables = Object.fromEntries(paramNames.map((k) => [k, tf.variable(values[k]!, true, `gradspec_${k}_${Math.random()}`)]));
    const losses: number[] = [];
    for (let s = 0; s < request.optimizer.steps; s++) {
      const current = { ...values, ...variables };
      const outputs = p.forward(current);
      if (outputs.loss) losses.push(outputs.loss.dataSync()[0]!);
      const g = gradients(p, current, toTf(seed));
      const decayed = (k: string) => (decay ? tf.add(g[k]!, tf.mul(decay, variables[k]!)) : g[k]!);
      optimizer.applyGradients(Object.fromEntries(paramNames.map((k) => [variables[k]!.name, decayed(k)])));
    }
    reply.params = mapOut(variables, dtype);
    if (losses.length) reply.losses = { dtype, shape: [losses.length], data: dtype === 'float32' ? Float32Array.from(losses) : Float64Array.from(losses) };
    const byKind: Record<string, TensorMap> = {};
    paramNames.forEach((k, i) => {
      for (const [kind, t] of Object.entries(state(i))) (byKind[kind] ??= {})[k] = fromTf(t, dtype);
    });
    if (Object.keys(byKind).length) reply.state = byKind;
    Object.values(variables).forEach((v) => v.dispose());
    optimizer.dispose();
  }
  return reply;
}

export async function createTfjsImplementation(): Promise<Implementation> {
  tf.env().set('PROD', true); // silences the "install tfjs-node" banner
  await tf.setBackend('cpu');
  return {
    name: `TensorFlow.js ${tf.version_core} (cpu backend, float32)`,
    ops: TFJS_OPS,
    dtypes: ['float32'],
    async run(request) {
      let reply: CaseReply | undefined;
      tf.tidy(() => {
        reply = runCase(request); // the reply holds typed arrays only; tidy frees every tf tensor
      });
      return reply!;
    },
  };
}

// An adapter that validates a real third-party library: TensorFlow.js (tfjs-core + the cpu backend),
// gradients from its own autodiff (tf.grads) and updates from its own optimizer (tf.train.sgd).
// tfjs has no float64 dtype, so the adapter declares float32 only: float64 cases are reported as not
// run rather than judged against float32 arithmetic. Activations map by their registry entry's tfjs
// equivalent (`tf.sigmoid`); the other ops are written out in plan().
// Load it through tsx (the CLI does): tfjs-core's gradient definitions ship only as ES modules.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { OPS, OP_NAMES, type OpName } from '../../spec/registry';
import type { CaseReply, CaseRequest, Implementation, Tensor, TensorMap } from '../implementation';

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

// --- The CNN layers. tfjs is NHWC: x and y are transposed at the edges, and its filters are (kH, kW, in, out).
const toNhwc = (x: TfTensor) => tf.transpose(x, [0, 2, 3, 1]);
const toNchw = (x: TfTensor) => tf.transpose(x, [0, 3, 1, 2]);
const pair = (v: unknown, fallback: number): [number, number] => (Array.isArray(v) ? [Number(v[0]), Number(v[1])] : [fallback, fallback]);
/** conv2d's padding as tfjs's explicit NHWC padding: [[0, 0], [top, bottom], [left, right], [0, 0]]. */
function explicitPadding(padding: unknown): [[number, number], [number, number], [number, number], [number, number]] {
  const p = Array.isArray(padding) ? padding.map(Number) : [0, 0];
  const [top, left, bottom, right] = p.length === 4 ? p : [p[0]!, p[1]!, p[0]!, p[1]!];
  return [[0, 0], [top!, bottom!], [left!, right!], [0, 0]];
}

/**
 * conv2d: tf.conv2d; tf.depthwiseConv2d when groups = C; other groups as tfjs has no grouped
 * convolution: one tf.conv2d per group on tf.split channels, joined by tf.concat.
 */
function conv2dTf(x: TfTensor, W: TfTensor, b: TfTensor | undefined, a: CaseRequest['attributes']): TfTensor {
  const groups = typeof a.groups === 'number' ? a.groups : 1;
  const [O, Cg, kH, kW] = W.shape as [number, number, number, number];
  const C = x.shape[1]!;
  const strides = pair(a.stride, 1), dilations = pair(a.dilation, 1), pad = explicitPadding(a.padding);
  let y: TfTensor;
  if (groups === 1) {
    y = tf.conv2d(toNhwc(x) as tf.Tensor4D, tf.transpose(W, [2, 3, 1, 0]) as tf.Tensor4D, strides, pad, 'NHWC', dilations);
  } else if (groups === C && Cg === 1) {
    const filter = tf.transpose(tf.reshape(W, [C, O / C, kH, kW]), [2, 3, 0, 1]) as tf.Tensor4D; // (kH, kW, C, multiplier)
    y = tf.depthwiseConv2d(toNhwc(x) as tf.Tensor4D, filter, strides, pad, 'NHWC', dilations);
  } else {
    const xs = tf.split(toNhwc(x), groups, 3), ws = tf.split(W, groups, 0);
    y = tf.concat(xs.map((xg, g) => tf.conv2d(xg as tf.Tensor4D, tf.transpose(ws[g]!, [2, 3, 1, 0]) as tf.Tensor4D, strides, pad, 'NHWC', dilations)), 3);
  }
  const out = toNchw(y);
  return b ? tf.add(out, tf.reshape(b, [O, 1, 1])) : out;
}

/** max_pool2d and avg_pool2d with [pH, pW] padding: tfjs pools take one number; count_include_pad true is zero padding then 'valid'. */
function poolTf(kind: 'max' | 'avg', x: TfTensor, a: CaseRequest['attributes']): TfTensor {
  const kernel = pair(a.kernel_size, 1);
  const strides = pair(a.stride ?? a.kernel_size, 1);
  const [pH, pW] = pair(a.padding, 0);
  const xh = toNhwc(x) as tf.Tensor4D;
  if (kind === 'max') {
    if (pH !== pW) throw new Error(`tfjs adapter: tf.maxPool pads every side alike, not [${pH}, ${pW}]`);
    return toNchw(tf.maxPool(xh, kernel, strides, pH));
  }
  // tf.avgPool divides by the window's elements inside x (TensorFlow's rule): count_include_pad false.
  if (a.count_include_pad === false) {
    if (pH !== pW) throw new Error(`tfjs adapter: tf.avgPool pads every side alike, not [${pH}, ${pW}]`);
    return toNchw(tf.avgPool(xh, kernel, strides, pH));
  }
  const padded = tf.pad(xh, [[0, 0], [pH, pH], [pW, pW], [0, 0]]);
  return toNchw(tf.avgPool(padded as tf.Tensor4D, kernel, strides, 'valid'));
}

/**
 * batch_norm: tf.moments for the batch statistics (biased), tf.batchNorm to normalize (channels last,
 * as its gradient expects: a 4-D x is transposed to NHWC); the running statistics are arithmetic.
 */
function batchNormTf(v: Record<string, TfTensor>, a: CaseRequest['attributes']): Record<string, TfTensor> {
  const four = v.x!.shape.length === 4;
  const x = four ? toNhwc(v.x!) : v.x!;
  const eps = typeof a.eps === 'number' ? a.eps : 1e-5;
  const momentum = typeof a.momentum === 'number' ? a.momentum : 0.1;
  const back = (y: TfTensor) => (four ? toNchw(y) : y);
  if (a.training === false) {
    const y = tf.batchNorm(x, v.running_mean!, v.running_var!, v.beta!, v.gamma!, eps);
    return { y: back(y), running_mean_out: v.running_mean!, running_var_out: v.running_var! };
  }
  const { mean, variance } = tf.moments(x, four ? [0, 1, 2] : [0]);
  const n = x.size / v.gamma!.size;
  const y = tf.batchNorm(x, mean, variance, v.beta!, v.gamma!, eps);
  const blend = (running: TfTensor, batch: TfTensor) => tf.add(tf.mul(1 - momentum, running), tf.mul(momentum, batch));
  return { y: back(y), running_mean_out: blend(v.running_mean!, mean), running_var_out: blend(v.running_var!, tf.mul(variance, n / (n - 1))) };
}

/** layer_norm: tfjs-core has no layer-norm op; tf.moments over the last axes and arithmetic. */
function layerNormTf(x: TfTensor, gamma: TfTensor, beta: TfTensor, a: CaseRequest['attributes']): TfTensor {
  const k = gamma.shape.length;
  const axes = Array.from({ length: k }, (_, i) => x.shape.length - k + i);
  const { mean, variance } = tf.moments(x, axes, true);
  const eps = typeof a.eps === 'number' ? a.eps : 1e-5;
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps))), gamma), beta);
}

const WRITTEN_OUT: readonly OpName[] = [
  'matmul', 'linear', 'mse', 'mse_softmax', 'cross_entropy', 'sgd', 'mlp',
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
      return { forward: (v) => ({ y: tf.add(tf.matMul(v.x!, v.W!), v.b!) }), seeded: 'y', differentiable: ['x', ...params] };
    case 'mse':
      return { forward: (v) => ({ loss: lossOf('mse', v.prediction!, v.target!, null) }), seeded: 'loss', differentiable: ['prediction'] };
    case 'mse_softmax':
    case 'cross_entropy': {
      const op = request.op;
      return { forward: (v) => ({ loss: lossOf(op, v.logits!, v.target!, a.reduction) }), seeded: 'loss', differentiable: ['logits'] };
    }
    case 'sgd':
      return { forward: (v) => ({ param_next: tf.sub(v.param!, tf.mul(Number(a.lr), v.grad!)) }), seeded: 'param_next', differentiable: [] };
    case 'mlp': {
      const layers = (a.sizes as number[]).length - 1;
      return {
        forward: (v) => {
          let h = v.x!;
          for (let i = 0; i < layers; i++) {
            h = tf.add(tf.matMul(h, v[`W${i}`]!), v[`b${i}`]!);
            if (i < layers - 1) h = tf.relu(h);
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
    const variables = Object.fromEntries(paramNames.map((k) => [k, tf.variable(values[k]!, true, `gradspec_${k}_${Math.random()}`)]));
    const optimizer = tf.train.sgd(request.optimizer.lr);
    const losses: number[] = [];
    for (let s = 0; s < request.optimizer.steps; s++) {
      const current = { ...values, ...variables };
      const outputs = p.forward(current);
      if (outputs.loss) losses.push(outputs.loss.dataSync()[0]!);
      const g = gradients(p, current, toTf(seed));
      optimizer.applyGradients(Object.fromEntries(paramNames.map((k) => [variables[k]!.name, g[k]!])));
    }
    reply.params = mapOut(variables, dtype);
    if (losses.length) reply.losses = { dtype, shape: [losses.length], data: dtype === 'float32' ? Float32Array.from(losses) : Float64Array.from(losses) };
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

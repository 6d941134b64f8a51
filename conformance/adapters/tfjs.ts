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

/** The mlp's hidden activation by op name (mlp f5), through the registry's tfjs equivalent like any activation. */
function hiddenActivation(name: unknown): (x: TfTensor) => TfTensor {
  const op = name ?? 'relu';
  const fn = typeof op === 'string' && OP_NAMES.includes(op as OpName) ? tfActivation(op as OpName) : undefined;
  if (!fn) throw new Error(`tfjs adapter: mlp activation ${JSON.stringify(op)} has no tfjs equivalent`);
  return fn;
}

const WRITTEN_OUT: readonly OpName[] = ['matmul', 'linear', 'mse', 'mse_softmax', 'cross_entropy', 'sgd', 'mlp'];

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
            if (i < layers - 1) h = hiddenActivation(a.activation)(h);
          }
          return { logits: h, loss: lossOf(a.loss, h, v.target!, a.reduction) };
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

// The reference implementation (src/) as an Implementation: each op of spec/ops/ mapped onto src's
// public API. Activations and losses are found by op name in src's ACTIVATIONS and LOSSES tables and
// wired by their registry entry (spec/ops.json); the other ops are written out below. Request tensors
// are copied into src Tensors and reply tensors copied out, so nothing the runner owns is shared with
// layers that keep state between steps.
import type { CaseReply, CaseRequest, Implementation, TensorMap } from '../implementation';
import { OPS, OP_NAMES, type OpName } from '../../spec/registry';
import {
  ACTIVATIONS,
  Dropout,
  GELU,
  LOSSES,
  LeakyReLU,
  Linear,
  Model,
  adamStep,
  createLoss,
  matmul,
  matmulBackward,
  sgdMomentumStep,
  sgdStep,
  type Layer,
  type Loss,
} from '../../src';
import { CNN_HANDLERS } from './reference-cnn';
import { fromSrc, layerReply, lossOptions, need, networkReply, toSrc, type Handler, numberAttribute, scalar, seedValue, trainableReply, type ReferenceOptions, type Trainable } from './reference-bridge';

export type { ReferenceOptions };

/** adam and adamw as single-step ops: the moments and t come in, the new param and moments go out. */
function adamReply(request: CaseRequest, decoupled: boolean): CaseReply {
  const betas = request.attributes.betas ?? [0.9, 0.999];
  if (!Array.isArray(betas) || betas.length !== 2) throw new Error(`reference adapter: ${request.op} attribute betas must be [beta1, beta2], got ${JSON.stringify(betas)}`);
  const options = { betas: [betas[0]!, betas[1]!] as const, eps: numberAttribute(request, 'eps', 1e-8), weightDecay: numberAttribute(request, 'weight_decay', decoupled ? 0.01 : 0) };
  const state = { expAvg: need(request.inputs, 'exp_avg', 'input'), expAvgSq: need(request.inputs, 'exp_avg_sq', 'input') };
  const next = adamStep(need(request.inputs, 'param', 'input'), need(request.inputs, 'grad', 'input'), state, numberAttribute(request, 'step'), numberAttribute(request, 'lr'), options, decoupled);
  return { forward: { param_next: fromSrc(next.param), exp_avg_next: fromSrc(next.expAvg), exp_avg_sq_next: fromSrc(next.expAvgSq) } };
}

/** The ops that are not a plain activation or loss. */
const WRITTEN_OUT: Partial<Record<OpName, Handler>> = {
  matmul(request) {
    const a = need(request.inputs, 'a', 'input');
    const b = need(request.inputs, 'b', 'input');
    const reply: CaseReply = { forward: { y: fromSrc(matmul(a, b)) } };
    if (request.grad_output) {
      const { gradA, gradB } = matmulBackward(a, b, need(request.grad_output, 'y', 'grad_output'));
      reply.grad_inputs = { a: fromSrc(gradA), b: fromSrc(gradB) };
      reply.grad_params = {};
    }
    return reply;
  },

  linear(request, options) {
    const x = need(request.inputs, 'x', 'input');
    const bias = request.attributes.bias ?? true;
    if (typeof bias !== 'boolean') throw new Error(`reference adapter: linear attribute bias must be true or false, got ${JSON.stringify(bias)}`);
    const layer = Linear.fromWeights(need(request.params, 'W', 'param'), bias ? need(request.params, 'b', 'param') : null);
    const seed = request.grad_output && need(request.grad_output, 'y', 'grad_output');
    const model: Trainable = {
      step(withBackward) {
        const y = layer.forward(x);
        const gradInputs: TensorMap = withBackward && seed ? { x: fromSrc(layer.backward(seed)) } : {};
        return { forward: { y: fromSrc(y) }, gradInputs };
      },
      params: () => Object.fromEntries(layer.parameters().map((p) => [p.name, p])),
    };
    return trainableReply(request, model, options);
  },

  softmax(request) {
    const axis = request.attributes.axis ?? -1;
    const rank = request.inputs.x?.shape.length ?? 0;
    if (axis !== -1 && axis !== rank - 1) throw new Error(`reference adapter: softmax supports the last axis only, got axis ${String(axis)}`);
    return layerReply(request, new ACTIVATIONS.softmax(), 'x', 'y');
  },

  leaky_relu(request) {
    const { alpha } = request.attributes;
    if (alpha !== undefined && typeof alpha !== 'number') throw new Error(`reference adapter: leaky_relu's alpha must be a number, got ${JSON.stringify(alpha)}`);
    return layerReply(request, new LeakyReLU(alpha === undefined ? {} : { alpha }), 'x', 'y');
  },

  gelu(request) {
    const { approximate } = request.attributes;
    if (approximate !== undefined && approximate !== 'none' && approximate !== 'tanh') {
      throw new Error(`reference adapter: gelu's approximate must be 'none' or 'tanh', got ${JSON.stringify(approximate)}`);
    }
    return layerReply(request, new GELU(approximate === undefined ? {} : { approximate }), 'x', 'y');
  },

  log_softmax(request) {
    const axis = request.attributes.axis ?? -1;
    const rank = request.inputs.x?.shape.length ?? 0;
    if (axis !== -1 && axis !== rank - 1) throw new Error(`reference adapter: log_softmax supports the last axis only, got axis ${String(axis)}`);
    return layerReply(request, new ACTIVATIONS.log_softmax(), 'x', 'y');
  },

  dropout(request) {
    const { p, training } = request.attributes;
    if (p !== undefined && typeof p !== 'number') throw new Error(`reference adapter: dropout's p must be a number, got ${JSON.stringify(p)}`);
    if (training !== undefined && typeof training !== 'boolean') throw new Error(`reference adapter: dropout's training must be a boolean, got ${JSON.stringify(training)}`);
    const layer = new Dropout({ ...(p === undefined ? {} : { p }), ...(training === undefined ? {} : { training }) });
    return layerReply(request, layer.useMask(need(request.inputs, 'mask', 'input')), 'x', 'y');
  },

  sgd(request) {
    const next = sgdStep(need(request.inputs, 'param', 'input'), need(request.inputs, 'grad', 'input'), numberAttribute(request, 'lr'), numberAttribute(request, 'weight_decay', 0));
    return { forward: { param_next: fromSrc(next) } };
  },

  sgd_momentum(request) {
    const nesterov = request.attributes.nesterov ?? false;
    if (typeof nesterov !== 'boolean') throw new Error(`reference adapter: sgd_momentum attribute nesterov must be true or false, got ${JSON.stringify(nesterov)}`);
    const options = { momentum: numberAttribute(request, 'momentum'), dampening: numberAttribute(request, 'dampening', 0), nesterov, weightDecay: numberAttribute(request, 'weight_decay', 0) };
    const buffer = request.inputs.momentum_buffer ? toSrc(request.inputs.momentum_buffer) : null; // absent: the first step
    const next = sgdMomentumStep(need(request.inputs, 'param', 'input'), need(request.inputs, 'grad', 'input'), buffer, numberAttribute(request, 'lr'), options);
    return { forward: { param_next: fromSrc(next.param), momentum_buffer_next: fromSrc(next.buffer) } };
  },

  adam: (request) => adamReply(request, false),
  adamw: (request) => adamReply(request, true),

  mlp(request, options) {
    const { sizes, loss: lossKind, reduction, activation = 'relu' } = request.attributes;
    if (!Array.isArray(sizes) || sizes.length < 2) throw new Error(`reference adapter: mlp needs attribute 'sizes' (at least 2 numbers), got ${JSON.stringify(sizes)}`);
    // The hidden activation by its op name, from src's ACTIVATIONS table (mlp f5).
    if (typeof activation !== 'string' || !has(ACTIVATIONS, activation)) throw new Error(`reference adapter: mlp activation ${JSON.stringify(activation)} is not in src's ACTIVATIONS`);
    const Activation = ACTIVATIONS[activation as keyof typeof ACTIVATIONS];
    const linears: Linear[] = [];
    const layers: Layer[] = [];
    for (let i = 0; i < sizes.length - 1; i++) {
      const linear = Linear.fromWeights(need(request.params, `W${i}`, 'param'), need(request.params, `b${i}`, 'param'));
      linears.push(linear);
      layers.push(linear);
      if (i < sizes.length - 2) layers.push(new Activation());
    }
    const net = new Model(layers);
    const loss = createLoss(String(lossKind), lossOptions(reduction === undefined ? {} : { reduction }));
    const params = () => Object.fromEntries(linears.flatMap((l, i) => l.parameters().map((p) => [`${p.name}${i}`, p])));
    return networkReply(request, net, loss, params, options);
  },
};

/** A loss: forward {loss} (a scalar of the input's dtype), backward d<input> scaled by the loss seed. */
function lossReply(request: CaseRequest, loss: Loss, input: string): CaseReply {
  const dtype = request.inputs[input]?.dtype ?? 'float64';
  const value = loss.forward(need(request.inputs, input, 'input'), need(request.inputs, 'target', 'input'));
  const reply: CaseReply = { forward: { loss: scalar(value, dtype) } };
  if (request.grad_output) {
    reply.grad_inputs = { [input]: fromSrc(loss.backward(seedValue(request, 'loss'))) };
    reply.grad_params = {};
  }
  return reply;
}

const has = (table: object, op: string): boolean => Object.prototype.hasOwnProperty.call(table, op);

/** How src answers a request of this op, or undefined when src does not have it. */
function handlerFor(op: OpName): Handler | undefined {
  const written = WRITTEN_OUT[op] ?? CNN_HANDLERS[op];
  if (written) return written;
  const entry = OPS[op];
  if (entry.kind === 'activation' && has(ACTIVATIONS, op)) {
    const Activation = ACTIVATIONS[op as keyof typeof ACTIVATIONS];
    return (request) => layerReply(request, new Activation(), entry.inputs[0]!, entry.outputs[0]!);
  }
  if (entry.kind === 'loss' && has(LOSSES, op)) {
    const make = LOSSES[op as keyof typeof LOSSES];
    return (request) => {
      // The one optional loss input (binary_cross_entropy_with_logits' pos_weight) is an option in src.
      const posWeight = request.inputs.pos_weight;
      return lossReply(request, make({ ...lossOptions(request.attributes), ...(posWeight ? { posWeight: toSrc(posWeight) } : {}) }), entry.differentiable[0]!);
    };
  }
  return undefined;
}

export function createReferenceImplementation(options: ReferenceOptions = {}): Implementation {
  const handlers = new Map(OP_NAMES.flatMap((op) => {
    const handler = handlerFor(op);
    return handler ? [[op, handler] as const] : [];
  }));
  return {
    name: 'reference (src/)',
    ops: [...handlers.keys()],
    async run(request) {
      const handler = handlers.get(request.op);
      if (!handler) throw new Error(`reference adapter: src has no op '${request.op}'`);
      return handler(request, options);
    },
  };
}

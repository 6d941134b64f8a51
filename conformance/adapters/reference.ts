// The reference implementation (src/) as an Implementation: each op of spec/ops/ mapped onto src's
// public API. Activations and losses are found by op name in src's ACTIVATIONS and LOSSES tables and
// wired by their registry entry (spec/ops.json); the other ops are written out below. Request tensors
// are copied into src Tensors and reply tensors copied out, so nothing the runner owns is shared with
// layers that keep state between steps.
import type { CaseReply, CaseRequest, Implementation, Tensor, TensorMap } from '../implementation';
import { OPS, OP_NAMES, type OpName } from '../../spec/registry';
import {
  ACTIVATIONS,
  AvgPool2d,
  BatchNorm,
  Conv2d,
  Flatten,
  LOSSES,
  LayerNorm,
  Linear,
  MaxPool2d,
  Model,
  ReLU,
  SGD,
  Tensor as SrcTensor,
  createLoss,
  matmul,
  matmulBackward,
  sgdStep,
  type Conv2dOptions,
  type Layer,
  type Pool2dOptions,
  type Loss,
  type LossOptions,
} from '../../src';

type DType = Tensor['dtype'];

function toSrc(t: Tensor): SrcTensor {
  return new SrcTensor(t.data.slice(), t.shape);
}

function fromSrc(t: SrcTensor): Tensor {
  return { dtype: t.dtype, shape: [...t.shape], data: t.data.slice() };
}

function scalar(value: number, dtype: DType): Tensor {
  return { dtype, shape: [], data: dtype === 'float32' ? Float32Array.of(value) : Float64Array.of(value) };
}

function vector(values: number[], dtype: DType): Tensor {
  return { dtype, shape: [values.length], data: dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values) };
}

/** The one tensor an op's name needs; a clear error when the request lacks it. */
function need(map: TensorMap | undefined, name: string, where: string): SrcTensor {
  const t = map?.[name];
  if (!t) throw new Error(`reference adapter: ${where} '${name}' is missing from the request`);
  return toSrc(t);
}

/** A scalar seed (a loss's grad_output) as a number. */
function seedValue(request: CaseRequest, name: string): number {
  const t = request.grad_output?.[name];
  if (!t) throw new Error(`reference adapter: grad_output '${name}' is missing from the request`);
  if (t.data.length !== 1) throw new Error(`reference adapter: grad_output '${name}' must be a scalar, got shape [${t.shape.join(', ')}]`);
  return t.data[0]!;
}

/** The loss options src takes, from a request's attributes. */
function lossOptions(attributes: CaseRequest['attributes']): LossOptions {
  const { reduction } = attributes;
  if (reduction === undefined) return {};
  if (reduction !== 'mean' && reduction !== 'sum') throw new Error(`reference adapter: reduction must be 'mean' or 'sum', got ${JSON.stringify(reduction)}`);
  return { reduction };
}

/** A layer's (or a stack's) parameters: forward + backward on fixed inputs, then optional SGD steps. */
interface Trainable {
  /** Forward and, with a seed, backward; returns the loss when there is one. */
  step(withBackward: boolean): { forward: TensorMap; loss?: number; gradInputs: TensorMap };
  /** name → the live parameter (value, grad). */
  params(): Record<string, { value: SrcTensor; grad: SrcTensor | null }>;
}

/** The reply for an op with parameters: forward/backward on the given params, then the optimizer's steps. */
function trainableReply(request: CaseRequest, model: Trainable, update: (lr: number) => void): CaseReply {
  const backward = request.grad_output !== undefined;
  const first = model.step(backward);
  const reply: CaseReply = { forward: first.forward };
  if (backward) {
    reply.grad_inputs = first.gradInputs;
    reply.grad_params = {};
    for (const [name, p] of Object.entries(model.params())) {
      if (!p.grad) throw new Error(`reference adapter: parameter '${name}' has no gradient after backward`);
      reply.grad_params[name] = fromSrc(p.grad);
    }
  }
  if (request.optimizer) {
    if (!backward) throw new Error('reference adapter: an optimizer needs grad_output');
    const losses: number[] = [];
    for (let s = 0; s < request.optimizer.steps; s++) {
      // The first step's forward and backward are the ones already run on the initial params.
      const { loss } = s === 0 ? first : model.step(true);
      if (loss !== undefined) losses.push(loss);
      update(request.optimizer.lr);
    }
    reply.params = Object.fromEntries(Object.entries(model.params()).map(([name, p]) => [name, fromSrc(p.value)]));
    if (losses.length) reply.losses = vector(losses, Object.values(reply.forward)[0]!.dtype);
  }
  return reply;
}

/** The ops that are not a plain activation or loss. */
const WRITTEN_OUT: Partial<Record<OpName, (request: CaseRequest) => CaseReply>> = {

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

  linear(request) {
    const x = need(request.inputs, 'x', 'input');
    const layer = Linear.fromWeights(need(request.params, 'W', 'param'), need(request.params, 'b', 'param'));
    const seed = request.grad_output && need(request.grad_output, 'y', 'grad_output');
    const model: Trainable = {
      step(withBackward) {
        const y = layer.forward(x);
        const gradInputs: TensorMap = withBackward && seed ? { x: fromSrc(layer.backward(seed)) } : {};
        return { forward: { y: fromSrc(y) }, gradInputs };
      },
      params: () => ({ W: layer.weight, b: layer.bias }),
    };
    return trainableReply(request, model, (lr) => new SGD(layer.parameters(), lr).step());
  },

  cnn: (request) => cnnReply(request),

  conv2d(request) {
    const hasBias = request.attributes.bias !== false;
    const layer = Conv2d.fromWeights(need(request.params, 'W', 'param'), hasBias ? need(request.params, 'b', 'param') : null, convOptions(request.attributes));
    return layerWithParams(request, layer, () => Object.fromEntries(layer.parameters().map((p) => [p.name, p])));
  },

  max_pool2d: (request) => layerReply(request, new MaxPool2d(poolOptions(request.attributes)), 'x', 'y'),

  avg_pool2d(request) {
    const countIncludePad = request.attributes.count_include_pad;
    return layerReply(request, new AvgPool2d({ ...poolOptions(request.attributes), countIncludePad: countIncludePad !== false }), 'x', 'y');
  },

  flatten: (request) => layerReply(request, new Flatten((request.attributes.start_axis as number | undefined) ?? 1), 'x', 'y'),

  batch_norm(request) {
    const a = request.attributes;
    const given = { runningMean: need(request.inputs, 'running_mean', 'input'), runningVar: need(request.inputs, 'running_var', 'input') };
    const layer = BatchNorm.fromState(
      { gamma: need(request.params, 'gamma', 'param'), beta: need(request.params, 'beta', 'param'), ...given },
      { momentum: a.momentum as number | undefined, eps: a.eps as number | undefined },
    );
    layer.training = a.training !== false;
    const x = need(request.inputs, 'x', 'input');
    const seed = request.grad_output && need(request.grad_output, 'y', 'grad_output');
    const model: Trainable = {
      step(withBackward) {
        // batch_norm u1: every step starts from the running statistics of the request.
        [layer.runningMean, layer.runningVar] = [given.runningMean, given.runningVar];
        const y = layer.forward(x);
        const forward = { y: fromSrc(y), running_mean_out: fromSrc(layer.runningMean), running_var_out: fromSrc(layer.runningVar) };
        const gradInputs: TensorMap = withBackward && seed ? { x: fromSrc(layer.backward(seed)) } : {};
        return { forward, gradInputs };
      },
      params: () => ({ gamma: layer.gamma, beta: layer.beta }),
    };
    return trainableReply(request, model, (lr) => new SGD(layer.parameters(), lr).step());
  },

  layer_norm(request) {
    const gamma = need(request.params, 'gamma', 'param');
    const shape = request.attributes.normalized_shape;
    if (!Array.isArray(shape) || shape.join() !== gamma.shape.join()) {
      throw new Error(`reference adapter: layer_norm's normalized_shape ${JSON.stringify(shape)} must be gamma's shape [${gamma.shape.join(', ')}]`);
    }
    const layer = LayerNorm.fromWeights(gamma, need(request.params, 'beta', 'param'), (request.attributes.eps as number | undefined) ?? 1e-5);
    return layerWithParams(request, layer, () => ({ gamma: layer.gamma, beta: layer.beta }));
  },

  softmax(request) {
    const axis = request.attributes.axis ?? -1;
    const rank = request.inputs.x?.shape.length ?? 0;
    if (axis !== -1 && axis !== rank - 1) throw new Error(`reference adapter: softmax supports the last axis only, got axis ${String(axis)}`);
    return layerReply(request, new ACTIVATIONS.softmax(), 'x', 'y');
  },

  sgd(request) {
    const lr = request.attributes.lr;
    if (typeof lr !== 'number') throw new Error(`reference adapter: sgd needs a numeric attribute 'lr', got ${JSON.stringify(lr)}`);
    const next = sgdStep(need(request.inputs, 'param', 'input'), need(request.inputs, 'grad', 'input'), lr);
    return { forward: { param_next: fromSrc(next) } };
  },

  mlp(request) {
    const { sizes, loss: lossKind, reduction } = request.attributes;
    if (!Array.isArray(sizes) || sizes.length < 2) throw new Error(`reference adapter: mlp needs attribute 'sizes' (at least 2 numbers), got ${JSON.stringify(sizes)}`);
    const linears: Linear[] = [];
    const layers: Layer[] = [];
    for (let i = 0; i < sizes.length - 1; i++) {
      const linear = Linear.fromWeights(need(request.params, `W${i}`, 'param'), need(request.params, `b${i}`, 'param'));
      linears.push(linear);
      layers.push(linear);
      if (i < sizes.length - 2) layers.push(new ReLU());
    }
    const net = new Model(layers);
    const loss = createLoss(String(lossKind), lossOptions(reduction === undefined ? {} : { reduction }));
    const x = need(request.inputs, 'x', 'input');
    const target = need(request.inputs, 'target', 'input');
    const dtype = request.inputs.x!.dtype;
    const seed = request.grad_output ? seedValue(request, 'loss') : undefined;
    const model: Trainable = {
      step(withBackward) {
        const logits = net.forward(x);
        const value = loss.forward(logits, target);
        const gradInputs: TensorMap = withBackward && seed !== undefined ? { x: fromSrc(net.backward(loss.backward(seed))) } : {};
        return { forward: { logits: fromSrc(logits), loss: scalar(value, dtype) }, loss: value, gradInputs };
      },
      params: () => Object.fromEntries(linears.flatMap((l, i) => [[`W${i}`, l.weight], [`b${i}`, l.bias]])),
    };
    return trainableReply(request, model, (lr) => net.update(lr));
  },
};

/** The window attributes of conv2d and the pooling ops, as src takes them (src checks their values). */
function convOptions(a: CaseRequest['attributes']): Conv2dOptions {
  const shape = (v: unknown) => v as number | number[] | undefined;
  return { stride: shape(a.stride), padding: shape(a.padding), dilation: shape(a.dilation), groups: a.groups as number | undefined };
}

/** kernel_size, stride and padding of the pooling ops, as src takes them (src checks their values). */
function poolOptions(a: CaseRequest['attributes']): Pool2dOptions {
  const shape = (v: unknown) => v as number | number[] | undefined;
  const kernelSize = shape(a.kernel_size);
  if (kernelSize === undefined) throw new Error("reference adapter: a pooling op needs attribute 'kernel_size'");
  return { kernelSize, stride: shape(a.stride), padding: shape(a.padding) };
}

/** A layer with params and one input x → one output y, trained by SGD: conv2d, batch_norm's affine part, layer_norm. */
function layerWithParams(request: CaseRequest, layer: Layer, params: Trainable['params']): CaseReply {
  const x = need(request.inputs, 'x', 'input');
  const seed = request.grad_output && need(request.grad_output, 'y', 'grad_output');
  const model: Trainable = {
    step(withBackward) {
      const y = layer.forward(x);
      const gradInputs: TensorMap = withBackward && seed ? { x: fromSrc(layer.backward(seed)) } : {};
      return { forward: { y: fromSrc(y) }, gradInputs };
    },
    params,
  };
  return trainableReply(request, model, (lr) => new SGD(layer.parameters(), lr).step());
}

/** The cnn op: (Conv2d → ReLU → MaxPool2d) × 2 → Flatten → Linear, then the cross-entropy (spec/ops/cnn.md). */
function cnnReply(request: CaseRequest): CaseReply {
  const a = request.attributes;
  const padding = (a.padding as number[] | undefined) ?? [0, 0];
  const pool = (a.pool as number | undefined) ?? 2;
  const conv = (i: number) => Conv2d.fromWeights(need(request.params, `W${i}`, 'param'), need(request.params, `b${i}`, 'param'), { padding: padding[i] ?? 0 });
  const [conv0, conv1] = [conv(0), conv(1)];
  const linear = Linear.fromWeights(need(request.params, 'W2', 'param'), need(request.params, 'b2', 'param'));
  const pooling = () => new MaxPool2d({ kernelSize: pool, stride: pool });
  const net = new Model([conv0, new ReLU(), pooling(), conv1, new ReLU(), pooling(), new Flatten(1), linear]);
  const loss = createLoss('cross_entropy', lossOptions(a.reduction === undefined ? {} : { reduction: a.reduction }));
  const x = need(request.inputs, 'x', 'input');
  const target = need(request.inputs, 'target', 'input');
  const dtype = request.inputs.x!.dtype;
  const seed = request.grad_output ? seedValue(request, 'loss') : undefined;
  const model: Trainable = {
    step(withBackward) {
      const logits = net.forward(x);
      const value = loss.forward(logits, target);
      const gradInputs: TensorMap = withBackward && seed !== undefined ? { x: fromSrc(net.backward(loss.backward(seed))) } : {};
      return { forward: { logits: fromSrc(logits), loss: scalar(value, dtype) }, loss: value, gradInputs };
    },
    params: () => ({ W0: conv0.weight, b0: conv0.bias!, W1: conv1.weight, b1: conv1.bias!, W2: linear.weight, b2: linear.bias }),
  };
  return trainableReply(request, model, (lr) => net.update(lr));
}

/** A parameter-free layer: y = layer(x), dx = layer'(x)·dy. */
function layerReply(request: CaseRequest, layer: Layer, input: string, output: string): CaseReply {
  const y = layer.forward(need(request.inputs, input, 'input'));
  const reply: CaseReply = { forward: { [output]: fromSrc(y) } };
  if (request.grad_output) {
    reply.grad_inputs = { [input]: fromSrc(layer.backward(need(request.grad_output, output, 'grad_output'))) };
    reply.grad_params = {};
  }
  return reply;
}

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
function handlerFor(op: OpName): ((request: CaseRequest) => CaseReply) | undefined {
  const written = WRITTEN_OUT[op];
  if (written) return written;
  const entry = OPS[op];
  if (entry.kind === 'activation' && has(ACTIVATIONS, op)) {
    const Activation = ACTIVATIONS[op as keyof typeof ACTIVATIONS];
    return (request) => layerReply(request, new Activation(), entry.inputs[0]!, entry.outputs[0]!);
  }
  if (entry.kind === 'loss' && has(LOSSES, op)) {
    const make = LOSSES[op as keyof typeof LOSSES];
    return (request) => lossReply(request, make(lossOptions(request.attributes)), entry.differentiable[0]!);
  }
  return undefined;
}

export function createReferenceImplementation(): Implementation {
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
      return handler(request);
    },
  };
}

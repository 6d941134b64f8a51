// The reference adapter's bridge to src/: runner tensors copied into src Tensors and back (so nothing
// the runner owns is shared with layers that keep state), request fields read with clear errors, and
// the trajectory of an op with parameters under the request's optimizer.
import type { CaseReply, CaseRequest, Tensor, TensorMap } from '../implementation';
import { Tensor as SrcTensor, createLoss, createOptimizer, type Layer, type LossOptions, type Model, type Optimizer as SrcOptimizer, type OptimizerConfig, type Parameter } from '../../src';

/** What the reference can be built with. */
export interface ReferenceOptions {
  /**
   * Builds each trajectory's optimizer from the request's config (default: src's createOptimizer).
   * The meta-tests pass deliberately wrong optimizers here (conformance/test/broken/).
   */
  createOptimizer?: (config: OptimizerConfig, parameters: Parameter[]) => SrcOptimizer;
}

type DType = Tensor['dtype'];

export function toSrc(t: Tensor): SrcTensor {
  return new SrcTensor(t.data.slice(), t.shape);
}

export function fromSrc(t: SrcTensor): Tensor {
  return { dtype: t.dtype, shape: [...t.shape], data: t.data.slice() };
}

export function scalar(value: number, dtype: DType): Tensor {
  return { dtype, shape: [], data: dtype === 'float32' ? Float32Array.of(value) : Float64Array.of(value) };
}

export function vector(values: number[], dtype: DType): Tensor {
  return { dtype, shape: [values.length], data: dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values) };
}

/** The one tensor an op's name needs; a clear error when the request lacks it. */
export function need(map: TensorMap | undefined, name: string, where: string): SrcTensor {
  const t = map?.[name];
  if (!t) throw new Error(`reference adapter: ${where} '${name}' is missing from the request`);
  return toSrc(t);
}

/** A scalar seed (a loss's grad_output) as a number. */
export function seedValue(request: CaseRequest, name: string): number {
  const t = request.grad_output?.[name];
  if (!t) throw new Error(`reference adapter: grad_output '${name}' is missing from the request`);
  if (t.data.length !== 1) throw new Error(`reference adapter: grad_output '${name}' must be a scalar, got shape [${t.shape.join(', ')}]`);
  return t.data[0]!;
}

/** The loss options src takes, from a request's attributes (reduction; ignore_index of the class-index losses). */
export function lossOptions(attributes: CaseRequest['attributes']): LossOptions {
  const { reduction, ignore_index: ignoreIndex } = attributes;
  const options: LossOptions = {};
  if (reduction !== undefined) {
    if (reduction !== 'mean' && reduction !== 'sum') throw new Error(`reference adapter: reduction must be 'mean' or 'sum', got ${JSON.stringify(reduction)}`);
    options.reduction = reduction;
  }
  if (ignoreIndex !== undefined) {
    if (typeof ignoreIndex !== 'number') throw new Error(`reference adapter: ignore_index must be an integer, got ${JSON.stringify(ignoreIndex)}`);
    options.ignoreIndex = ignoreIndex;
  }
  return options;
}

/** A layer's (or a stack's) parameters: forward + backward on fixed inputs, then optional optimizer steps. */
export interface Trainable {
  /** Forward and, with a seed, backward; returns the loss when there is one. */
  step(withBackward: boolean): { forward: TensorMap; loss?: number; gradInputs: TensorMap };
  /** name → the live parameter (value, grad). */
  params(): Record<string, Parameter>;
}

/**
 * The reply for an op with parameters: forward/backward on the given params, then `steps` steps of
 * the request's optimizer (src's createOptimizer: SGD with momentum and weight decay, Adam, AdamW),
 * and its state after the last step, by state name then param name.
 */
export function trainableReply(request: CaseRequest, model: Trainable, options: ReferenceOptions): CaseReply {
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
    const params = model.params();
    const optimizer = (options.createOptimizer ?? createOptimizer)(request.optimizer, Object.values(params));
    const losses: number[] = [];
    for (let s = 0; s < request.optimizer.steps; s++) {
      // The first step's forward and backward are the ones already run on the initial params.
      const { loss } = s === 0 ? first : model.step(true);
      if (loss !== undefined) losses.push(loss);
      optimizer.step();
    }
    reply.params = Object.fromEntries(Object.entries(params).map(([name, p]) => [name, fromSrc(p.value)]));
    if (losses.length) reply.losses = vector(losses, Object.values(reply.forward)[0]!.dtype);
    const state: Record<string, TensorMap> = {};
    for (const [name, p] of Object.entries(params)) {
      for (const [kind, value] of Object.entries(optimizer.stateOf(p))) (state[kind] ??= {})[name] = fromSrc(value);
    }
    if (Object.keys(state).length) reply.state = state;
  }
  return reply;
}

/** A number attribute, its default when absent; a clear error for anything else. */
export function numberAttribute(request: CaseRequest, name: string, fallback?: number): number {
  const value = request.attributes[name] ?? fallback;
  if (typeof value !== 'number') throw new Error(`reference adapter: ${request.op} needs a numeric attribute '${name}', got ${JSON.stringify(value)}`);
  return value;
}


export type Handler = (request: CaseRequest, options: ReferenceOptions) => CaseReply;

/** A parameter-free layer: y = layer(x), dx = layer'(x)·dy. */
export function layerReply(request: CaseRequest, layer: Layer, input: string, output: string): CaseReply {
  const y = layer.forward(need(request.inputs, input, 'input'));
  const reply: CaseReply = { forward: { [output]: fromSrc(y) } };
  if (request.grad_output) {
    reply.grad_inputs = { [input]: fromSrc(layer.backward(need(request.grad_output, output, 'grad_output'))) };
    reply.grad_params = {};
  }
  return reply;
}


/**
 * The reply for a network trained on a loss (the mlp and cnn ops): logits = net(x), loss(logits, target), dx from
 * the loss's seed, then trainableReply's steps over `params`.
 */
export function networkReply(
  request: CaseRequest,
  net: Pick<Model, 'forward' | 'backward'>,
  loss: ReturnType<typeof createLoss>,
  params: () => Record<string, Parameter>,
  options: ReferenceOptions,
): CaseReply {
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
    params,
  };
  return trainableReply(request, model, options);
}

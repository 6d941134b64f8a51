// The reference adapter's CNN ops (spec/ops/conv2d.md … cnn.md) mapped onto src's layers, in their own
// file so reference.ts stays the map of the other ops.
import type { CaseReply, CaseRequest, TensorMap } from '../implementation';
import { AvgPool2d, BatchNorm, Conv2d, Flatten, LayerNorm, Linear, MaxPool2d, Model, ReLU, createLoss, type Conv2dOptions, type Layer, type Parameter, type Pool2dOptions } from '../../src';
import { fromSrc, layerReply, lossOptions, need, networkReply, trainableReply, type Handler, type ReferenceOptions, type Trainable } from './reference-bridge';

export const CNN_HANDLERS: Record<string, Handler> = {
  cnn: (request, options) => cnnReply(request, options),

  conv2d(request, options) {
    const hasBias = request.attributes.bias !== false;
    const layer = Conv2d.fromWeights(need(request.params, 'W', 'param'), hasBias ? need(request.params, 'b', 'param') : null, convOptions(request.attributes));
    return layerWithParams(request, layer, () => byName(layer), options);
  },

  max_pool2d: (request) => layerReply(request, new MaxPool2d(poolOptions(request.attributes)), 'x', 'y'),

  avg_pool2d(request) {
    // Left out, src's own default applies (avg_pool2d/default-count-include-pad checks it).
    const countIncludePad = request.attributes.count_include_pad;
    const include = countIncludePad === undefined ? {} : { countIncludePad: countIncludePad !== false };
    return layerReply(request, new AvgPool2d({ ...poolOptions(request.attributes), ...include }), 'x', 'y');
  },

  flatten: (request) => layerReply(request, new Flatten((request.attributes.start_axis as number | undefined) ?? 1), 'x', 'y'),

  batch_norm(request, options) {
    const a = request.attributes;
    const given = { runningMean: need(request.inputs, 'running_mean', 'input'), runningVar: need(request.inputs, 'running_var', 'input') };
    const layer = BatchNorm.fromState(
      { gamma: need(request.params, 'gamma', 'param'), beta: need(request.params, 'beta', 'param'), ...given },
      { momentum: a.momentum as number | undefined, eps: a.eps as number | undefined },
    );
    if (a.training !== undefined) layer.training = a.training !== false; // left out: the layer's default (default-attributes)
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
      params: () => byName(layer),
    };
    return trainableReply(request, model, options);
  },

  layer_norm(request, options) {
    const gamma = need(request.params, 'gamma', 'param');
    const shape = request.attributes.normalized_shape;
    if (!Array.isArray(shape) || shape.join() !== gamma.shape.join()) {
      throw new Error(`reference adapter: layer_norm's normalized_shape ${JSON.stringify(shape)} must be gamma's shape [${gamma.shape.join(', ')}]`);
    }
    const layer = LayerNorm.fromWeights(gamma, need(request.params, 'beta', 'param'), request.attributes.eps as number | undefined); // left out: src's default (default-eps)
    return layerWithParams(request, layer, () => byName(layer), options);
  },
};

/** A layer's parameters by their own names, as a trainer sees them (so src's parameters() and names are checked too). */
function byName(layer: Layer): Record<string, Parameter> {
  return Object.fromEntries(layer.parameters().map((p) => [p.name, p]));
}

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

/** A layer with params and one input x → one output y, trained by the request's optimizer: conv2d, batch_norm's affine part, layer_norm. */
function layerWithParams(request: CaseRequest, layer: Layer, params: Trainable['params'], options: ReferenceOptions): CaseReply {
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
  return trainableReply(request, model, options);
}

/** The cnn op: (Conv2d → ReLU → MaxPool2d) × 2 → Flatten → Linear, then the cross-entropy (spec/ops/cnn.md). */
function cnnReply(request: CaseRequest, options: ReferenceOptions): CaseReply {
  const a = request.attributes;
  const padding = (a.padding as number[] | undefined) ?? [0, 0];
  const pool = (a.pool as number | undefined) ?? 2;
  const conv = (i: number) => Conv2d.fromWeights(need(request.params, `W${i}`, 'param'), need(request.params, `b${i}`, 'param'), { padding: padding[i] ?? 0 });
  const [conv0, conv1] = [conv(0), conv(1)];
  const linear = Linear.fromWeights(need(request.params, 'W2', 'param'), need(request.params, 'b2', 'param'));
  const pooling = () => new MaxPool2d({ kernelSize: pool, stride: pool });
  const net = new Model([conv0, new ReLU(), pooling(), conv1, new ReLU(), pooling(), new Flatten(1), linear]);
  const loss = createLoss('cross_entropy', lossOptions(a.reduction === undefined ? {} : { reduction: a.reduction }));
  const params = () => ({ W0: conv0.weight, b0: conv0.bias!, W1: conv1.weight, b1: conv1.bias!, W2: linear.weight, b2: linear.bias! });
  return networkReply(request, net, loss, params, options);
}


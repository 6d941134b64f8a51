// The tfjs adapter's CNN layers (spec/ops/conv2d.md … layer_norm.md). tfjs is NHWC: x and y are
// transposed at the edges, and its filters are (kH, kW, in, out).
import * as tf from '@tensorflow/tfjs-core';
import type { CaseRequest } from '../implementation';

type TfTensor = tf.Tensor;

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
export function conv2dTf(x: TfTensor, W: TfTensor, b: TfTensor | undefined, a: CaseRequest['attributes']): TfTensor {
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
export function poolTf(kind: 'max' | 'avg', x: TfTensor, a: CaseRequest['attributes']): TfTensor {
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
export function batchNormTf(v: Record<string, TfTensor>, a: CaseRequest['attributes']): Record<string, TfTensor> {
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
export function layerNormTf(x: TfTensor, gamma: TfTensor, beta: TfTensor, a: CaseRequest['attributes']): TfTensor {
  const k = gamma.shape.length;
  const axes = Array.from({ length: k }, (_, i) => x.shape.length - k + i);
  const { mean, variance } = tf.moments(x, axes, true);
  const eps = typeof a.eps === 'number' ? a.eps : 1e-5;
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps))), gamma), beta);
}


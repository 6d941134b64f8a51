// The losses as ONNX graphs (spec/ops/mse.md, mse_softmax.md, cross_entropy.md), shared by their
// case files and the mlp cases. Each loss is a scalar (shape []); each backward takes the scalar
// seed dLoss and returns the gradient of the first argument (the target gets none).
import type { Graph } from '../onnx/graph';
import { softmaxBackward, softmaxForward, logSoftmaxForward } from './softmax';

export type Reduction = 'mean' | 'sum';

/** ONNX TensorProto element types for Cast. */
const CAST_TO = { float64: 11, float32: 1 } as const;

function asFloat(g: Graph, int64: string): string {
  if (g.dtype === 'int64') throw new Error('losses: an int64 graph has no float dtype');
  return g.op('Cast', [int64], { to: CAST_TO[g.dtype] });
}

/** N = the number of elements of x, as a scalar of the graph's dtype. */
function elementCount(g: Graph, x: string): string {
  return asFloat(g, g.op('Size', [x]));
}

/** B = the size of axis 0 of x (the batch), as a scalar of the graph's dtype. */
function batchSize(g: Graph, x: string): string {
  return asFloat(g, g.op('Gather', [g.op('Shape', [x]), g.constant(0, [], 'int64')]));
}

function sumAll(g: Graph, x: string): string {
  return g.op('ReduceSum', [x], { keepdims: 0 });
}

/** mse: loss = Σ (p − t)² / N over all N elements. */
export function mseForward(g: Graph, prediction: string, target: string): string {
  const diff = g.op('Sub', [prediction, target]);
  return g.op('Div', [sumAll(g, g.op('Mul', [diff, diff])), elementCount(g, prediction)]);
}

/** mse: dp = 2(p − t)/N · g. */
export function mseBackward(g: Graph, prediction: string, target: string, dLoss: string): string {
  const scale = g.op('Div', [g.op('Mul', [g.constant(2), dLoss]), elementCount(g, prediction)]);
  return g.op('Mul', [g.op('Sub', [prediction, target]), scale]);
}

/** mse_softmax: loss = mse(softmax(logits), t). */
export function mseSoftmaxForward(g: Graph, logits: string, target: string): string {
  return mseForward(g, softmaxForward(g, logits), target);
}

/** mse_softmax: ds = 2(s − t)/N · g, then through the softmax Jacobian. */
export function mseSoftmaxBackward(g: Graph, logits: string, target: string, dLoss: string): string {
  const s = softmaxForward(g, logits);
  return softmaxBackward(g, s, mseBackward(g, s, target, dLoss));
}

/** cross_entropy: loss = −Σ_b Σ_c t · log_softmax(logits), divided by the batch B for mean. */
export function crossEntropyForward(g: Graph, logits: string, target: string, reduction: Reduction): string {
  const total = g.op('Neg', [sumAll(g, g.op('Mul', [target, logSoftmaxForward(g, logits)]))]);
  return reduction === 'mean' ? g.op('Div', [total, batchSize(g, logits)]) : total;
}

/** cross_entropy: dlogits = (softmax(logits) − t) · g, divided by B for mean (one-hot targets). */
export function crossEntropyBackward(g: Graph, logits: string, target: string, dLoss: string, reduction: Reduction): string {
  const grad = g.op('Mul', [g.op('Sub', [softmaxForward(g, logits), target]), dLoss]);
  return reduction === 'mean' ? g.op('Div', [grad, batchSize(g, logits)]) : grad;
}

export type LossName = 'cross_entropy' | 'mse' | 'mse_softmax';

/** A loss by name (the mlp's `loss` attribute); reduction applies to cross_entropy only. */
export function lossFormulas(name: LossName, reduction: Reduction = 'mean') {
  switch (name) {
    case 'mse':
      return { forward: mseForward, backward: mseBackward };
    case 'mse_softmax':
      return { forward: mseSoftmaxForward, backward: mseSoftmaxBackward };
    case 'cross_entropy':
      return {
        forward: (g: Graph, logits: string, target: string) => crossEntropyForward(g, logits, target, reduction),
        backward: (g: Graph, logits: string, target: string, dLoss: string) => crossEntropyBackward(g, logits, target, dLoss, reduction),
      };
    default:
      throw new Error(`unknown loss '${String(name)}': expected cross_entropy, mse or mse_softmax`);
  }
}

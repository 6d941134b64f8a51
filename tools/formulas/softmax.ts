// Softmax and log-softmax over the last axis as ONNX graphs (spec/ops/softmax.md), shared by the
// softmax, mse_softmax, cross_entropy and mlp cases. Written out op by op rather than with ONNX
// Softmax so the max-subtraction that keeps ±1e3 logits finite is visible in the formula.
import type { Graph } from '../onnx/graph';

/** x − max(x) over the last axis, kept as [..., 1] for broadcasting. */
function shifted(g: Graph, x: string): string {
  return g.op('Sub', [x, g.op('ReduceMax', [x], { axes: [-1], keepdims: 1 })]);
}

function sumLast(g: Graph, x: string): string {
  return g.op('ReduceSum', [x, g.axes([-1])], { keepdims: 1 });
}

/** y = exp(x − m) / Σ exp(x − m), m = max over the last axis. */
export function softmaxForward(g: Graph, x: string): string {
  const e = g.op('Exp', [shifted(g, x)]);
  return g.op('Div', [e, sumLast(g, e)]);
}

/** log_softmax(x) = (x − m) − log Σ exp(x − m): finite even where softmax underflows to 0. */
export function logSoftmaxForward(g: Graph, x: string): string {
  const z = shifted(g, x);
  return g.op('Sub', [z, g.op('Log', [sumLast(g, g.op('Exp', [z]))])]);
}

/** dx = y ⊙ (dy − Σ_last(dy ⊙ y)), the softmax Jacobian applied to dy without forming it. */
export function softmaxBackward(g: Graph, y: string, dy: string): string {
  return g.op('Mul', [y, g.op('Sub', [dy, sumLast(g, g.op('Mul', [dy, y]))])]);
}

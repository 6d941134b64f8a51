// The Linear layer's formulas as ONNX graphs (spec/ops/linear.md), shared by the linear and mlp cases.
import type { Graph } from '../onnx/graph';

/** y = x·W + b, with W of shape (in, out) and b of shape (out); y = x·W without a bias (linear f2). */
export function linearForward(g: Graph, x: string, W: string, b: string | undefined): string {
  const xW = g.op('MatMul', [x, W]);
  return b === undefined ? xW : g.op('Add', [xW, b]);
}

/** dx = dy·Wᵀ, dW = xᵀ·dy, db = Σ_batch dy. */
export function linearBackward(g: Graph, x: string, W: string, dy: string): { x: string; W: string; b: string } {
  return {
    x: g.op('MatMul', [dy, g.op('Transpose', [W], { perm: [1, 0] })]),
    W: g.op('MatMul', [g.op('Transpose', [x], { perm: [1, 0] }), dy]),
    b: g.op('ReduceSum', [dy, g.axes([0])], { keepdims: 0 }),
  };
}

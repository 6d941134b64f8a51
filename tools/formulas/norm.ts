// batch_norm and layer_norm as ONNX graphs (spec/ops/batch_norm.md, layer_norm.md): the statistics
// over some axes, x̂ = (x − mean)/√(var + eps), and the three-term backward of a normalization.
import type { Graph } from '../onnx/graph';

/** mean and biased variance of x over `axes` (kept as size-1 axes), x − mean and 1/√(var + eps). */
export function normalizeStats(g: Graph, x: string, axes: number[], eps: number) {
  const mean = g.op('ReduceMean', [x], { axes, keepdims: 1 });
  const centered = g.op('Sub', [x, mean]);
  const variance = g.op('ReduceMean', [g.op('Mul', [centered, centered])], { axes, keepdims: 1 }); // divides by n: biased
  const invStd = g.op('Div', [g.constant(1), g.op('Sqrt', [g.op('Add', [variance, g.constant(eps)])])]);
  return { mean, variance, centered, invStd, xhat: g.op('Mul', [centered, invStd]) };
}

/**
 * dx of x̂ = (x − mean)/√(var + eps) with the statistics over `axes`, given g = dL/dx̂:
 * (1/σ)·(g − mean(g) − x̂·mean(g·x̂)). The two mean terms are the paths through the mean and the variance.
 */
export function normalizeBackward(g: Graph, gradXhat: string, xhat: string, invStd: string, axes: number[]): string {
  const meanG = g.op('ReduceMean', [gradXhat], { axes, keepdims: 1 });
  const meanGX = g.op('ReduceMean', [g.op('Mul', [gradXhat, xhat])], { axes, keepdims: 1 });
  return g.op('Mul', [invStd, g.op('Sub', [g.op('Sub', [gradXhat, meanG]), g.op('Mul', [xhat, meanGX])])]);
}

// Losses on int64 class-index targets as ONNX graphs (spec/ops/cross_entropy_index.md, nll.md), as
// PyTorch's nll_loss: a row whose target is ignore_index adds nothing and gets a zero gradient, and
// `mean` divides by the number of rows kept, not the batch. Written with an explicit one-hot and row
// mask rather than ONNX's NegativeLogLikelihoodLoss, so each rule is a visible node.
import type { Graph } from '../onnx/graph';
import { logSoftmaxForward, softmaxForward } from './softmax';

export type Reduction = 'mean' | 'sum';

export interface ClassIndexOptions {
  reduction: Reduction;
  ignoreIndex: number;
}

/** ONNX TensorProto element types for Cast. */
const CAST_TO = { float64: 11, float32: 1 } as const;

function asFloat(g: Graph, x: string): string {
  if (g.dtype === 'int64') throw new Error('class-index losses: an int64 graph has no float dtype');
  return g.op('Cast', [x], { to: CAST_TO[g.dtype] });
}

/** The pieces both losses share: the one-hot of the target [B, C], the kept-row mask [B, 1] (bool) and its float [B, 1]. */
function rows(g: Graph, scores: string, target: string, ignoreIndex: number) {
  const classes = g.op('Gather', [g.op('Shape', [scores]), g.constant(1, [], 'int64')]);
  const classIds = g.op('Unsqueeze', [g.op('Range', [g.constant(0, [], 'int64'), classes, g.constant(1, [], 'int64')]), g.axes([0])]); // [1, C]
  const column = g.op('Unsqueeze', [target, g.axes([1])]); // [B, 1]
  // A target outside [0, C) matches no column; only ignore_index may be one (the page's s-rule), and
  // the mask removes it even when ignore_index is itself a valid class.
  const oneHot = asFloat(g, g.op('Equal', [column, classIds]));
  const kept = g.op('Not', [g.op('Equal', [column, g.constant(ignoreIndex, [], 'int64')])]);
  return { oneHot, kept, weight: asFloat(g, kept) };
}

/** Σ_b kept_b · (−scores[b, t_b]), divided by Σ_b kept_b for mean (0/0 = NaN when every row is ignored). */
function reduce(g: Graph, picked: string, weight: string, reduction: Reduction): string {
  const total = g.op('Neg', [g.op('ReduceSum', [g.op('Mul', [picked, weight])], { keepdims: 0 })]);
  return reduction === 'mean' ? g.op('Div', [total, g.op('ReduceSum', [weight], { keepdims: 0 })]) : total;
}

/** The seed's scale: g / (rows kept) for mean, g for sum. */
function scale(g: Graph, dLoss: string, weight: string, reduction: Reduction): string {
  return reduction === 'mean' ? g.op('Div', [dLoss, g.op('ReduceSum', [weight], { keepdims: 0 })]) : dLoss;
}

/** nll: loss = −Σ_b kept_b · log_probs[b, t_b] (÷ rows kept for mean). */
export function nllForward(g: Graph, logProbs: string, target: string, o: ClassIndexOptions): string {
  const { oneHot, weight } = rows(g, logProbs, target, o.ignoreIndex);
  const picked = g.op('ReduceSum', [g.op('Mul', [oneHot, logProbs]), g.axes([1])], { keepdims: 1 }); // [B, 1]
  return reduce(g, picked, weight, o.reduction);
}

/** nll: d log_probs = −one_hot(t) · g (÷ rows kept for mean) on kept rows, exactly 0 on ignored rows. */
export function nllBackward(g: Graph, logProbs: string, target: string, dLoss: string, o: ClassIndexOptions): string {
  const { oneHot, kept, weight } = rows(g, logProbs, target, o.ignoreIndex);
  const grad = g.op('Mul', [g.op('Neg', [oneHot]), scale(g, dLoss, weight, o.reduction)]);
  return g.op('Where', [kept, grad, g.constant(0)]);
}

/** cross_entropy_index: nll of the stable log_softmax of the logits. */
export function crossEntropyIndexForward(g: Graph, logits: string, target: string, o: ClassIndexOptions): string {
  return nllForward(g, logSoftmaxForward(g, logits), target, o);
}

/** cross_entropy_index: d logits = (softmax − one_hot(t)) · g (÷ rows kept for mean) on kept rows, 0 on ignored rows. */
export function crossEntropyIndexBackward(g: Graph, logits: string, target: string, dLoss: string, o: ClassIndexOptions): string {
  const { oneHot, kept, weight } = rows(g, logits, target, o.ignoreIndex);
  const grad = g.op('Mul', [g.op('Sub', [softmaxForward(g, logits), oneHot]), scale(g, dLoss, weight, o.reduction)]);
  return g.op('Where', [kept, grad, g.constant(0)]);
}

/** The options from a case's attributes; the defaults are PyTorch's (mean, −100). */
export function classIndexOptions(a: Record<string, unknown>): ClassIndexOptions {
  const ignoreIndex = a.ignore_index ?? -100;
  if (typeof ignoreIndex !== 'number' || !Number.isInteger(ignoreIndex)) throw new Error(`ignore_index must be an integer, got ${String(ignoreIndex)}`);
  return { reduction: a.reduction === 'sum' ? 'sum' : 'mean', ignoreIndex };
}

// conv2d (spec/ops/conv2d.md): y[n,o,i,j] = b[o] + Σ_{c',kh,kw} W[o,c',kh,kw]·xp[n, g·C/G + c', i·sH + kh·dH, j·sW + kw·dW],
// a cross-correlation (no kernel flip) of the zero-padded x, per group g of C/G channels.
// By im2col: every window of an image becomes a column, so y = W·cols per image and group is one
// matrix product on the fast kernel, and the backward is two more: dW = Σ_n dy·colsᵀ (b2) and
// dcols = Wᵀ·dy, which col2im adds back where each window was read from (b1, the transposed
// convolution; the kernel "flip" is in it).
import { expectFinite, expectNonEmptyBatch, expectRank, expectSameDType, expectShape } from '../checks';
import { gemm } from '../kernels/matmul';
import { Tensor, formatShape } from '../tensor';
import { col2im, im2col, parsePadding, parsePair, windowPlan, type WindowPlan } from './windows';

/** The attributes of spec/ops/conv2d.md; padding is [pH, pW] (both sides) or [top, left, bottom, right]. */
export interface Conv2dOptions {
  stride?: number | readonly number[];
  padding?: number | readonly number[];
  dilation?: number | readonly number[];
  groups?: number;
}

/** The windows plus the grouping: G groups, O filters, Kg = (C/G)·kH·kW elements per window per group. */
export interface Conv2dPlan extends WindowPlan {
  groups: number;
  O: number;
  Kg: number;
}

/** Checks x (N×C×H×W), W (O×C/G×kH×kW) and b (O, or null) against each other and the options. */
export function conv2dPlan(x: Tensor, W: Tensor, b: Tensor | null, options: Conv2dOptions = {}): Conv2dPlan {
  expectRank('conv2d', W, 4, 'a 4-D weight (O×C/G×kH×kW)');
  const groups = options.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1) throw new Error(`conv2d: groups must be a positive integer, got ${groups}`);
  const [O, Cg, kH, kW] = W.shape as [number, number, number, number];
  // Stryker disable next-line StringLiteral: an op name used only in error messages; no valid case throws
  const plan = windowPlan('conv2d', x, {
    kernel: [kH, kW],
    // Stryker disable next-line StringLiteral: op and attribute names used only in error messages; no valid case throws
    stride: parsePair('conv2d', 'stride', options.stride, 1),
    // Stryker disable next-line StringLiteral: op and attribute names used only in error messages; no valid case throws
    dilation: parsePair('conv2d', 'dilation', options.dilation, 1),
    // Stryker disable next-line StringLiteral: an op name used only in error messages; no valid case throws
    pads: parsePadding('conv2d', options.padding),
  });
  if (plan.C !== Cg * groups) {
    throw new Error(`conv2d: input ${formatShape(x.shape)} has ${plan.C} channels, but weight ${formatShape(W.shape)} with groups ${groups} expects ${Cg * groups}`);
  }
  if (O % groups !== 0) throw new Error(`conv2d: weight ${formatShape(W.shape)} has ${O} filters, not a multiple of groups ${groups}`);
  if (b) {
    expectShape('conv2d', b, 'bias', [O], 'the filters (O)');
    expectSameDType('conv2d', b, 'bias', W, 'weight');
  }
  expectSameDType('conv2d', x, 'input', W, 'weight');
  expectNonEmptyBatch('conv2d', x, 'input');
  expectFinite('conv2d', x, 'input');
  return { ...plan, groups, O, Kg: Cg * kH * kW };
}

/** y from the im2col matrices: per image n and group g, W_g (O/G × Kg) · cols_{n,g} (Kg × OH·OW), then the bias. */
export function convolveColumns(cols: Float64Array, W: Tensor, b: Tensor | null, p: Conv2dPlan): Tensor {
  const { N, O, OH, OW, groups, Kg } = p;
  const L = OH * OW, Og = O / groups;
  const y = Tensor.zeros([N, O, OH, OW], W.dtype);
  for (let n = 0; n < N; n++) {
    for (let g = 0; g < groups; g++) {
      const colsG = cols.subarray((n * groups + g) * Kg * L, (n * groups + g + 1) * Kg * L);
      const yG = y.data.subarray((n * O + g * Og) * L, (n * O + (g + 1) * Og) * L); // rows o of image n: already N×O×L
      gemm(Og, L, Kg, W.data.subarray(g * Og * Kg, (g + 1) * Og * Kg), false, colsG, false, yG);
    }
    // Stryker disable next-line EqualityOperator: `o <= O` adds the bias pass o = O: it writes the next image's first output row, which that image's product then overwrites (past the end for the last image)
    if (b) for (let o = 0; o < O; o++) for (let l = (n * O + o) * L, end = l + L; l < end; l++) y.data[l] = y.data[l]! + b.data[o]!;
  }
  return y;
}

/**
 * dW (b2), db (b3) and, unless `inputGradient` is false, dx (b1), from the im2col matrices of x and dy.
 * `scratch`, if given and of cols' length, holds dcols (a layer reuses it batch after batch).
 */
export function convolveColumnsBackward(
  cols: Float64Array,
  W: Tensor,
  gradOutput: Tensor,
  p: Conv2dPlan,
  // Stryker disable next-line BooleanLiteral: only conv2dBackward relies on this default, and no op calls it (the adapter uses the Conv2d layer, which passes the flag)
  inputGradient = true,
  scratch?: Float64Array,
): { gradX: Tensor | null; gradW: Tensor; gradB: Tensor } {
  const { N, O, OH, OW, groups, Kg } = p;
  expectShape('conv2d', gradOutput, 'gradOutput', [N, O, OH, OW], 'output');
  expectSameDType('conv2d', gradOutput, 'gradOutput', W, 'weight');
  const L = OH * OW, Og = O / groups;
  const dy = gradOutput.data;
  const dW = new Float64Array(W.size); // Σ over the images, in float64
  const perImage = new Float64Array(Og * Kg);
  // Stryker disable next-line ConditionalExpression,EqualityOperator: reuse or not, dcols gets the same values: the layer always passes a buffer of cols' length, and a fresh one is written whole
  const dcols = inputGradient ? (scratch?.length === cols.length ? scratch : new Float64Array(cols.length)) : null; // gemm overwrites it all
  const sums = new Float64Array(O);
  for (let n = 0; n < N; n++) {
    for (let g = 0; g < groups; g++) {
      const dyG = dy.subarray((n * O + g * Og) * L, (n * O + (g + 1) * Og) * L);
      const at = (n * groups + g) * Kg * L;
      gemm(Og, Kg, L, dyG, false, cols.subarray(at, at + Kg * L), true, perImage); // dy_{n,g} · cols_{n,g}ᵀ
      for (let i = 0, w0 = g * Og * Kg; i < perImage.length; i++) dW[w0 + i]! += perImage[i]!;
      if (dcols) gemm(Kg, L, Og, W.data.subarray(g * Og * Kg, (g + 1) * Og * Kg), true, dyG, false, dcols.subarray(at, at + Kg * L)); // W_gᵀ · dy_{n,g}
    }
    // Stryker disable next-line EqualityOperator: `o <= O` adds into sums[O], past the end of the Float64Array (dropped)
    for (let o = 0; o < O; o++) {
      for (let l = (n * O + o) * L, end = l + L; l < end; l++) sums[o]! += dy[l]!; // its own line: the comment above must not cover this bound
    }
  }
  const gradW = Tensor.zeros(W.shape, W.dtype);
  gradW.data.set(dW);
  const gradB = Tensor.zeros([O], W.dtype);
  gradB.data.set(sums);
  return { gradX: dcols ? col2im(dcols, p, W.dtype) : null, gradW, gradB };
}

/** The convolution of spec/ops/conv2d.md#f1: a new N×O×OH×OW tensor. `b` null: no bias. */
export function conv2d(x: Tensor, W: Tensor, b: Tensor | null, options: Conv2dOptions = {}): Tensor {
  const p = conv2dPlan(x, W, b, options);
  return convolveColumns(im2col(x, p), W, b, p);
}

/** Gradients of conv2d given dL/dy: gradX (b1), gradW (b2), gradB (b3; null when the layer has no bias). */
export function conv2dBackward(
  x: Tensor,
  W: Tensor,
  hasBias: boolean,
  gradOutput: Tensor,
  options: Conv2dOptions = {},
): { gradX: Tensor; gradW: Tensor; gradB: Tensor | null } {
  expectRank('conv2d', gradOutput, 4, 'a 4-D gradOutput (N×O×OH×OW)');
  const p = conv2dPlan(x, W, null, options);
  const { gradX, gradW, gradB } = convolveColumnsBackward(im2col(x, p), W, gradOutput, p);
  return { gradX: gradX!, gradW, gradB: hasBias ? gradB : null };
}

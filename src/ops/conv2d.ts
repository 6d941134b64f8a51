// conv2d (spec/ops/conv2d.md): y[n,o,i,j] = b[o] + Σ_{c',kh,kw} W[o,c',kh,kw]·xp[n, g·C/G + c', i·sH + kh·dH, j·sW + kw·dW],
// a cross-correlation (no kernel flip) of the zero-padded x, per group g of C/G channels.
// By im2col: every window becomes a column, so y = W·cols per group is one matrix product on the
// fast kernel, and the backward is two more: dW = dy·colsᵀ (b2) and dcols = Wᵀ·dy, which col2im adds
// back where each window was read from (b1, the transposed convolution; the kernel "flip" is in it).
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
  const plan = windowPlan('conv2d', x, {
    kernel: [kH, kW],
    stride: parsePair('conv2d', 'stride', options.stride, 1),
    dilation: parsePair('conv2d', 'dilation', options.dilation, 1),
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

/** y from the im2col matrix: per group, W_g (O/G × Kg) · cols_g (Kg × N·L), then the bias; laid out N×O×OH×OW. */
export function convolveColumns(cols: Float64Array, W: Tensor, b: Tensor | null, p: Conv2dPlan): Tensor {
  const { N, O, OH, OW, groups, Kg } = p;
  const L = OH * OW, NL = N * L, Og = O / groups;
  const product = new Float64Array(O * NL); // row o, column n·L + l
  for (let g = 0; g < groups; g++) {
    const Wg = W.data.subarray(g * Og * Kg, (g + 1) * Og * Kg);
    gemm(Og, NL, Kg, Wg, false, cols.subarray(g * Kg * NL, (g + 1) * Kg * NL), false, product.subarray(g * Og * NL, (g + 1) * Og * NL));
  }
  const y = Tensor.zeros([N, O, OH, OW], W.dtype);
  for (let n = 0; n < N; n++) {
    for (let o = 0; o < O; o++) {
      const bias = b ? b.data[o]! : 0;
      const from = o * NL + n * L, to = (n * O + o) * L;
      for (let l = 0; l < L; l++) y.data[to + l] = product[from + l]! + bias;
    }
  }
  return y;
}

/** dW (b2), db (b3) and, unless `inputGradient` is false, dx (b1), from the im2col matrix of x and dy. */
export function convolveColumnsBackward(
  cols: Float64Array,
  W: Tensor,
  gradOutput: Tensor,
  p: Conv2dPlan,
  inputGradient = true,
): { gradX: Tensor | null; gradW: Tensor; gradB: Tensor } {
  const { N, O, OH, OW, groups, Kg } = p;
  expectShape('conv2d', gradOutput, 'gradOutput', [N, O, OH, OW], 'output');
  expectSameDType('conv2d', gradOutput, 'gradOutput', W, 'weight');
  const L = OH * OW, NL = N * L, Og = O / groups;
  const dyRows = new Float64Array(O * NL); // dy as O × (N·L), the layout of the forward product
  const sums = new Float64Array(O);
  for (let n = 0; n < N; n++) {
    for (let o = 0; o < O; o++) {
      const from = (n * O + o) * L, to = o * NL + n * L;
      for (let l = 0; l < L; l++) {
        const v = gradOutput.data[from + l]!;
        dyRows[to + l] = v;
        sums[o]! += v;
      }
    }
  }
  const gradW = Tensor.zeros(W.shape, W.dtype);
  const dcols = inputGradient ? new Float64Array(groups * Kg * NL) : null;
  for (let g = 0; g < groups; g++) {
    const dyG = dyRows.subarray(g * Og * NL, (g + 1) * Og * NL);
    const colsG = cols.subarray(g * Kg * NL, (g + 1) * Kg * NL);
    gemm(Og, Kg, NL, dyG, false, colsG, true, gradW.data.subarray(g * Og * Kg, (g + 1) * Og * Kg)); // dy_g · cols_gᵀ
    if (dcols) gemm(Kg, NL, Og, W.data.subarray(g * Og * Kg, (g + 1) * Og * Kg), true, dyG, false, dcols.subarray(g * Kg * NL, (g + 1) * Kg * NL)); // W_gᵀ · dy_g
  }
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

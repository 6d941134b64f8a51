// conv2d's formulas as ONNX graphs (spec/ops/conv2d.md), shared by the conv2d and cnn cases: im2col
// and one batched MatMul per group, since ORT's CPU provider has no float64 Conv or ConvTranspose.
import type { Graph } from '../onnx/graph';
import { col2im, reshape, windowGeometry, windows, type WindowGeometry } from './windows';

/** The layer around the windows: groups G, out channels O, and Kg = (C/G)·kH·kW, one group's window length. */
export interface ConvGeometry extends WindowGeometry {
  groups: number;
  O: number;
  Kg: number;
}

/** x (N, C, H, W) and W (O, C/G, kH, kW) with the stride, padding, dilation and groups attributes. */
export function convGeometry(xShape: readonly number[], wShape: readonly number[], attributes: Record<string, unknown>): ConvGeometry {
  const [O, Cg, kH, kW] = wShape as [number, number, number, number];
  const groups = typeof attributes.groups === 'number' ? attributes.groups : 1;
  const geo = windowGeometry(xShape, [kH, kW], attributes);
  if (geo.C !== Cg * groups || O % groups !== 0) {
    throw new Error(`conv2d: x [${xShape.join(', ')}] and W [${wShape.join(', ')}] do not fit groups ${groups}`);
  }
  return { ...geo, groups, O, Kg: Cg * kH * kW };
}

/** y = W ⋆ x + b (f1): windows (N, G, Kg, L), then W as (G, O/G, Kg) times each group's windows. */
export function conv2dForward(g: Graph, x: string, W: string, b: string | undefined, geo: ConvGeometry): { y: string; cols: string } {
  const { N, groups: G, O, Kg, OH, OW } = geo;
  const L = OH * OW;
  const cols = reshape(g, windows(g, x, geo, 0), [N, G, Kg, L]);
  const yg = g.op('MatMul', [reshape(g, W, [G, O / G, Kg]), cols]); // (N, G, O/G, L)
  const y = reshape(g, yg, [N, O, OH, OW]);
  return { y: b === undefined ? y : g.op('Add', [y, reshape(g, b, [O, 1, 1])]), cols };
}

/**
 * b1: dx = col2im(Wᵀ·dy) per group (a transposed convolution: each window gets dy times the kernel and
 * is added back where it was read from); b2: dW = Σ_n dy·colsᵀ; b3: db = Σ_{n,h,w} dy.
 */
export function conv2dBackward(g: Graph, cols: string, W: string, dy: string, geo: ConvGeometry): { x: string; W: string; b: string } {
  const { N, C, groups: G, O, Kg, OH, OW, kernel } = geo;
  const L = OH * OW;
  const dyg = reshape(g, dy, [N, G, O / G, L]);
  const Wg = reshape(g, W, [G, O / G, Kg]);
  const dW = g.op('ReduceSum', [g.op('MatMul', [dyg, g.op('Transpose', [cols], { perm: [0, 1, 3, 2] })]), g.axes([0])], { keepdims: 0 });
  const dcols = g.op('MatMul', [g.op('Transpose', [Wg], { perm: [0, 2, 1] }), dyg]); // (N, G, Kg, L)
  return {
    x: col2im(g, reshape(g, dcols, [N, C, kernel[0] * kernel[1], L]), geo),
    W: reshape(g, dW, [O, C / G, kernel[0], kernel[1]]),
    b: g.op('ReduceSum', [dy, g.axes([0, 2, 3])], { keepdims: 0 }),
  };
}

/** ONNX Conv's attributes for this geometry. */
function convAttributes(geo: ConvGeometry) {
  return { kernel_shape: geo.kernel, pads: geo.pads, strides: geo.stride, dilations: geo.dilation, group: geo.groups };
}

/** f1 as ONNX's native Conv (float32 only in ORT): the cross-check of conv2dForward. */
export function nativeConv2dForward(g: Graph, x: string, W: string, b: string | undefined, geo: ConvGeometry): string {
  return g.op('Conv', b === undefined ? [x, W] : [x, W, b], convAttributes(geo));
}

/**
 * b1 as ONNX's ConvTranspose of dy with W (output_padding restores the rows no window reached), and
 * for one group b2 as a Conv over the batch axis: x with N and C swapped, dy as the kernel, the roles
 * of stride and dilation exchanged. The cross-check of conv2dBackward.
 */
export function nativeConv2dBackward(g: Graph, x: string, W: string, dy: string, geo: ConvGeometry): Record<string, string> {
  const { H, W: width, OH, OW, kernel, stride, dilation, pads } = geo;
  const reach = (o: number, k: number, s: number, d: number) => s * (o - 1) + d * (k - 1) + 1;
  const outputPadding = [H + pads[0] + pads[2] - reach(OH, kernel[0], stride[0], dilation[0]), width + pads[1] + pads[3] - reach(OW, kernel[1], stride[1], dilation[1])];
  const grads: Record<string, string> = {
    x: g.op('ConvTranspose', [dy, W], { ...convAttributes(geo), output_padding: outputPadding }),
    b: g.op('ReduceSum', [dy, g.axes([0, 2, 3])], { keepdims: 0 }),
  };
  if (geo.groups === 1) {
    const [t, l, bottom, r] = pads;
    const xp = g.op('Pad', [x, g.constant([0, 0, t, l, 0, 0, bottom, r], [8], 'int64')]);
    const swap = { perm: [1, 0, 2, 3] };
    const full = g.op('Conv', [g.op('Transpose', [xp], swap), g.op('Transpose', [dy], swap)], { strides: dilation, dilations: stride }); // (C, O, ≥kH, ≥kW)
    const dW = g.op('Slice', [full, g.constant([0, 0], [2], 'int64'), g.constant(kernel, [2], 'int64'), g.constant([2, 3], [2], 'int64')]);
    grads.W = g.op('Transpose', [dW], swap);
  }
  return grads;
}

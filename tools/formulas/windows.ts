// Sliding windows over the two spatial axes of an NCHW tensor, as ONNX graphs: im2col (every window's
// elements side by side) and its adjoint col2im (each window element added back where it came from).
// conv2d, max_pool2d and avg_pool2d (spec/ops/conv2d.md, max_pool2d.md, avg_pool2d.md) are built on
// them, because ORT has no float64 Conv, ConvTranspose or AveragePool; tools/test/native-ops.test.ts
// checks them against those native ops in float32.
import type { Graph } from '../onnx/graph';

/** Where the windows lie: the input's N, C, H, W, the kernel, stride, dilation and the four pads. */
export interface WindowGeometry {
  N: number;
  C: number;
  H: number;
  W: number;
  kernel: [number, number];
  stride: [number, number];
  dilation: [number, number];
  /** [top, left, bottom, right], ONNX's pads order for two spatial axes. */
  pads: [number, number, number, number];
  /** Output rows and columns: ⌊(H + top + bottom − dilation·(k − 1) − 1) / stride⌋ + 1. */
  OH: number;
  OW: number;
}

function pair(value: unknown, name: string, fallback: number): [number, number] {
  if (value === undefined) return [fallback, fallback];
  if (typeof value === 'number') return [value, value];
  if (Array.isArray(value) && value.length === 2) return [value[0] as number, value[1] as number];
  throw new Error(`windows: ${name} must be a number or two numbers, got ${JSON.stringify(value)}`);
}

/** `padding` as [top, left, bottom, right]: [ph, pw] (PyTorch's symmetric form) or four numbers (ONNX's order). */
export function fourPads(padding: unknown): [number, number, number, number] {
  if (padding === undefined) return [0, 0, 0, 0];
  if (Array.isArray(padding) && padding.length === 4) return padding as [number, number, number, number];
  const [ph, pw] = pair(padding, 'padding', 0);
  return [ph, pw, ph, pw];
}

export function windowGeometry(
  xShape: readonly number[],
  kernel: [number, number],
  attributes: { stride?: unknown; padding?: unknown; dilation?: unknown },
): WindowGeometry {
  if (xShape.length !== 4) throw new Error(`windows: expected an NCHW input, got shape [${xShape.join(', ')}]`);
  const [N, C, H, W] = xShape as [number, number, number, number];
  const stride = pair(attributes.stride, 'stride', 1);
  const dilation = pair(attributes.dilation, 'dilation', 1);
  const pads = fourPads(attributes.padding);
  const extent = (k: number, d: number) => d * (k - 1) + 1;
  const OH = Math.floor((H + pads[0] + pads[2] - extent(kernel[0], dilation[0])) / stride[0]) + 1;
  const OW = Math.floor((W + pads[1] + pads[3] - extent(kernel[1], dilation[1])) / stride[1]) + 1;
  if (!(OH >= 1 && OW >= 1)) throw new Error(`windows: a ${kernel.join('×')} kernel does not fit input ${H}×${W} with pads [${pads.join(', ')}]`);
  return { N, C, H, W, kernel, stride, dilation, pads, OH, OW };
}

/** Rows and columns of the padded plane. */
function padded(geo: WindowGeometry): [number, number] {
  return [geo.H + geo.pads[0] + geo.pads[2], geo.W + geo.pads[1] + geo.pads[3]];
}

/**
 * The index table of im2col: entry [k, l] is the flat position, in the padded plane, of element k of
 * window l (k = kh·kW + kw in row-major kernel order, l = oh·OW + ow): (oh·sH + kh·dH)·Wp + ow·sW + kw·dW.
 */
export function windowIndices(geo: WindowGeometry): number[] {
  const [, Wp] = padded(geo);
  const [kH, kW] = geo.kernel;
  const out: number[] = [];
  for (let kh = 0; kh < kH; kh++) {
    for (let kw = 0; kw < kW; kw++) {
      for (let oh = 0; oh < geo.OH; oh++) {
        for (let ow = 0; ow < geo.OW; ow++) {
          out.push((oh * geo.stride[0] + kh * geo.dilation[0]) * Wp + ow * geo.stride[1] + kw * geo.dilation[1]);
        }
      }
    }
  }
  return out;
}

const ints = (g: Graph, values: number[]) => g.constant(values, [values.length], 'int64');

/** Reshape to a shape known when the graph is built. */
export function reshape(g: Graph, x: string, shape: number[]): string {
  return g.op('Reshape', [x, ints(g, shape)]);
}

/** im2col: x (N, C, H, W), padded with `padValue` (0, or −∞ for max pooling) → windows (N, C, K, L), K = kH·kW, L = OH·OW. */
export function windows(g: Graph, x: string, geo: WindowGeometry, padValue: number): string {
  const [t, l, b, r] = geo.pads;
  const [Hp, Wp] = padded(geo);
  const xp = t || l || b || r ? g.op('Pad', [x, ints(g, [0, 0, t, l, 0, 0, b, r]), g.constant(padValue)], { mode: 'constant' }) : x;
  const flat = reshape(g, xp, [geo.N, geo.C, Hp * Wp]);
  const K = geo.kernel[0] * geo.kernel[1];
  return g.op('Gather', [flat, g.constant(windowIndices(geo), [K, geo.OH * geo.OW], 'int64')], { axis: 2 });
}

/**
 * col2im, the adjoint of windows(): cols (N, C, K, L) → (N, C, H, W), each element added to the input
 * position it was read from (overlapping windows sum), and what landed on the padding dropped.
 */
export function col2im(g: Graph, cols: string, geo: WindowGeometry): string {
  const { N, C, H, W } = geo;
  const [t, l] = geo.pads;
  const [Hp, Wp] = padded(geo);
  const KL = geo.kernel[0] * geo.kernel[1] * geo.OH * geo.OW;
  // ScatterND adds along its first axis, so the plane goes first: updates (K·L, N, C) into (Hp·Wp, N, C).
  const updates = reshape(g, g.op('Transpose', [cols], { perm: [2, 3, 0, 1] }), [KL, N, C]);
  const zeros = g.op('Expand', [g.constant(0), ints(g, [Hp * Wp, N, C])]);
  const positions = g.constant(windowIndices(geo), [KL, 1], 'int64');
  const summed = g.op('ScatterND', [zeros, positions, updates], { reduction: 'add' });
  const plane = reshape(g, g.op('Transpose', [summed], { perm: [1, 2, 0] }), [N, C, Hp, Wp]);
  if (Hp === H && Wp === W) return plane;
  return g.op('Slice', [plane, ints(g, [t, l]), ints(g, [t + H, l + W]), ints(g, [2, 3])]);
}

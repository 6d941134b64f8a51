// conv2d whose weight gradient has its two channel axes swapped: (C/G, O, kH, kW) instead of W's
// (O, C/G, kH, kW) layout.
import type { Implementation } from '../../implementation';
import { like, substitute } from './substitute';

export function conv2dTransposedDW(base: Implementation): Implementation {
  return substitute(base, 'conv2d', 'dW channel axes swapped', async (request, ref) => {
    const reply = await ref.run(request);
    const dW = reply.grad_params?.W;
    if (dW) {
      const [O, Cg, kH, kW] = dW.shape as [number, number, number, number];
      const k = kH * kW;
      const t = new Float64Array(dW.data.length);
      for (let o = 0; o < O; o++) for (let c = 0; c < Cg; c++) for (let e = 0; e < k; e++) t[(c * O + o) * k + e] = dW.data[(o * Cg + c) * k + e]!;
      reply.grad_params!.W = like(dW, t, [Cg, O, kH, kW]);
    }
    return reply;
  });
}

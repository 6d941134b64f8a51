// max_pool2d whose backward gives dy to every element equal to the window's maximum, instead of only
// the first one in row-major window order (max_pool2d s1).
import type { Implementation } from '../../implementation';
import { like, substitute } from './substitute';

export function maxPoolEveryTie(base: Implementation): Implementation {
  return substitute(base, 'max_pool2d', 'dy to every tied maximum', async (request, ref) => {
    const reply = await ref.run(request);
    const x = request.inputs.x!, dy = request.grad_output?.y, y = reply.forward.y!;
    if (!dy) return reply;
    const [N, C, H, W] = x.shape as [number, number, number, number];
    const [, , OH, OW] = y.shape as [number, number, number, number];
    const [kH, kW] = request.attributes.kernel_size as number[];
    const [sH, sW] = request.attributes.stride as number[];
    const [pH, pW] = (request.attributes.padding as number[] | undefined) ?? [0, 0];
    const dx = new Float64Array(x.data.length);
    for (let plane = 0; plane < N * C; plane++) for (let i = 0; i < OH; i++) for (let j = 0; j < OW; j++) {
      const out = (plane * OH + i) * OW + j;
      for (let kh = 0; kh < kH!; kh++) for (let kw = 0; kw < kW!; kw++) {
        const h = i * sH! + kh - pH!, w = j * sW! + kw - pW!;
        const at = (plane * H + h) * W + w;
        if (h >= 0 && h < H && w >= 0 && w < W && x.data[at] === y.data[out]) dx[at]! += dy.data[out]!;
      }
    }
    reply.grad_inputs = { x: like(x, dx) };
    return reply;
  });
}

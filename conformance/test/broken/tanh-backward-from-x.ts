// Tanh whose backward uses the input where the output belongs: dx = dy·(1 − x²) instead of dy·(1 − y²).
import type { Implementation } from '../../implementation';
import { like, substitute } from './substitute';

export function tanhBackwardFromX(base: Implementation): Implementation {
  return substitute(base, 'tanh', 'backward from x instead of y', async (request, ref) => {
    const reply = await ref.run(request);
    const x = request.inputs.x!;
    const dy = request.grad_output?.y;
    if (dy) reply.grad_inputs = { x: like(x, Array.from(x.data, (v, i) => dy.data[i]! * (1 - v * v))) };
    return reply;
  });
}

// Dropout that applies the mask but forgets the 1/(1 − p) scale: y = x·mask, dx = dy·mask.
import type { CaseReply, Implementation } from '../../implementation';
import { like, substitute } from './substitute';

export function dropoutWithoutScale(base: Implementation): Implementation {
  return substitute(base, 'dropout', 'no 1/(1 − p) scale', async (request, ref) => {
    if (request.attributes.training === false) return ref.run(request);
    const x = request.inputs.x!;
    const mask = request.inputs.mask!;
    const reply: CaseReply = { forward: { y: like(x, Array.from(x.data, (v, i) => v * mask.data[i]!)) } };
    const dy = request.grad_output?.y;
    if (dy) {
      reply.grad_inputs = { x: like(x, Array.from(dy.data, (g, i) => g * mask.data[i]!)) };
      reply.grad_params = {};
    }
    return reply;
  });
}

// conv2d whose dx correlates dy with the kernel as it is, instead of rotated by 180° (conv2d b1).
import type { Implementation } from '../../implementation';
import { convInputGradient } from './conv-input-gradient';
import { substitute } from './substitute';

export function conv2dKernelNotFlipped(base: Implementation): Implementation {
  return substitute(base, 'conv2d', 'kernel not flipped in dx', async (request, ref) => {
    const reply = await ref.run(request);
    if (request.grad_output) reply.grad_inputs = { x: convInputGradient(request, { kernelNotFlipped: true }) };
    return reply;
  });
}

// conv2d whose backward forgets the padding offset: dx is the padded input's gradient cropped from
// its top-left corner, so every value lands `padding` rows and columns away from its input.
import type { Implementation } from '../../implementation';
import { convInputGradient } from './conv-input-gradient';
import { substitute } from './substitute';

export function conv2dPaddingIgnored(base: Implementation): Implementation {
  return substitute(base, 'conv2d', 'padding ignored in the backward', async (request, ref) => {
    const reply = await ref.run(request);
    if (request.grad_output) reply.grad_inputs = { x: convInputGradient(request, { paddingIgnored: true }) };
    return reply;
  });
}

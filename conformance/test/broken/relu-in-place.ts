// ReLU whose backward zeroes the incoming gradient in place and returns it (the seed tutorial's bug).
import type { Implementation } from '../../implementation';
import { substitute } from './substitute';

export function reluBackwardInPlace(base: Implementation): Implementation {
  return substitute(base, 'relu', 'backward writes into grad_output', async (request, ref) => {
    const reply = await ref.run(request);
    const x = request.inputs.x!;
    const dy = request.grad_output?.y;
    if (dy) {
      for (let i = 0; i < dy.data.length; i++) if (!(x.data[i]! > 0)) dy.data[i] = 0;
      reply.grad_inputs = { x: dy };
    }
    return reply;
  });
}

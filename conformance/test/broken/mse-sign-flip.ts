// MSE whose gradient is 2(t − y)/N instead of 2(y − t)/N.
import type { Implementation } from '../../implementation';
import { like, substitute } from './substitute';

export function mseSignFlip(base: Implementation): Implementation {
  return substitute(base, 'mse', 'gradient sign flipped', async (request, ref) => {
    const reply = await ref.run(request);
    const d = reply.grad_inputs?.prediction;
    if (d) reply.grad_inputs!.prediction = like(d, Array.from(d.data, (v) => -v));
    return reply;
  });
}

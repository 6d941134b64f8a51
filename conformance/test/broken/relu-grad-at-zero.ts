// ReLU whose backward passes the gradient through at x = 0: dx = x >= 0 ? dy : 0.
import type { Implementation } from '../../implementation';
import { like, substitute } from './substitute';

export function reluGradAtZeroIsOne(base: Implementation): Implementation {
  return substitute(base, 'relu', "ReLU'(0) = 1", async (request, ref) => {
    const reply = await ref.run(request);
    const x = request.inputs.x!;
    const dy = request.grad_output?.y;
    if (dy) reply.grad_inputs = { x: like(x, Array.from(x.data, (v, i) => (v >= 0 ? dy.data[i]! : 0))) };
    return reply;
  });
}

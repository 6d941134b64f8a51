// Leaky ReLU whose backward passes the gradient through at x = 0: dx = x >= 0 ? dy : alpha·dy
// (PyTorch, TensorFlow.js and the spec use alpha there: x > 0 ? dy : alpha·dy).
import type { Implementation } from '../../implementation';
import { like, substitute } from './substitute';

export function leakyReluSlopeOneAtZero(base: Implementation): Implementation {
  return substitute(base, 'leaky_relu', 'slope 1 at x = 0', async (request, ref) => {
    const reply = await ref.run(request);
    const x = request.inputs.x!;
    const dy = request.grad_output?.y;
    const alpha = typeof request.attributes.alpha === 'number' ? request.attributes.alpha : 0.01;
    if (dy) reply.grad_inputs = { x: like(x, Array.from(x.data, (v, i) => (v >= 0 ? dy.data[i]! : alpha * dy.data[i]!))) };
    return reply;
  });
}

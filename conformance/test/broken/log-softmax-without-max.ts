// Log-softmax computed as x − log Σ exp(x) without subtracting the row max: exp(1000) = Infinity, so
// y = −Infinity at ±1e3 logits.
import type { CaseReply, Implementation, Tensor } from '../../implementation';
import { like, substitute } from './substitute';

function naiveLogSoftmax(x: Tensor): Float64Array {
  const n = x.shape[x.shape.length - 1]!;
  const y = new Float64Array(x.data.length);
  for (let r = 0; r < y.length; r += n) {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += Math.exp(x.data[r + j]!);
    for (let j = 0; j < n; j++) y[r + j] = x.data[r + j]! - Math.log(sum);
  }
  return y;
}

export function logSoftmaxWithoutMax(base: Implementation): Implementation {
  return substitute(base, 'log_softmax', 'no max-subtraction', async (request) => {
    const x = request.inputs.x!;
    const y = naiveLogSoftmax(x);
    const reply: CaseReply = { forward: { y: like(x, y) } };
    const dy = request.grad_output?.y;
    if (dy) {
      // dx = dy − exp(y)·Σ dy, row by row
      const n = x.shape[x.shape.length - 1]!;
      const dx = new Float64Array(y.length);
      for (let r = 0; r < y.length; r += n) {
        let total = 0;
        for (let j = 0; j < n; j++) total += dy.data[r + j]!;
        for (let j = 0; j < n; j++) dx[r + j] = dy.data[r + j]! - Math.exp(y[r + j]!) * total;
      }
      reply.grad_inputs = { x: like(x, dx) };
      reply.grad_params = {};
    }
    return reply;
  });
}

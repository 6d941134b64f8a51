// Softmax computed as exp(x) / Σ exp(x) without subtracting the row max: exp(1000) = Infinity → NaN.
import type { CaseReply, Implementation, Tensor } from '../../implementation';
import { like, substitute } from './substitute';

function naiveSoftmax(x: Tensor): Float64Array {
  const n = x.shape[x.shape.length - 1]!;
  const y = new Float64Array(x.data.length);
  for (let r = 0; r < y.length; r += n) {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += (y[r + j] = Math.exp(x.data[r + j]!));
    for (let j = 0; j < n; j++) y[r + j]! /= sum;
  }
  return y;
}

export function softmaxWithoutMax(base: Implementation): Implementation {
  return substitute(base, 'softmax', 'no max-subtraction', async (request) => {
    const x = request.inputs.x!;
    const y = naiveSoftmax(x);
    const reply: CaseReply = { forward: { y: like(x, y) } };
    const dy = request.grad_output?.y;
    if (dy) {
      // dx = y ⊙ (dy − Σ dy ⊙ y), row by row
      const n = x.shape[x.shape.length - 1]!;
      const dx = new Float64Array(y.length);
      for (let r = 0; r < y.length; r += n) {
        let dot = 0;
        for (let j = 0; j < n; j++) dot += dy.data[r + j]! * y[r + j]!;
        for (let j = 0; j < n; j++) dx[r + j] = y[r + j]! * (dy.data[r + j]! - dot);
      }
      reply.grad_inputs = { x: like(x, dx) };
      reply.grad_params = {};
    }
    return reply;
  });
}

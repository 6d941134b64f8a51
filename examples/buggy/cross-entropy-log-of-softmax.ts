// cross_entropy as −Σ t·log(softmax(x)): the max is subtracted, but a probability that underflows to 0
// gives log 0 = −∞, so the loss is +∞ at ±1e3 logits while the gradient (softmax − t) stays right.
//   npx gradspec run --impl examples/buggy/cross-entropy-log-of-softmax.ts
import type { Tensor } from '../../conformance/implementation';
import { like, substitute } from '../../conformance/test/broken/substitute';
import { catalogued } from './bug';

function lossFromLogOfSoftmax(logits: Tensor, target: Tensor, mean: boolean): number {
  const [B, C] = logits.shape as [number, number];
  let total = 0;
  for (let b = 0; b < B; b++) {
    const row = Array.from(logits.data.subarray(b * C, (b + 1) * C));
    const m = Math.max(...row);
    const sum = row.reduce((s, v) => s + Math.exp(v - m), 0);
    for (let c = 0; c < C; c++) {
      const t = target.data[b * C + c]!;
      if (t !== 0) total -= t * Math.log(Math.exp(row[c]! - m) / sum);
    }
  }
  return mean ? total / B : total;
}

export const { bug, createImplementation } = catalogued(
  (base) =>
    substitute(base, 'cross_entropy', 'log(softmax) instead of log-softmax', async (request, ref) => {
      const reply = await ref.run(request);
      const loss = lossFromLogOfSoftmax(request.inputs.logits!, request.inputs.target!, request.attributes.reduction !== 'sum');
      return { ...reply, forward: { loss: like(reply.forward.loss!, [loss]) } };
    }),
  {
    breaks: ['cross_entropy'], rule: 'spec/ops/cross_entropy.md#f2', cases: { ids: ['cross_entropy/extreme-logits-mean', 'cross_entropy/readable-2x3-mean'] },
    hint: /^\+∞ loss with a finite gradient: log\(softmax\) underflowed to log 0; compute log-softmax directly/,
  },
);

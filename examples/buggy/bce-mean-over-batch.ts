// binary_cross_entropy_with_logits whose mean divides by the batch, not by every element (f2, b2).
//   npx gradspec run --impl examples/buggy/bce-mean-over-batch.ts
import { like, substitute } from '../../conformance/test/broken/substitute';
import { catalogued } from './bug';

export const { bug, createImplementation } = catalogued(
  (base) =>
    substitute(base, 'binary_cross_entropy_with_logits', 'mean over the batch', async (request, ref) => {
      if (request.attributes.reduction === 'sum') return ref.run(request);
      const reply = await ref.run({ ...request, attributes: { ...request.attributes, reduction: 'sum' } });
      const B = request.inputs.logits!.shape[0]!;
      const loss = reply.forward.loss!;
      reply.forward.loss = like(loss, [loss.data[0]! / B]);
      const dz = reply.grad_inputs?.logits;
      if (dz) reply.grad_inputs!.logits = like(dz, Array.from(dz.data, (v) => v / B));
      return reply;
    }),
  {
    breaks: ['binary_cross_entropy_with_logits'], rule: 'spec/ops/binary_cross_entropy_with_logits.md#b2',
    cases: { ids: ['binary_cross_entropy_with_logits/random-5x7-seeded-mean', 'binary_cross_entropy_with_logits/readable-2x3-sum'] },
    hint: /^every element of dlogits is 7× the expected \(= N\/B, N = 35, B = 5\): averaged over the batch only instead of over all N elements$/,
  },
);

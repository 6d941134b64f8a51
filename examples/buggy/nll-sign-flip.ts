// nll as +Σ log_probs[b, target[b]]: the minus sign forgotten, in the loss and its gradient (nll f1).
//   npx gradspec run --impl examples/buggy/nll-sign-flip.ts
import { like, substitute } from '../../conformance/test/broken/substitute';
import { catalogued } from './bug';

export const { bug, createImplementation } = catalogued(
  (base) =>
    substitute(base, 'nll', 'sign flipped', async (request, ref) => {
      const reply = await ref.run(request);
      const loss = reply.forward.loss!;
      reply.forward.loss = like(loss, [-loss.data[0]!]);
      const d = reply.grad_inputs?.log_probs;
      if (d) reply.grad_inputs!.log_probs = like(d, Array.from(d.data, (v) => -v));
      return reply;
    }),
  {
    breaks: ['nll'], rule: 'spec/ops/nll.md#f1', cases: { ids: ['nll/readable-2x3-sum'] },
    hint: /^sign flip: (loss|dlog_probs) = −1 × the expected in every element$/,
  },
);

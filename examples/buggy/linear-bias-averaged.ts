// Linear whose db averages dy over the batch: db = mean_batch dy, where the rule sums (linear b3).
//   npx gradspec run --impl examples/buggy/linear-bias-averaged.ts
import { like, substitute } from '../../conformance/test/broken/substitute';
import { catalogued } from './bug';

export const { bug, createImplementation } = catalogued(
  (base) =>
    substitute(base, 'linear', 'db averaged over the batch', async (request, ref) => {
      const reply = await ref.run(request);
      const db = reply.grad_params?.b;
      const B = request.inputs.x!.shape[0]!;
      if (db) reply.grad_params!.b = like(db, Array.from(db.data, (v) => v / B));
      return reply;
    }),
  {
    breaks: ['linear'], rule: 'spec/ops/linear.md#b3', cases: { ids: ['linear/batch-5-2-to-3', 'linear/batch-1-4-to-3'] },
    hint: /^every element of db is 0\.2× the expected \(= 1\/B, B = 5\): averaged instead of summed over the batch$/,
  },
);

// Linear whose optimizer step skips the bias: W is updated, b stays as it was (linear u1).
//   npx gradspec run --impl examples/buggy/linear-bias-not-updated.ts
import { like, substitute } from '../../conformance/test/broken/substitute';
import { catalogued } from './bug';

export const { bug, createImplementation } = catalogued(
  (base) =>
    substitute(base, 'linear', 'b never updated', async (request, ref) => {
      const b = request.params.b;
      const before = b && like(b, b.data);
      const reply = await ref.run(request);
      if (reply.params?.b && before) reply.params.b = before;
      return reply;
    }),
  {
    breaks: ['linear'], rule: 'spec/ops/linear.md#u1', cases: { ids: ['linear/update-lr-0-5', 'linear/batch-3-5-to-7'] },
    hint: /^b is unchanged: the update was not applied to b$/,
  },
);

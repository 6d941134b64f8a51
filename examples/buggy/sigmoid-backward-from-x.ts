// sigmoid backward from the input: dy·x·(1 − x) instead of dy·y·(1 − y) (sigmoid b1).
//   npx gradspec run --impl examples/buggy/sigmoid-backward-from-x.ts
import { like, substitute } from '../../conformance/test/broken/substitute';
import { catalogued } from './bug';

export const { bug, createImplementation } = catalogued(
  (base) =>
    substitute(base, 'sigmoid', 'derivative from x, not y', async (request, ref) => {
      const reply = await ref.run(request);
      const x = request.inputs.x!;
      const dy = request.grad_output?.y;
      if (dy) reply.grad_inputs = { x: like(x, Array.from(x.data, (v, i) => dy.data[i]! * v * (1 - v))) };
      return reply;
    }),
  { breaks: ['sigmoid'], rule: 'spec/ops/sigmoid.md#b1', cases: { ids: ['sigmoid/random-3x5x7', 'sigmoid/readable-2x3'] } },
);

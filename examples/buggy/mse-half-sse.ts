// MSE as ½·Σ(y − t)² (the textbook "½ for a clean derivative"), where the rule is the mean of (y − t)²:
// the loss and its gradient are N/2 times too large (mse f1, b1).
//   npx gradspec run --impl examples/buggy/mse-half-sse.ts
import { like, substitute } from '../../conformance/test/broken/substitute';
import { catalogued } from './bug';

export const { bug, createImplementation } = catalogued(
  (base) =>
    substitute(base, 'mse', '½·Σ(y − t)² instead of the mean', async (request, ref) => {
      const reply = await ref.run(request);
      const half = request.inputs.prediction!.data.length / 2;
      const loss = reply.forward.loss!;
      reply.forward.loss = like(loss, [loss.data[0]! * half]);
      const dp = reply.grad_inputs?.prediction;
      if (dp) reply.grad_inputs!.prediction = like(dp, Array.from(dp.data, (v) => v * half));
      return reply;
    }),
  {
    breaks: ['mse'], rule: 'spec/ops/mse.md#f1', cases: { ids: ['mse/random-64x10', 'mse/random-batch-1'] },
    hint: /^(loss|every element of dprediction) is [\d.]+× the expected \(= (.* = )?N\/2, N = \d+\): .*½·Σ\(y − t\)² instead of the mean of \(y − t\)²$/,
  },
);

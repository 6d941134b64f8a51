// softmax normalised along the first axis instead of the last (softmax f2).
//   npx gradspec run --impl examples/buggy/softmax-wrong-axis.ts
import { like, substitute } from '../../conformance/test/broken/substitute';
import { catalogued } from './bug';

export const { bug, createImplementation } = catalogued(
  (base) =>
    substitute(base, 'softmax', 'normalised along axis 0', async (request, ref) => {
      const reply = await ref.run(request);
      const x = request.inputs.x!;
      const rows = x.shape[0]!;
      const inner = x.data.length / rows;
      const y = new Float64Array(x.data.length);
      for (let j = 0; j < inner; j++) {
        let max = -Infinity;
        for (let i = 0; i < rows; i++) max = Math.max(max, x.data[i * inner + j]!);
        let sum = 0;
        for (let i = 0; i < rows; i++) sum += Math.exp(x.data[i * inner + j]! - max);
        for (let i = 0; i < rows; i++) y[i * inner + j] = Math.exp(x.data[i * inner + j]! - max) / sum;
      }
      return { ...reply, forward: { y: like(x, y) } };
    }),
  {
    breaks: ['softmax'], rule: 'spec/ops/softmax.md#f2', cases: { ids: ['softmax/random-3x5x7', 'softmax/random-4x6-float32'] },
    hint: /^y is normalised along axis 0, not the last axis: each slice along axis 0 sums to 1/,
  },
);

// Every loss whose backward ignores its seed: d<input> computed as if grad_output.loss were 1, the bug
// that passed cross_entropy while every fixture's seed was 1.
import type { Implementation } from '../../implementation';
import { OPS } from '../../../spec/registry';

export function lossSeedIgnored(base: Implementation): Implementation {
  return {
    name: `${base.name} with every loss ignoring its seed`,
    run: (request) => {
      const seed = request.grad_output?.loss;
      if (OPS[request.op].kind !== 'loss' || !seed) return base.run(request);
      const one = { ...seed, data: seed.data.map(() => 1) };
      return base.run({ ...request, grad_output: { ...request.grad_output, loss: one } });
    },
  };
}

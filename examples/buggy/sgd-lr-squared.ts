// SGD that multiplies by lr twice: param − lr²·grad (sgd f1).
//   npx gradspec run --impl examples/buggy/sgd-lr-squared.ts
import { like, substitute } from '../../conformance/test/broken/substitute';
import { catalogued } from './bug';

export const { bug, createImplementation } = catalogued(
  (base) =>
    substitute(base, 'sgd', 'lr applied twice', async (request, ref) => {
      const lr = Number(request.attributes.lr);
      const reply = await ref.run({ ...request, attributes: { ...request.attributes, lr: lr * lr } });
      // The reference decays by lr·λ: keep the decay right, so only the step is wrong.
      return request.attributes.weight_decay ? ref.run(request) : { ...reply, forward: { param_next: like(request.inputs.param!, reply.forward.param_next!.data) } };
    }),
  {
    breaks: ['sgd'], rule: 'spec/ops/sgd.md#f1', cases: { ids: ['sgd/rank-3-3x5x7-lr-0-1', 'sgd/readable-2x3', 'sgd/zero-grad'] },
    hint: /^the step of param_next is ([\d.]+)× the expected \(= lr, lr = \1\): lr applied twice/,
  },
);

// AdamW whose weight decay is added to the gradient, as Adam's L2 (coupled).
//   npx gradspec run --impl examples/buggy/adamw-coupled-decay.ts
import { adamwCoupledDecay } from '../../conformance/test/broken/adamw-coupled-decay';
import { catalogued } from './bug';

export const { bug, createImplementation } = catalogued(adamwCoupledDecay, {
  breaks: ['linear'], rule: 'spec/ops/linear.md#u4', cases: { ids: ['linear/adamw-4-steps'] },
  hint: /exp_avg(_sq)? differs after \d+ steps: .*AdamW's decay is decoupled and never enters the moments\)(; or an earlier step left \w+ wrong, and the gradients taken from it)?$/,
});

// SGD weight decay applied to the param after the step instead of added to the gradient.
//   npx gradspec run --impl examples/buggy/weight-decay-after-step.ts
import { weightDecayAfterStep } from '../../conformance/test/broken/weight-decay-after-step';
import { catalogued } from './bug';

export const { bug, createImplementation } = catalogued(weightDecayAfterStep, {
  breaks: ['linear'], rule: 'spec/ops/linear.md#u4', cases: { ids: ['linear/nesterov-weight-decay-4-steps'] },
  hint: /momentum_buffer differs after \d+ steps: .*with g = grad \+ weight_decay·p\)(; or an earlier step left \w+ wrong, and the gradients taken from it)?$/,
});

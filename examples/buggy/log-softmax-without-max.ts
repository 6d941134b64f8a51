// log_softmax as x − log Σ exp(x) without the row max: −∞ at ±1e3 logits.
//   npx gradspec run --impl examples/buggy/log-softmax-without-max.ts
import { logSoftmaxWithoutMax } from '../../conformance/test/broken/log-softmax-without-max';
import { catalogued } from './bug';

export const { bug, createImplementation } = catalogued(logSoftmaxWithoutMax, {
  breaks: ['log_softmax'], rule: 'spec/ops/log_softmax.md#f1', cases: { ops: ['log_softmax'], features: ['extreme-values'] },
  hint: /^overflow: subtract the row max before exp/,
});

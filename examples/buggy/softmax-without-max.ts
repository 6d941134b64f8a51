// softmax as exp(x)/Σ exp(x) without subtracting the row max: NaN at ±1e3 logits.
//   npx gradspec run --impl examples/buggy/softmax-without-max.ts
import { softmaxWithoutMax } from '../../conformance/test/broken/softmax-without-max';
import { catalogued } from './bug';

export const { bug, createImplementation } = catalogued(softmaxWithoutMax, {
  breaks: ['softmax'], rule: 'spec/ops/softmax.md#f1', cases: { ops: ['softmax'], features: ['extreme-values'] },
  hint: /^overflow: subtract the row max before exp/,
});

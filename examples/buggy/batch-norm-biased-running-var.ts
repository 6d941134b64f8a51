// batch_norm whose running variance takes the biased (1/n) batch variance.
//   npx gradspec run --impl examples/buggy/batch-norm-biased-running-var.ts
import { batchNormBiasedRunningVar } from '../../conformance/test/broken/batch-norm-biased-running-var';
import { catalogued } from './bug';

export const { bug, createImplementation } = catalogued(batchNormBiasedRunningVar, {
  breaks: ['batch_norm'], rule: 'spec/ops/batch_norm.md#f3', cases: { ids: ['batch_norm/batch-2-unbiased', 'batch_norm/eval-2d'] },
  // No hint claimed: the message names the tensor, the worst element and the rule.
});

// batch_norm training backward without the mean terms: dx = γ·dy/√(σ² + eps).
//   npx gradspec run --impl examples/buggy/batch-norm-no-mean-terms.ts
import { batchNormNoMeanTerms } from '../../conformance/test/broken/batch-norm-no-mean-terms';
import { catalogued } from './bug';

export const { bug, createImplementation } = catalogued(batchNormNoMeanTerms, {
  breaks: ['batch_norm'], rule: 'spec/ops/batch_norm.md#b1', cases: { ids: ['batch_norm/training-4d', 'batch_norm/eval-2d'] },
  // No hint claimed: the message names the tensor, the worst element and the rule.
});

// AdamW that decays like Adam: λ·p added to the gradient (coupled L2) instead of p ← p·(1 − lr·λ)
// (adamw f1), so the decay runs through both moments.
import { createReferenceImplementation } from '../../adapters/reference';
import type { Implementation } from '../../implementation';
import { createOptimizer } from '../../../src';

export function adamwCoupledDecay(): Implementation {
  return createReferenceImplementation({
    createOptimizer: (config, parameters) => createOptimizer(config.type === 'adamw' ? { ...config, type: 'adam' } : config, parameters),
  });
}

// SGD that ignores nesterov: the step is the buffer, not d + μ·buf (sgd_momentum f4). The buffer is
// right, so the failure says the step from it is wrong.
import { createReferenceImplementation } from '../../adapters/reference';
import type { Implementation } from '../../implementation';
import { createOptimizer } from '../../../src';

export function nesterovForgotten(): Implementation {
  return createReferenceImplementation({
    createOptimizer: (config, parameters) => createOptimizer(config.type === 'sgd' ? { ...config, nesterov: false } : config, parameters),
  });
}

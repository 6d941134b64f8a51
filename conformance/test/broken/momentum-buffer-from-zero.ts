// SGD with momentum whose buffer starts at zero and is updated by μ·buf + (1 − τ)·d at the first
// step too, so it holds (1 − τ)·d instead of d (sgd_momentum f2): wrong only when dampening τ ≠ 0.
import { createReferenceImplementation } from '../../adapters/reference';
import type { Implementation } from '../../implementation';
import { createOptimizer, sgdMomentumStep, Tensor, type Parameter } from '../../../src';

export function momentumBufferFromZero(): Implementation {
  return createReferenceImplementation({
    createOptimizer: (config, parameters) => {
      if (config.type !== 'sgd' || !config.momentum) return createOptimizer(config, parameters);
      const options = { momentum: config.momentum, dampening: config.dampening, nesterov: config.nesterov, weightDecay: config.weight_decay };
      const buffers = new Map<Parameter, Tensor>();
      return {
        parameters,
        step() {
          for (const p of parameters) {
            const buffer = buffers.get(p) ?? Tensor.zeros(p.value.shape, p.value.dtype); // the bug: a zero buffer, never "none yet"
            const next = sgdMomentumStep(p.value, p.grad!, buffer, config.lr, options);
            buffers.set(p, next.buffer);
            p.value = next.param;
          }
        },
        stateOf: (p) => ({ momentum_buffer: buffers.get(p)! }),
      };
    },
  });
}

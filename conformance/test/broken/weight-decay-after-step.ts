// SGD with momentum that applies weight decay after the step, p ← p − lr·buf, then p ← p − lr·λ·p,
// instead of adding λ·p to the gradient first (sgd_momentum f1): the buffer never sees the decay.
import { createReferenceImplementation } from '../../adapters/reference';
import type { Implementation } from '../../implementation';
import { createOptimizer, sgdMomentumStep, Tensor, type Parameter } from '../../../src';

export function weightDecayAfterStep(): Implementation {
  return createReferenceImplementation({
    createOptimizer: (config, parameters) => {
      if (config.type !== 'sgd' || !config.momentum || !config.weight_decay) return createOptimizer(config, parameters);
      const decay = config.weight_decay;
      const options = { momentum: config.momentum, dampening: config.dampening, nesterov: config.nesterov, weightDecay: 0 };
      const buffers = new Map<Parameter, Tensor>();
      return {
        parameters,
        step() {
          for (const p of parameters) {
            const next = sgdMomentumStep(p.value, p.grad!, buffers.get(p) ?? null, config.lr, options);
            buffers.set(p, next.buffer);
            p.value = new Tensor(next.param.data.map((v) => v - config.lr * decay * v), next.param.shape); // the bug: decay last
          }
        },
        stateOf: (p) => ({ momentum_buffer: buffers.get(p)! }),
      };
    },
  });
}

// Adam that skips the bias correction: p ← p − lr·m/(√v + ε), as if 1 − β^t were 1 (adam f3).
// The moments are right, so the failure says the step from them is wrong.
import { createReferenceImplementation } from '../../adapters/reference';
import type { Implementation } from '../../implementation';
import { adamStep, createOptimizer, Tensor, type AdamOptions, type AdamState, type Parameter } from '../../../src';

/** t = 1e9: β1^t and β2^t underflow to 0, so both corrections are exactly 1 — no correction at all. */
const NO_CORRECTION = 1e9;

export function adamWithoutBiasCorrection(): Implementation {
  return createReferenceImplementation({
    createOptimizer: (config, parameters) => {
      if (config.type !== 'adam') return createOptimizer(config, parameters);
      const moments = new Map<Parameter, AdamState>();
      const options: AdamOptions = { betas: [config.betas![0]!, config.betas![1]!], eps: config.eps, weightDecay: config.weight_decay };
      return {
        parameters,
        step() {
          for (const p of parameters) {
            const state = moments.get(p) ?? { expAvg: Tensor.zeros(p.value.shape, p.value.dtype), expAvgSq: Tensor.zeros(p.value.shape, p.value.dtype) };
            const next = adamStep(p.value, p.grad!, state, NO_CORRECTION, config.lr, options);
            moments.set(p, { expAvg: next.expAvg, expAvgSq: next.expAvgSq });
            p.value = next.param;
          }
        },
        stateOf: (p) => ({ exp_avg: moments.get(p)!.expAvg, exp_avg_sq: moments.get(p)!.expAvgSq }),
      };
    },
  });
}

// The optimizers, in one import, and an optimizer from a config object named as the spec names it
// (spec/common.schema.json Optimizer: type, lr, momentum, dampening, nesterov, weight_decay, betas, eps).
import type { Parameter } from '../layers/layer';
import type { Tensor } from '../tensor';
import { Adam, AdamW, adamStep, type AdamOptions, type AdamState } from './adam';
import { SGD, sgdMomentumStep, sgdStep, type SGDOptions } from './sgd';

export { Adam, AdamW, adamStep, type AdamOptions, type AdamState, SGD, sgdMomentumStep, sgdStep, type SGDOptions };

/** What every optimizer offers: a step over its parameters, and each parameter's state by PyTorch's names. */
export interface Optimizer {
  readonly parameters: Parameter[];
  step(): void;
  stateOf(p: Parameter): Record<string, Tensor>;
}

/** An optimizer as the spec writes it; fields other than type and lr are optional, PyTorch's defaults fill them. */
export interface OptimizerConfig {
  type: string;
  lr: number;
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  weight_decay?: number;
  betas?: readonly number[];
  eps?: number;
}

/** The optimizer `config` names, over `parameters`; an unknown type names the ones there are. */
export function createOptimizer(config: OptimizerConfig, parameters: Parameter[]): Optimizer {
  switch (config.type) {
    case 'sgd':
      return new SGD(parameters, config.lr, { momentum: config.momentum, dampening: config.dampening, nesterov: config.nesterov, weightDecay: config.weight_decay });
    case 'adam':
    case 'adamw': {
      const { betas } = config;
      if (betas !== undefined && betas.length !== 2) throw new Error(`${config.type}: betas must be [beta1, beta2], got [${betas.join(', ')}]`);
      const options: AdamOptions = { eps: config.eps, weightDecay: config.weight_decay, ...(betas ? { betas: [betas[0]!, betas[1]!] as const } : {}) };
      return config.type === 'adam' ? new Adam(parameters, config.lr, options) : new AdamW(parameters, config.lr, options);
    }
    default:
      throw new Error(`createOptimizer: unknown optimizer type '${config.type}'; expected sgd, adam or adamw`);
  }
}

// What the hints know about particular ops, in one table: a new op needs an entry only when a
// failure of it has a known cause the generic signatures (scaling, sign, transpose) do not name.
import type { Fixture } from '../spec/types/fixture';
import type { Stage } from './results';

export interface OpHintFacts {
  /** The forward calls exp: NaN/Infinity where a finite value is due is almost always a missing max-subtraction. */
  exp?: true;
  /** Forward outputs that are one step away from an input (output → input): scale and sign hints look at the step. */
  stepsFrom?: Readonly<Record<string, string>>;
  /** A squared error: a factor of 2 (or 1/2) has a known cause. */
  squaredError?: true;
  /** The derivative at x = 0 is 0 (spec rule ReLU'(0) = 0): a gradient that passes grad_output through there is that bug. */
  zeroGradAtZero?: true;
  /** Why this op's tensors may come out transposed, for the tensors named (default all) at the stages listed (default all). */
  transposed?: { names?: RegExp; stages?: readonly Stage[]; note: string };
}

const WEIGHT_LAYOUT = { names: /^W\d*$/, note: 'weight layout is (in, out), dW = xᵀ·dy' };

export const OP_HINTS: Readonly<Partial<Record<Fixture['op'], OpHintFacts>>> = {
  matmul: { transposed: { stages: ['backward'], note: 'for y = a·b: da = dy·bᵀ, db = aᵀ·dy' } },
  linear: { transposed: WEIGHT_LAYOUT },
  relu: { zeroGradAtZero: true },
  softmax: { exp: true },
  log_softmax: { exp: true },
  mse: { squaredError: true },
  mse_softmax: { exp: true, squaredError: true },
  cross_entropy: { exp: true },
  cross_entropy_index: { exp: true },
  binary_cross_entropy_with_logits: { exp: true },
  sgd: { stepsFrom: { param_next: 'param' } },
  mlp: { exp: true, transposed: WEIGHT_LAYOUT },
};

export function opHints(op: string): OpHintFacts {
  return (OP_HINTS as Partial<Record<string, OpHintFacts>>)[op] ?? {};
}

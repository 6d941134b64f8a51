// GELU that computes the tanh approximation whatever `approximate` says, so approximate = 'none'
// (the default, x·Φ(x) with erf) is off by up to 4.7e-4.
import type { Implementation } from '../../implementation';
import { substitute } from './substitute';

export function geluTanhForErf(base: Implementation): Implementation {
  return substitute(base, 'gelu', "the tanh approximation for approximate = 'none'", (request, ref) =>
    ref.run({ ...request, attributes: { ...request.attributes, approximate: 'tanh' } }),
  );
}

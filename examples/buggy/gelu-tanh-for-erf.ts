// gelu with the tanh approximation where approximate = 'none' (the default) asks for erf.
//   npx gradspec run --impl examples/buggy/gelu-tanh-for-erf.ts
import { geluTanhForErf } from '../../conformance/test/broken/gelu-tanh-for-erf';
import { catalogued } from './bug';

export const { bug, createImplementation } = catalogued(geluTanhForErf, {
  breaks: ['gelu'], rule: 'spec/ops/gelu.md#f3', cases: { ids: ['gelu/default-approximate', 'gelu/readable-2x3-tanh'] },
  // No hint claimed: the message names the tensor, the worst element and the rule.
});

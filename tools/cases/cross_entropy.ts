// Cases for spec/ops/cross_entropy.md. Each expect() writes fixtures/cross_entropy/<id>.json.
// STUB: to be written.
import { opCases } from '../define-op';

const cases = opCases(
  { op: 'cross_entropy', inputs: [], differentiable: [], params: [], outputs: [], forward: () => ({}) },
  'tools/cases/cross_entropy.ts',
);

export default cases;

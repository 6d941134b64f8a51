// Cases for spec/ops/sgd.md. Each expect() writes fixtures/sgd/<id>.json.
// STUB: to be written.
import { opCases } from '../define-op';

const cases = opCases(
  { op: 'sgd', inputs: [], differentiable: [], params: [], outputs: [], forward: () => ({}) },
  'tools/cases/sgd.ts',
);

export default cases;

// Cases for spec/ops/linear.md. Each expect() writes fixtures/linear/<id>.json.
// STUB: to be written.
import { opCases } from '../define-op';

const cases = opCases(
  { op: 'linear', inputs: [], differentiable: [], params: [], outputs: [], forward: () => ({}) },
  'tools/cases/linear.ts',
);

export default cases;

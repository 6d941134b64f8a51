// Cases for spec/ops/matmul.md. Each expect() writes fixtures/matmul/<id>.json.
// STUB: to be written.
import { opCases } from '../define-op';

const cases = opCases(
  { op: 'matmul', inputs: [], differentiable: [], params: [], outputs: [], forward: () => ({}) },
  'tools/cases/matmul.ts',
);

export default cases;

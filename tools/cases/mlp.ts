// Cases for spec/ops/mlp.md. Each expect() writes fixtures/mlp/<id>.json.
// STUB: to be written.
import { opCases } from '../define-op';

const cases = opCases(
  { op: 'mlp', inputs: [], differentiable: [], params: [], outputs: [], forward: () => ({}) },
  'tools/cases/mlp.ts',
);

export default cases;

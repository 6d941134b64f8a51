// The types an implementation written outside this repository needs:
//   import type { Implementation, CaseRequest, CaseReply } from 'gradspec';
// A declaration file over the TypeScript sources, so there is no build step.
export type { CaseDType, CaseReply, CaseRequest, DType, Implementation, Tensor, TensorMap } from './conformance/implementation';

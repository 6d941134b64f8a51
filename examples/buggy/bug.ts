// The catalogue's contract: a buggy implementation declares the op(s) it breaks, the cases that show
// it, the rule its failure must cite (spec/ops/<op>.md#<anchor>, or spec/INTERPRETING.md#must-not for
// a write into the request) and the hint it must get (or none claimed). conformance/test/catalogue.test.ts asserts all of it; `npx gradspec run --impl
// examples/buggy/<bug>.ts` runs one (createImplementation is the reference with that one bug).
import { createReferenceImplementation } from '../../conformance/adapters/reference';
import type { Implementation } from '../../conformance/implementation';
import type { Selection } from '../../conformance/test/broken/selection';

export interface Bug {
  breaks: string[];
  /** The cases the meta-test runs (a handful: the catalogue must stay fast); the reference passes them all. */
  cases: Selection;
  rule: string;
  /** What the hint of a failing tensor citing `rule` must say; undefined when no hint is claimed. */
  hint?: RegExp;
  make: (reference: Implementation) => Implementation;
}

export function catalogued(make: Bug['make'], declared: Omit<Bug, 'make'>): { bug: Bug; createImplementation: () => Implementation } {
  return { bug: { ...declared, make }, createImplementation: () => make(createReferenceImplementation()) };
}

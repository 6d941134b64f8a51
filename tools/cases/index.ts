// Every op's case file, in the order fixtures are generated.
import type { OpCases } from '../define-op';
import relu from './relu';

export const ALL_CASES: OpCases[] = [relu];

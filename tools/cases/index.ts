// Every op's case file, in registry order (spec/ops.json): tools/cases/<op>.ts for each op.
import type { OpCases } from '../define-op';
import { OP_NAMES } from '../../spec/registry';

function caseFile(op: string): OpCases {
  let cases: OpCases | undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    cases = (require(`./${op}`) as { default?: OpCases }).default;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND' || !String((e as Error).message).includes(`/${op}'`)) throw e;
  }
  if (!cases) throw new Error(`spec/ops.json lists op '${op}' but tools/cases/${op}.ts does not exist or has no default export of opCases('${op}', …)`);
  if (cases.definition.op !== op) throw new Error(`tools/cases/${op}.ts declares op '${cases.definition.op}', expected '${op}'`);
  return cases;
}

export const ALL_CASES: OpCases[] = OP_NAMES.map(caseFile);

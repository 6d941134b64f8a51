// The ops an --impl module declares, checked against spec/ops.json as the protocol's handshake checks
// a child's: an unknown name is a startup error naming it (with the op it most likely meant), not a
// silent "not run" for every case of the op it meant.
import { isOpName, OP_NAMES } from '../../spec/registry';
import { StartupError } from './errors';

/** Throws StartupError unless `ops` is undefined (all ops) or an array of registry op names. */
export function checkDeclaredOps(ops: unknown, who: string): void {
  if (ops === undefined) return;
  if (!Array.isArray(ops)) throw new StartupError(`${who}: ops must be an array of op names (or left out for all ops), got ${typeof ops}`);
  const unknown = ops.filter((op) => !isOpName(op));
  if (unknown.length === 0) return;
  const named = unknown.map((op) => {
    const guess = typeof op === 'string' ? suggest(op) : undefined;
    return `${JSON.stringify(op)}${guess ? ` (did you mean ${guess}?)` : ''}`;
  });
  throw new StartupError(`${who} declares unknown op${unknown.length === 1 ? '' : 's'} ${named.join(', ')}; ops are named as in spec/ops.json: ${OP_NAMES.join(', ')}`);
}

function suggest(name: string): string | undefined {
  const key = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  return OP_NAMES.find((op) => op.replace(/_/g, '') === key);
}

// What the runner and an --impl module's worker thread (module-worker.ts, worker-implementation.ts) say.
import type { CaseDType, CaseRequest } from '../implementation';

export interface WorkerStart {
  spec: string;
  cwd: string;
}

export type ToWorker = { type: 'run'; seq: number; request: CaseRequest } | { type: 'close' };

export type FromWorker =
  | { type: 'ready'; name: string; ops?: string[]; dtypes?: CaseDType[] }
  | { type: 'startup-error'; message: string }
  /** `request`: the request as the module left it, so an in-place write shows; `replaced`: the tensors
   *  ('inputs.x') whose object or data array the module swapped for another (a copy across threads cannot show it). */
  | { type: 'reply'; seq: number; reply: unknown; request: CaseRequest; replaced: string[] }
  | { type: 'threw'; seq: number; message: string; refused?: boolean }
  | { type: 'closed' };

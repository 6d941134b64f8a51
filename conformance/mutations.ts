// An op must not write into what it was given (DESIGN.md: the seed's ReLU backward wrote into the
// incoming gradient). Before the call, hold() notes every request tensor object, its data array and
// shape; after it, mutations() compares them bit for bit with the fixture (a −0 written over 0 counts).
import type { CaseRequest, Tensor, TensorMap } from './implementation';
import type { LoadedFixture } from './loader';
import { sameShape, unravel } from './compare';
import type { MutationChange, TensorMismatch } from './results';

type Group = 'inputs' | 'params' | 'grad_output';

/** The contract's rule a write into the request breaks (no op page defines it: it holds for every op). */
export const MUTATION_RULE = 'spec/INTERPRETING.md#must-not';

/** What was handed over: each tensor object and its data array, so a swap or a write can be told. */
export interface HeldRequest {
  entries: { group: Group; name: string; tensor: Tensor; data: Tensor['data']; shape: number[] }[];
  attributes: string;
  optimizer: string;
}

export function hold(request: CaseRequest): HeldRequest {
  const entries: HeldRequest['entries'] = [];
  for (const group of ['inputs', 'params', 'grad_output'] as const) {
    for (const [name, tensor] of Object.entries(request[group] ?? {})) {
      entries.push({ group, name, tensor, data: tensor.data, shape: [...tensor.shape] });
    }
  }
  return { entries, attributes: JSON.stringify(request.attributes), optimizer: JSON.stringify(request.optimizer) };
}

/** What an implementation that does not share the runner's objects says it holds after the call: a worker thread's
 *  copy of the request, or a protocol child's `echo` (inputs, params, grad_output only). */
export type HeldBack = Partial<Pick<CaseRequest, 'inputs' | 'params' | 'grad_output' | 'attributes' | 'optimizer'>>;

/**
 * Writes what the implementation holds onto the runner's request, so mutations() sees an in-place write made
 * elsewhere; a tensor it swapped for another object (`replaced`: 'inputs.x') becomes another object here. A tensor
 * it does not send back is not checked. `overJson`: the values came through JSON, which sent −0 as 0 both ways, so
 * the sign of a zero cannot be told and a zero (or NaN) that still reads the same is left as it was.
 */
export function writeBack(request: CaseRequest, held: HeldBack, { replaced = [], overJson = false }: { replaced?: readonly string[]; overJson?: boolean } = {}): void {
  for (const group of ['inputs', 'params', 'grad_output'] as const) {
    const mine: TensorMap | undefined = request[group];
    const theirs: TensorMap | undefined = held[group];
    if (!mine || !theirs) continue;
    for (const [name, t] of Object.entries(mine)) {
      if (replaced.includes(`${group}.${name}`)) {
        mine[name] = { ...t };
        continue;
      }
      const e = theirs[name];
      if (!e || !e.data || !Array.isArray(e.shape)) continue;
      if (e.data.length !== t.data.length || tag(e.data) !== tag(t.data)) t.data = e.data;
      else if (!overJson) t.data.set(e.data as never);
      else for (let i = 0; i < e.data.length; i++) if (!sameReading(e.data[i]!, t.data[i]!)) t.data[i] = e.data[i]!;
      if (!sameShape(e.shape, t.shape)) t.shape = e.shape;
    }
  }
  if ('attributes' in held && JSON.stringify(held.attributes) !== JSON.stringify(request.attributes)) request.attributes = held.attributes!;
  if ('optimizer' in held && request.optimizer && JSON.stringify(held.optimizer) !== JSON.stringify(request.optimizer)) request.optimizer = held.optimizer;
}

const tag = (v: unknown): string => Object.prototype.toString.call(v);
const sameReading = (a: number | bigint, b: number | bigint): boolean => a === b || (a !== a && b !== b);

/** Every request value that changed during the call, as a 'mutated' mismatch. */
export function mutations(loaded: LoadedFixture, request: CaseRequest, held: HeldRequest): TensorMismatch[] {
  const out: TensorMismatch[] = [];
  const original: Record<Group, TensorMap> = {
    inputs: loaded.inputs,
    params: loaded.params,
    grad_output: loaded.backward?.grad_output ?? {},
  };
  for (const h of held.entries) {
    const change = changeOf(h, request[h.group]?.[h.name], original[h.group][h.name]!);
    if (!change) continue;
    const stage = h.group === 'grad_output' ? 'backward' : 'forward';
    const label = h.group === 'grad_output' ? `grad_output.${h.name}` : h.name;
    out.push({ stage, label, name: h.name, kind: 'mutated', rule: MUTATION_RULE, ...change });
  }
  if (JSON.stringify(request.attributes) !== held.attributes) {
    out.push({ stage: 'forward', label: 'attributes', name: 'attributes', kind: 'mutated', rule: MUTATION_RULE, change: 'edited' });
  }
  if (JSON.stringify(request.optimizer) !== held.optimizer) {
    out.push({ stage: 'update', label: 'optimizer', name: 'optimizer', kind: 'mutated', rule: MUTATION_RULE, change: 'edited' });
  }
  return out;
}

function changeOf(h: HeldRequest['entries'][number], current: Tensor | undefined, source: Tensor): MutationChange | undefined {
  if (current !== h.tensor || h.tensor.data !== h.data) return { change: 'replaced' };
  if (!sameShape(h.tensor.shape, h.shape)) return { change: 'reshaped', shape: [...h.tensor.shape] };
  const { count, first } = changedElements(h.data, source.data);
  if (count === 0) return undefined;
  return { change: 'written', count, total: h.data.length, index: unravel(first, h.shape), now: h.data[first]!, was: source.data[first]! };
}

function changedElements(a: Tensor['data'], b: Tensor['data']): { count: number; first: number } {
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  const width = a.BYTES_PER_ELEMENT;
  let count = 0;
  let first = -1;
  for (let i = 0; i < a.length; i++) {
    for (let k = 0; k < width; k++) {
      if (x[i * width + k] !== y[i * width + k]) {
        count++;
        if (first < 0) first = i;
        break;
      }
    }
  }
  return { count, first };
}

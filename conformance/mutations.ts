// An op must not write into what it was given (DESIGN.md: the seed's ReLU backward wrote into the
// incoming gradient). Before the call, hold() notes every request tensor object, its data array and
// shape; after it, mutations() compares them bit for bit with the fixture (a −0 written over 0 counts).
import type { CaseRequest, Tensor, TensorMap } from './implementation';
import type { LoadedFixture } from './loader';
import { sameShape, unravel } from './compare';
import type { MutationChange, TensorMismatch } from './results';

type Group = 'inputs' | 'params' | 'grad_output';

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
    out.push({ stage, label, name: h.name, kind: 'mutated', ...change });
  }
  if (JSON.stringify(request.attributes) !== held.attributes) {
    out.push({ stage: 'forward', label: 'attributes', name: 'attributes', kind: 'mutated', change: 'edited' });
  }
  if (JSON.stringify(request.optimizer) !== held.optimizer) {
    out.push({ stage: 'update', label: 'optimizer', name: 'optimizer', kind: 'mutated', change: 'edited' });
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

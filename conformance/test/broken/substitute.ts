// A deliberately broken implementation: the reference in every op but one, whose behaviour is replaced.
import type { CaseReply, CaseRequest, Implementation, Tensor } from '../../implementation';

export type Substitution = (request: CaseRequest, base: Implementation) => Promise<CaseReply>;

export function substitute(base: Implementation, op: CaseRequest['op'], bug: string, run: Substitution): Implementation {
  return {
    name: `${base.name} with ${op} broken: ${bug}`,
    run: (request) => (request.op === op ? run(request, base) : base.run(request)),
  };
}

/** A tensor of the same dtype and shape holding `values`. */
export function like(t: Tensor, values: ArrayLike<number>, shape: number[] = [...t.shape]): Tensor {
  return { dtype: t.dtype, shape, data: t.dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values) };
}

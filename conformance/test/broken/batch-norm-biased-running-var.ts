// batch_norm whose running variance blends in the biased batch variance (divided by n) instead of the
// unbiased one (divided by n − 1, batch_norm f3), as ONNX's BatchNormalization does.
import type { Implementation } from '../../implementation';
import { like, substitute } from './substitute';

export function batchNormBiasedRunningVar(base: Implementation): Implementation {
  return substitute(base, 'batch_norm', 'running variance biased', async (request, ref) => {
    const reply = await ref.run(request);
    if (request.attributes.training === false) return reply;
    const x = request.inputs.x!, rv = request.inputs.running_var!;
    const momentum = (request.attributes.momentum as number | undefined) ?? 0.1;
    const [N, C] = x.shape as [number, number];
    const inner = x.data.length / (N * C);
    const next = new Float64Array(C);
    for (let c = 0; c < C; c++) {
      const values: number[] = [];
      for (let n = 0; n < N; n++) for (let k = 0; k < inner; k++) values.push(x.data[(n * C + c) * inner + k]!);
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      const biased = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
      next[c] = (1 - momentum) * rv.data[c]! + momentum * biased;
    }
    reply.forward.running_var_out = like(rv, next);
    return reply;
  });
}

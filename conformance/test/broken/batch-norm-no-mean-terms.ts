// batch_norm whose training backward treats the batch mean and variance as constants:
// dx = dy·γ/√(σ² + eps), without the −mean(dy) − x̂·mean(dy·x̂) terms of batch_norm b1.
import type { Implementation } from '../../implementation';
import { like, substitute } from './substitute';

export function batchNormNoMeanTerms(base: Implementation): Implementation {
  return substitute(base, 'batch_norm', 'backward without the mean terms', async (request, ref) => {
    const reply = await ref.run(request);
    const x = request.inputs.x!, dy = request.grad_output?.y, gamma = request.params.gamma!;
    if (!dy || request.attributes.training === false) return reply;
    const eps = (request.attributes.eps as number | undefined) ?? 1e-5;
    const [N, C] = x.shape as [number, number];
    const inner = x.data.length / (N * C);
    const dx = new Float64Array(x.data.length);
    for (let c = 0; c < C; c++) {
      const at: number[] = [];
      for (let n = 0; n < N; n++) for (let k = 0; k < inner; k++) at.push((n * C + c) * inner + k);
      const mean = at.reduce((s, i) => s + x.data[i]!, 0) / at.length;
      const variance = at.reduce((s, i) => s + (x.data[i]! - mean) ** 2, 0) / at.length;
      for (const i of at) dx[i] = (dy.data[i]! * gamma.data[c]!) / Math.sqrt(variance + eps);
    }
    reply.grad_inputs = { x: like(x, dx) };
    return reply;
  });
}

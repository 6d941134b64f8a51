// Linear whose weight gradient comes out as dyᵀ·x, shape (out, in), instead of xᵀ·dy, shape (in, out).
import type { Implementation } from '../../implementation';
import { like, substitute } from './substitute';

export function linearTransposedDW(base: Implementation): Implementation {
  return substitute(base, 'linear', 'dW transposed', async (request, ref) => {
    const reply = await ref.run(request);
    const dW = reply.grad_params?.W;
    if (dW) {
      const [rows, cols] = dW.shape as [number, number];
      const t = new Float64Array(dW.data.length);
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = dW.data[r * cols + c]!;
      reply.grad_params!.W = like(dW, t, [cols, rows]);
    }
    return reply;
  });
}

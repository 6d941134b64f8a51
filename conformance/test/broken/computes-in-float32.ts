// A broken implementation that is right in every formula but computes float64 cases in float32:
// the request is cast down, the reply cast back up (what a float32-only library wrapped to accept
// float64 does). Contract 2.0's float64 tolerance must catch it wherever float32 rounds.
import type { Implementation, TensorMap } from '../../implementation';

const cast = (m: TensorMap | undefined, dtype: 'float32' | 'float64'): TensorMap | undefined =>
  m &&
  Object.fromEntries(
    Object.entries(m).map(([k, t]) => [k, t.dtype === 'int64' ? t : { dtype, shape: t.shape, data: dtype === 'float32' ? Float32Array.from(t.data) : Float64Array.from(t.data) }]),
  );

export function computesInFloat32(base: Implementation): Implementation {
  return {
    name: `${base.name} computing in float32`,
    async run(request) {
      const reply = await base.run({
        ...request,
        dtype: 'float32',
        inputs: cast(request.inputs, 'float32')!,
        params: cast(request.params, 'float32')!,
        ...(request.grad_output && { grad_output: cast(request.grad_output, 'float32') }),
      });
      const up = (m: TensorMap | undefined) => cast(m, request.dtype === 'float32' ? 'float32' : 'float64');
      return {
        forward: up(reply.forward)!,
        ...(reply.grad_inputs && { grad_inputs: up(reply.grad_inputs) }),
        ...(reply.grad_params && { grad_params: up(reply.grad_params) }),
        ...(reply.params && { params: up(reply.params) }),
        ...(reply.losses && { losses: up({ losses: reply.losses })!.losses }),
      };
    },
  };
}

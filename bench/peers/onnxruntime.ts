// onnxruntime-node's MatMul on one thread: the native ceiling a hand-written kernel can be held to
// (MLAS, with AVX-512 / FMA where the CPU has them). A one-node graph built with onnx-proto.
import { onnx } from 'onnx-proto';
import * as ort from 'onnxruntime-node';

export const ORT_VERSION = ort.env.versions.node ?? ort.env.versions.common ?? 'unknown';

function matmulModel(n: number, dtype: 'float64' | 'float32'): Uint8Array {
  const elemType = dtype === 'float64' ? onnx.TensorProto.DataType.DOUBLE : onnx.TensorProto.DataType.FLOAT;
  const value = (name: string): onnx.IValueInfoProto => ({ name, type: { tensorType: { elemType, shape: { dim: [{ dimValue: n }, { dimValue: n }] } } } });
  const graph = onnx.GraphProto.create({
    name: 'matmul',
    node: [{ opType: 'MatMul', input: ['a', 'b'], output: ['c'], name: 'matmul' }],
    input: [value('a'), value('b')],
    output: [value('c')],
  });
  const model = onnx.ModelProto.create({ irVersion: 8, opsetImport: [{ domain: '', version: 17 }], graph, producerName: 'gradspec-bench' });
  return onnx.ModelProto.encode(model).finish();
}

/** An async C = A·B of two n×n operands on one ORT thread; `release` frees the session. */
export async function ortMatmul(a: Float64Array | Float32Array, b: Float64Array | Float32Array, n: number): Promise<{ run: () => Promise<unknown>; release: () => Promise<void> }> {
  const dtype = a instanceof Float32Array ? 'float32' : 'float64';
  const session = await ort.InferenceSession.create(matmulModel(n, dtype), { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential' });
  const feeds = { a: new ort.Tensor(dtype, a, [n, n]), b: new ort.Tensor(dtype, b, [n, n]) };
  return { run: () => session.run(feeds), release: () => session.release() };
}

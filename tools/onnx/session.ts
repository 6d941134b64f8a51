// Runs a Graph with onnxruntime-node from an in-memory buffer. One thread, so reductions happen
// in one order and results are reproducible.
import * as ort from 'onnxruntime-node';
import type { Tensor } from '../tensor';

export const ORT_VERSION: string = ort.env.versions.node ?? ort.env.versions.common;

export class OrtSession {
  private constructor(private readonly session: ort.InferenceSession) {}

  static async create(model: Uint8Array): Promise<OrtSession> {
    const session = await ort.InferenceSession.create(model, {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'disabled', // run the formulas as written, no fused rewrites
    });
    return new OrtSession(session);
  }

  async run(feeds: Record<string, Tensor>): Promise<Record<string, Tensor>> {
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = toOrt(t);
    const results = await this.session.run(ortFeeds);
    const out: Record<string, Tensor> = {};
    for (const name of this.session.outputNames) out[name] = fromOrt(results[name]!);
    return out;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

function toOrt(t: Tensor): ort.Tensor {
  if (t.dtype === 'float32') return new ort.Tensor('float32', Float32Array.from(t.data), t.shape);
  if (t.dtype === 'int64') return new ort.Tensor('int64', BigInt64Array.from(t.data, (v) => BigInt(v)), t.shape);
  return new ort.Tensor('float64', Float64Array.from(t.data), t.shape);
}

function fromOrt(t: ort.Tensor): Tensor {
  const dtype = t.type === 'float32' ? 'float32' : t.type === 'int64' ? 'int64' : 'float64';
  if (t.type !== 'float32' && t.type !== 'float64' && t.type !== 'int64') throw new Error(`ORT returned unsupported ${t.type}`);
  const src = t.data as Float32Array | Float64Array | BigInt64Array;
  const data = src instanceof BigInt64Array ? Float64Array.from(src, (v) => Number(v)) : Float64Array.from(src);
  return { dtype, shape: [...t.dims], data };
}

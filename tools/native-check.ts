// The `_expanded` cross-check (STYLE.md): where a case file had to decompose a formula that ONNX also
// has as one native op (ORT's CPU provider has no float64 Conv, ConvTranspose or AveragePool, so conv2d
// and avg_pool2d are built from im2col), the native ops run in float32 on the same data, and a
// disagreement with the decomposed graph stops the fixture, as a failed gradcheck does.
import type { OpDefinition, Values, Attributes, NativeGraphs } from './define-op';
import { Graph } from './onnx/graph';
import { OrtSession } from './onnx/session';
import { withDType, type Tensor } from './tensor';

/** Native ONNX formulas for some of an op's outputs (by name) and gradients (by input or param name). */

/** float32 arithmetic against float64 (or other float32) sums: |Δ| ≤ 1e-4·(1 + |e|) is far below any formula error. */
export const NATIVE_TOLERANCE = 1e-4;

type TensorMap = Record<string, Tensor>;

export async function crossCheckNative(
  id: string,
  def: OpDefinition,
  native: NativeGraphs,
  attributes: Attributes,
  feeds: TensorMap,
  seeds: TensorMap,
  expected: TensorMap,
): Promise<void> {
  const g = new Graph('float32');
  const v: Values = {};
  for (const [name, t] of Object.entries(feeds)) v[name] = g.input(name, t.shape, t.dtype === 'int64' ? 'int64' : 'float32');
  const checked: string[] = [];
  for (const [name, value] of Object.entries(native.forward(g, v, attributes))) {
    g.output(name, value);
    checked.push(name);
  }
  const seedValues: Values = {};
  if (native.backward && Object.keys(seeds).length) {
    for (const [name, t] of Object.entries(seeds)) seedValues[name] = g.input(`seed_${name}`, t.shape);
    for (const [name, value] of Object.entries(native.backward(g, v, seedValues, attributes))) {
      g.output(`d_${name}`, value);
      checked.push(`d_${name}`);
    }
  }
  const float32 = (map: TensorMap) => Object.fromEntries(Object.entries(map).map(([k, t]) => [k, t.dtype === 'int64' ? t : withDType(t, 'float32')]));
  const session = await OrtSession.create(g.toModel());
  let actual: TensorMap;
  try {
    actual = await session.run({ ...float32(feeds), ...float32(Object.fromEntries(Object.entries(seeds).map(([k, t]) => [`seed_${k}`, t]))) });
  } finally {
    await session.release();
  }
  for (const name of checked) {
    const e = expected[name];
    const a = actual[name]!;
    if (!e) throw new Error(`${id}: the native ${def.op} graph outputs '${name}', which the decomposed graph does not`);
    if (a.shape.join() !== e.shape.join()) {
      throw new Error(`${id}: native ONNX ${name} has shape [${a.shape.join(', ')}], the decomposed graph [${e.shape.join(', ')}] — fixture not written`);
    }
    for (let i = 0; i < e.data.length; i++) {
      const [ev, av] = [e.data[i]!, a.data[i]!];
      if (!(Math.abs(av - ev) <= NATIVE_TOLERANCE * (1 + Math.abs(ev)))) {
        throw new Error(`${id}: native ONNX ${name}[${i}] = ${av}, the decomposed graph gives ${ev} — fixture not written`);
      }
    }
  }
}

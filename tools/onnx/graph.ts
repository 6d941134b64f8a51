// A small builder for ONNX graphs: case files write forward and backward formulas as standard
// ONNX ops (ORT registers no training `Gradient` op), and this turns them into a ModelProto.
import { onnx } from 'onnx-proto';
import type { DType } from '../tensor';

export const OPSET = 17;

const ELEM_TYPE: Record<DType, number> = {
  float64: onnx.TensorProto.DataType.DOUBLE,
  float32: onnx.TensorProto.DataType.FLOAT,
  int64: onnx.TensorProto.DataType.INT64,
};

export type AttributeValue = number | number[] | string;

function attribute(name: string, value: AttributeValue): onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof value === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: T.INTS, ints: value };
  return Number.isInteger(value) ? { name, type: T.INT, i: value } : { name, type: T.FLOAT, f: value };
}

/** Builds one graph whose float tensors all share `dtype`; op() returns the output's name. */
export class Graph {
  private readonly nodes: onnx.INodeProto[] = [];
  private readonly initializers: onnx.ITensorProto[] = [];
  private readonly inputs: onnx.IValueInfoProto[] = [];
  private readonly outputs: onnx.IValueInfoProto[] = [];
  private readonly inputShapes = new Map<string, number[]>();
  private counter = 0;

  constructor(readonly dtype: DType) {}

  /** Declares a graph input (fed at run time) and returns its name. */
  input(name: string, shape: readonly number[], dtype: DType = this.dtype): string {
    this.inputs.push(valueInfo(name, dtype, shape));
    this.inputShapes.set(name, [...shape]);
    return name;
  }

  /** A graph input's declared shape: formulas whose index tables depend on it (im2col) read it here. */
  inputShape(name: string): number[] {
    const shape = this.inputShapes.get(name);
    if (!shape) throw new Error(`graph: '${name}' is not a graph input, so its shape is not known when the graph is built`);
    return [...shape];
  }

  op(opType: string, inputs: string[], attributes: Record<string, AttributeValue> = {}): string {
    const out = `${opType.toLowerCase()}_${this.counter++}`;
    this.nodes.push({
      opType,
      input: inputs,
      output: [out],
      name: out,
      attribute: Object.entries(attributes).map(([k, v]) => attribute(k, v)),
    });
    return out;
  }

  /** An op with several outputs (MaxPool's values and Indices); returns their names in order. */
  opOutputs(opType: string, inputs: string[], count: number, attributes: Record<string, AttributeValue> = {}): string[] {
    const base = `${opType.toLowerCase()}_${this.counter++}`;
    const outputs = Array.from({ length: count }, (_, i) => `${base}_${i}`);
    this.nodes.push({ opType, input: inputs, output: outputs, name: base, attribute: Object.entries(attributes).map(([k, v]) => attribute(k, v)) });
    return outputs;
  }

  /** A constant in the graph's float dtype (or int64 for shapes and axes). */
  constant(values: number | number[], shape?: number[], dtype: DType = this.dtype): string {
    const flat = Array.isArray(values) ? values : [values];
    const name = `const_${this.counter++}`;
    const dims = shape ?? (Array.isArray(values) ? [flat.length] : []);
    const t: onnx.ITensorProto = { name, dims, dataType: ELEM_TYPE[dtype] };
    if (dtype === 'float64') t.doubleData = flat;
    else if (dtype === 'float32') t.floatData = flat;
    else t.int64Data = flat;
    this.initializers.push(t);
    return name;
  }

  /** Int64 axes for ReduceSum and friends. */
  axes(axes: number[]): string {
    return this.constant(axes, [axes.length], 'int64');
  }

  /** Exposes `value` as graph output `name`. */
  output(name: string, value: string): void {
    this.nodes.push({ opType: 'Identity', input: [value], output: [name], name: `out_${name}` });
    this.outputs.push({ name, type: { tensorType: { elemType: ELEM_TYPE[this.dtype] } } });
  }

  toModel(): Uint8Array {
    const graph = onnx.GraphProto.create({
      name: 'gradspec',
      node: this.nodes,
      initializer: this.initializers,
      input: this.inputs,
      output: this.outputs,
    });
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'gradspec',
      opsetImport: [{ domain: '', version: OPSET }],
      graph,
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

function valueInfo(name: string, dtype: DType, shape: readonly number[]): onnx.IValueInfoProto {
  return { name, type: { tensorType: { elemType: ELEM_TYPE[dtype], shape: { dim: shape.map((d) => ({ dimValue: d })) } } } };
}

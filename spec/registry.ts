// The op registry (spec/ops.json) for TypeScript. The generator (tools/), the runner (conformance/)
// and the tests read op names, tensor names and attributes from here, never from a list of their own.
import registry from './ops.json';
import type { OpName } from './types/fixture';

export type { OpName };

export type OpKind = 'function' | 'activation' | 'layer' | 'loss' | 'optimizer' | 'model';

export interface AttributeSpec {
  type: 'number' | 'integer' | 'string' | 'boolean' | 'array';
  enum?: readonly unknown[];
  default?: unknown;
  description: string;
}

export interface OpEntry {
  title: string;
  summary: string;
  kind: OpKind;
  inputs: readonly string[];
  differentiable: readonly string[];
  /** May contain `{layer}` (the mlp's W{layer}, b{layer}); expand with paramNames(). */
  params: readonly string[];
  /** Params that exist only when a boolean attribute is true (param → attribute); paramNames() applies it. */
  params_if?: Readonly<Record<string, string>>;
  /** Inputs a case may leave out (the op's page says what their absence means). */
  optional?: readonly string[];
  outputs: readonly string[];
  /** Outputs that receive a grad_output seed; default all outputs. */
  seeded?: readonly string[];
  attributes: Readonly<Record<string, AttributeSpec>>;
  /** The rule (an anchor of spec/ops/<op>.md) defining each checked tensor, by its place in a fixture; tools/rules.ts expands it. */
  rules: Readonly<Record<string, string>>;
  equivalents: { pytorch: string; onnx?: string; tfjs?: string };
}

/** Every op, in registry order (the order fixtures are generated and listed). */
export const OPS = registry.ops as unknown as Readonly<Record<OpName, OpEntry>>;

export const OP_NAMES = Object.keys(OPS) as OpName[];

export function isOpName(name: unknown): name is OpName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(OPS, name);
}

/** The op's entry; a clear error for a name the registry does not have. */
export function opEntry(op: string): OpEntry {
  if (!isOpName(op)) throw new Error(`unknown op '${op}': spec/ops.json lists ${OP_NAMES.join(', ')}`);
  return OPS[op];
}

/** The outputs that receive a grad_output seed. */
export function seededOutputs(op: OpName): readonly string[] {
  return OPS[op].seeded ?? OPS[op].outputs;
}

/** Whether the op has param `name` under these attributes (params_if: its boolean attribute, else the default). */
function paramPresent(op: OpName, name: string, attributes: Readonly<Record<string, unknown>>): boolean {
  const attribute = OPS[op].params_if?.[name];
  if (attribute === undefined) return true;
  const value = attributes[attribute] ?? OPS[op].attributes[attribute]?.default;
  if (typeof value !== 'boolean') throw new Error(`${op}: attribute ${attribute} must be true or false, got ${JSON.stringify(value)}`);
  return value;
}

/**
 * The op's parameter names for these attributes: a params_if param only when its attribute is true
 * (linear with bias: false has W only), and `{layer}` runs over the layers of `sizes`.
 */
export function paramNames(op: OpName, attributes: Readonly<Record<string, unknown>>): string[] {
  const names = OPS[op].params.filter((n) => paramPresent(op, n, attributes));
  if (!names.some((n) => n.includes('{layer}'))) return [...names];
  const sizes = attributes.sizes;
  if (!Array.isArray(sizes) || sizes.length < 2) {
    throw new Error(`${op}: attribute sizes ${JSON.stringify(sizes)} must list at least two widths (input and output)`);
  }
  return Array.from({ length: sizes.length - 1 }, (_, layer) => names.map((n) => n.replace('{layer}', String(layer)))).flat();
}

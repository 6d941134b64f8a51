// What a case file declares: an op's forward and backward formulas as ONNX graphs, and its cases,
// one expect() call each (like the ONNX backend node tests' expect()).
import type { Graph, AttributeValue } from './onnx/graph';
import type { Prng } from './prng';
import type { Tensor } from './tensor';
import type { Feature, OpName, StageTolerance } from '../spec/types/fixture';
import { OPS } from '../spec/registry';
import type { OptimizerSpec } from './formulas/optimizers';
import type { RuleChoices, RuleContext } from './rules';

/** Graph value names, keyed by tensor name. */
export type Values = Record<string, string>;
export type Attributes = Record<string, AttributeValue | boolean>;

/** The same formulas as native ONNX ops, run in float32 beside a decomposed graph (tools/native-check.ts). */
export interface NativeGraphs {
  forward(g: Graph, v: Values, attributes: Attributes): Values;
  backward?(g: Graph, v: Values, gradOutput: Values, attributes: Attributes): Values;
}

/** What a case file writes: the op's graphs. Its tensor names come from the registry (spec/ops.json). */
export interface OpGraphs {
  /** Points where the op is not differentiable in an input; gradcheck skips elements near them. */
  kinks?: Record<string, number[]>;
  forward(g: Graph, v: Values, attributes: Attributes): Values;
  /** Returns a gradient for every differentiable input and every param. */
  backward?(g: Graph, v: Values, gradOutput: Values, attributes: Attributes, outputs: Values): Values;
  /** The same formulas as native ONNX ops, where the graphs above had to decompose them: see native-check.ts. */
  native?: NativeGraphs;
  /** Where a case's attributes or optimizer change which rule defines a tensor (tools/rules.ts); the registry's `rules` otherwise. */
  rules?(c: RuleContext): RuleChoices;
}

/** An op's registry entry and its graphs. */
export interface OpDefinition extends OpGraphs {
  op: OpName;
  inputs: readonly string[];
  /** Inputs a case may leave out (the registry's `optional`); the graphs then see them undefined. */
  optional: readonly string[];
  differentiable: readonly string[];
  outputs: readonly string[];
  /** Outputs that receive a grad_output seed. */
  seeded: readonly string[];
}

export interface CaseData {
  inputs: Record<string, Tensor>;
  params?: Record<string, Tensor>;
  /** Explicit seeds; by default a scalar output is seeded with 1 and others with N(0,1) values. */
  grad_output?: Record<string, Tensor>;
}

export interface CaseSpec {
  /** Kebab-case, unique within the op; the fixture id is `<op>/<id>`. */
  id: string;
  /** The case's headline: the spec rule it was written to pin, e.g. 'b2' → spec/ops/<op>.md#b2. */
  rule: string;
  /** Rules for single tensors where this case pins a narrower rule than the op's choice (place → anchor, e.g. {'backward.grad_inputs.x': 'b2'}). */
  rules?: RuleChoices;
  description: string;
  features?: Feature[];
  dtype?: 'float64' | 'float32';
  attributes?: Attributes;
  /** Draws the case's tensors from its own PRNG stream (seeded by the fixture id). */
  data(rng: Prng): CaseData;
  /** Default: true when the op defines backward. */
  backward?: boolean;
  /** Adds an optimizer update repeated `steps` times: plain SGD (p ← p − lr·∇p) unless it names another (tools/formulas/optimizers.ts). */
  update?: OptimizerSpec & { steps?: number };
  /**
   * Elements at a point where the op is not differentiable that no value-based kink can name (the tied
   * maxima of a pooling window), as flat indices per tensor: gradcheck skips them and counts them in
   * skipped_at_kinks.
   */
  kinkElements?: Record<string, number[]>;
  /** Overrides the default tolerances of spec/conventions.md#tolerance. */
  tolerance?: Partial<StageTolerance>;
}

export interface OpCases {
  definition: OpDefinition;
  /** The case file's path, recorded in provenance. */
  generator: string;
  cases: CaseSpec[];
  expect(spec: CaseSpec): void;
}

/** Declares an op's cases; `op` must be in the registry, which gives its inputs, outputs and params. */
export function opCases(op: OpName, graphs: OpGraphs): OpCases {
  const entry = OPS[op];
  if (!entry) throw new Error(`tools/cases/${op}.ts: op '${op}' is not in spec/ops.json`);
  const definition: OpDefinition = {
    ...graphs,
    op,
    inputs: entry.inputs,
    optional: entry.optional ?? [],
    differentiable: entry.differentiable,
    outputs: entry.outputs,
    seeded: entry.seeded ?? entry.outputs,
  };
  const generator = `tools/cases/${op}.ts`;
  const cases: CaseSpec[] = [];
  return {
    definition,
    generator,
    cases,
    expect(spec) {
      if (cases.some((c) => c.id === spec.id)) throw new Error(`${definition.op}: duplicate case id '${spec.id}'`);
      if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(spec.id)) throw new Error(`${definition.op}: case id '${spec.id}' is not kebab-case`);
      if (!/^[fbus][0-9]+$/.test(spec.rule)) throw new Error(`${definition.op}/${spec.id}: rule '${spec.rule}' is not f1/b1/u1/s1-style`);
      // The schema's limit; a longer one would be written and then refused by every reader.
      if (spec.description.length > 100) throw new Error(`${definition.op}/${spec.id}: description is ${spec.description.length} characters, over the schema's 100`);
      cases.push(spec);
    },
  };
}

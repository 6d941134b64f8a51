// Turns one declared case into a fixture: ORT runs the op's forward, backward and update graphs,
// the backward is cross-checked by finite differences, and the result is stamped with provenance.
import type { Fixture, StageTolerance, Feature } from '../spec/types/fixture';
import { paramNames } from '../spec/registry';
import type { CaseSpec, OpCases, Attributes } from './define-op';
import { gradcheck } from './gradcheck';
import { crossCheckNative } from './native-check';
import { Graph, OPSET } from './onnx/graph';
import { OrtSession, ORT_VERSION } from './onnx/session';
import { Prng } from './prng';
import { encodeTensor, encodeTensors, withContentHash } from './serialize';
import { randn, scalar, tensor, withDType, type DType, type Tensor } from './tensor';

export const GENERATOR_VERSION = '1.0.0';

/** spec/conventions.md#tolerance */
export const DEFAULT_TOLERANCE: Record<'float64' | 'float32', StageTolerance> = {
  float64: {
    forward: { rtol: 1e-7, atol: 1e-9 },
    backward: { rtol: 1e-7, atol: 1e-9 },
    update: { rtol: 1e-7, atol: 1e-9 },
  },
  float32: {
    forward: { rtol: 1e-5, atol: 1e-5 },
    backward: { rtol: 1e-5, atol: 1e-5 },
    update: { rtol: 1e-5, atol: 1e-5 },
  },
};

interface GraphPlan {
  dtype: DType;
  shapes: Record<string, number[]>; // inputs, params and seeds
  backward: boolean;
  lr?: number;
}

type TensorMap = Record<string, Tensor>;

function castAll(map: TensorMap, dtype: DType): TensorMap {
  const out: TensorMap = {};
  for (const [k, t] of Object.entries(map)) out[k] = t.dtype === 'int64' ? t : withDType(t, dtype);
  return out;
}

function shapesOf(map: TensorMap): Record<string, number[]> {
  return Object.fromEntries(Object.entries(map).map(([k, t]) => [k, t.shape]));
}

/** Graph outputs: the op's outputs by name, `d_<name>` gradients and `next_<param>` updated params. */
function buildGraph(cases: OpCases, attributes: Attributes, plan: GraphPlan): Graph {
  const def = cases.definition;
  const params = paramNames(def.op, attributes);
  const g = new Graph(plan.dtype);
  const v: Record<string, string> = {};
  for (const name of [...def.inputs, ...params]) v[name] = g.input(name, plan.shapes[name]!);
  const outputs = def.forward(g, v, attributes);
  for (const name of def.outputs) g.output(name, outputs[name]!);
  if (!plan.backward) return g;

  if (!def.backward) throw new Error(`${def.op}: a case asks for backward but the op defines none`);
  const seeds: Record<string, string> = {};
  for (const name of def.seeded) seeds[name] = g.input(`seed_${name}`, plan.shapes[`seed_${name}`]!);
  const grads = def.backward(g, v, seeds, attributes, outputs);
  for (const name of [...def.differentiable, ...params]) {
    if (!grads[name]) throw new Error(`${def.op}: backward returns no gradient for '${name}'`);
    g.output(`d_${name}`, grads[name]!);
  }
  if (plan.lr !== undefined) {
    const lr = g.constant(plan.lr);
    for (const p of params) g.output(`next_${p}`, g.op('Sub', [v[p]!, g.op('Mul', [lr, grads[p]!])]));
  }
  return g;
}

async function runOnce(graph: Graph, feeds: TensorMap): Promise<TensorMap> {
  const session = await OrtSession.create(graph.toModel());
  try {
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}

function pick(results: TensorMap, names: readonly string[], prefix = ''): TensorMap {
  return Object.fromEntries(names.map((n) => [n, results[prefix + n]!]));
}

export async function buildFixture(cases: OpCases, spec: CaseSpec): Promise<Fixture> {
  const def = cases.definition;
  const id = `${def.op}/${spec.id}`;
  const rng = new Prng(id);
  const dtype = spec.dtype ?? 'float64';
  const attributes = spec.attributes ?? {};
  const paramList = paramNames(def.op, attributes);
  const data = spec.data(rng);
  const inputs = castAll(data.inputs, dtype);
  const params = castAll(data.params ?? {}, dtype);
  const feeds = { ...inputs, ...params };
  const feeds64 = castAll(feeds, 'float64');
  const hasBackward = spec.backward ?? def.backward !== undefined;

  // A float64 forward-only graph: output shapes for the default seeds, and the gradcheck's objective.
  const forward64 = await OrtSession.create(
    buildGraph(cases, attributes, { dtype: 'float64', shapes: shapesOf(feeds), backward: false }).toModel(),
  );
  try {
    const outputs64 = await forward64.run(feeds64);
    const seeds: TensorMap = {};
    if (hasBackward) {
      for (const name of def.seeded) {
        const given = data.grad_output?.[name];
        const shape = outputs64[name]!.shape;
        seeds[name] = withDType(given ?? (shape.length === 0 ? scalar(1) : randn(rng, shape)), dtype);
      }
    }
    const seedFeeds = Object.fromEntries(Object.entries(seeds).map(([k, t]) => [`seed_${k}`, t]));
    const plan = (d: DType, lr?: number): GraphPlan => ({
      dtype: d,
      shapes: shapesOf({ ...feeds, ...seedFeeds }),
      backward: hasBackward,
      lr,
    });

    // One graph gives the expected forward and backward and, for an update case, each SGD step:
    // its first run is step 0 and the trajectory continues from its next_<param> outputs.
    if (spec.update && !hasBackward) throw new Error(`${id}: an update needs backward`);
    const steps = spec.update?.steps ?? 1;
    const session = await OrtSession.create(buildGraph(cases, attributes, plan(dtype, spec.update?.lr)).toModel());
    let results: TensorMap;
    let trajectory: { params: TensorMap; losses: number[] } | undefined;
    try {
      results = await session.run({ ...feeds, ...seedFeeds });
      if (spec.update) trajectory = await followTrajectory(session, results, { ...inputs, ...seedFeeds }, paramList, steps);
    } finally {
      await session.release();
    }
    if (def.native) await crossCheckNative(id, def, def.native, attributes, feeds, hasBackward ? seeds : {}, results);
    const fixture: Fixture = {
      id,
      op: def.op,
      dtype,
      description: spec.description,
      spec: `spec/ops/${def.op}.md#${spec.rule}`,
      features: [],
      attributes: attributes as Fixture['attributes'],
      inputs: encodeTensors(inputs),
      params: encodeTensors(params),
      forward: encodeTensors(pick(results, def.outputs)),
      tolerance: {},
      provenance: {
        generator: cases.generator,
        generator_version: GENERATOR_VERSION,
        onnxruntime: ORT_VERSION,
        opset: OPSET,
        seed: id,
        gradcheck: null,
        content_sha256: '',
      },
    };

    if (hasBackward) {
      fixture.backward = {
        grad_output: encodeTensors(seeds),
        grad_inputs: encodeTensors(pick(results, def.differentiable, 'd_')),
        grad_params: encodeTensors(pick(results, paramList, 'd_')),
      };
      const results64 = dtype === 'float64' ? results : await runOnce(buildGraph(cases, attributes, plan('float64')), castAll({ ...feeds, ...seedFeeds }, 'float64'));
      const check = await gradcheck({
        forward: forward64,
        feeds: feeds64,
        seeds: castAll(seeds, 'float64'),
        analytic: pick(results64, [...def.differentiable, ...paramList], 'd_'),
        kinks: def.kinks ?? {},
        kinkElements: spec.kinkElements ?? {},
        rng: new Prng(`${id}#gradcheck`),
      });
      if (!(check.max_error <= check.bound)) {
        throw new Error(`${id}: gradcheck failed: max error ${check.max_error.toExponential(3)} > bound ${check.bound} — fixture not written`);
      }
      fixture.provenance.gradcheck = check;
    }

    if (spec.update && trajectory) {
      fixture.update = {
        optimizer: { type: 'sgd', lr: spec.update.lr, steps },
        params: encodeTensors(trajectory.params),
        ...(def.outputs.includes('loss') ? { losses: encodeTensor(tensor([steps], trajectory.losses, dtype)) } : {}),
      };
    }

    const base = DEFAULT_TOLERANCE[dtype];
    fixture.tolerance = { [dtype]: { ...base, ...spec.tolerance } };
    const auto: (Feature | false)[] = [dtype, 'forward', hasBackward && 'backward', !!spec.update && 'update', steps > 1 && 'trajectory'];
    fixture.features = [...new Set([...auto.filter((f): f is Feature => f !== false), ...(spec.features ?? [])])];
    return withContentHash(inKeyOrder(fixture));
  } finally {
    await forward64.release();
  }
}

/** SGD steps 1…steps−1 after `first` (step 0): the params after the last step and the loss before each. */
async function followTrajectory(
  session: OrtSession,
  first: TensorMap,
  fixedFeeds: TensorMap,
  paramList: string[],
  steps: number,
): Promise<{ params: TensorMap; losses: number[] }> {
  const losses: number[] = [];
  let r = first;
  for (let s = 0; ; s++) {
    if (r.loss) losses.push(r.loss.data[0]!);
    const params = Object.fromEntries(paramList.map((p) => [p, r[`next_${p}`]!]));
    if (s === steps - 1) return { params, losses };
    r = await session.run({ ...fixedFeeds, ...params });
  }
}

/** The schema's key order, metadata first, so every file reads the same way. */
function inKeyOrder(f: Fixture): Fixture {
  const { id, op, dtype, description, spec, features, attributes, inputs, params, forward, backward, update, tolerance, provenance } = f;
  return { id, op, dtype, description, spec, features, attributes, inputs, params, forward, backward, update, tolerance, provenance };
}

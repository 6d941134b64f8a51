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
import { fixtureRules, ruleContext } from './rules';
import { optimizerConfig, optimizerStep, stateNames, type Optimizer, type StateName } from './formulas/optimizers';

export const GENERATOR_VERSION = '2.1.0';

/** spec/conventions.md#tolerance */
export const DEFAULT_TOLERANCE: Record<'float64' | 'float32', StageTolerance> = {
  float64: {
    forward: { rtol: 1e-10, atol: 1e-12 },
    backward: { rtol: 1e-10, atol: 1e-12 },
    update: { rtol: 1e-10, atol: 1e-12 },
  },
  float32: {
    forward: { rtol: 1e-5, atol: 1e-5 },
    backward: { rtol: 1e-5, atol: 1e-5 },
    update: { rtol: 1e-5, atol: 1e-5 },
  },
};

interface GraphPlan {
  dtype: DType;
  /** Inputs, params and seeds as fed: shape, and whether it is an int64 tensor (a class-index target). */
  feeds: Record<string, { shape: number[]; int64: boolean }>;
  backward: boolean;
  /** For an update case: the optimizer whose step the graph appends (tools/formulas/optimizers.ts). */
  optimizer?: Optimizer;
}

type TensorMap = Record<string, Tensor>;

function castAll(map: TensorMap, dtype: DType): TensorMap {
  const out: TensorMap = {};
  for (const [k, t] of Object.entries(map)) out[k] = t.dtype === 'int64' ? t : withDType(t, dtype);
  return out;
}

function feedsOf(map: TensorMap): GraphPlan['feeds'] {
  return Object.fromEntries(Object.entries(map).map(([k, t]) => [k, { shape: t.shape, int64: t.dtype === 'int64' }]));
}

/** The graph input (and `next_` output) holding optimizer state `name` of param `p`. */
const stateKey = (name: StateName, p: string) => `state_${name}_${p}`;

/** The optimizer step appends these inputs when its rule needs t (Adam's bias correction, SGD's first momentum step). */
const needsStepNumber = (o: Optimizer) => o.type !== 'sgd' || stateNames(o).length > 0;

/**
 * Graph outputs: the op's outputs by name, `d_<name>` gradients and, for an update, `next_<param>` and
 * `next_state_<name>_<param>` after one optimizer step; the step's inputs are `state_<name>_<param>`
 * and the float64 step number `opt_step` (t, counting from 1).
 */
function buildGraph(cases: OpCases, attributes: Attributes, plan: GraphPlan): Graph {
  const def = cases.definition;
  const params = paramNames(def.op, attributes);
  const g = new Graph(plan.dtype);
  const v: Record<string, string> = {};
  for (const name of [...def.inputs, ...params]) {
    const feed = plan.feeds[name];
    if (!feed) {
      if (def.optional.includes(name)) continue; // a left-out optional input: v[name] stays undefined
      throw new Error(`${def.op}: the case gives no tensor '${name}'`);
    }
    v[name] = g.input(name, feed.shape, feed.int64 ? 'int64' : plan.dtype);
  }
  const outputs = def.forward(g, v, attributes);
  for (const name of def.outputs) g.output(name, outputs[name]!);
  if (!plan.backward) return g;

  if (!def.backward) throw new Error(`${def.op}: a case asks for backward but the op defines none`);
  const seeds: Record<string, string> = {};
  for (const name of def.seeded) seeds[name] = g.input(`seed_${name}`, plan.feeds[`seed_${name}`]!.shape);
  const grads = def.backward(g, v, seeds, attributes, outputs);
  for (const name of [...def.differentiable, ...params]) {
    if (!grads[name]) throw new Error(`${def.op}: backward returns no gradient for '${name}'`);
    g.output(`d_${name}`, grads[name]!);
  }
  if (plan.optimizer) {
    const names = stateNames(plan.optimizer);
    const step = needsStepNumber(plan.optimizer) ? g.input('opt_step', [], 'float64') : '';
    const firstStep = names.includes('momentum_buffer') ? g.op('Equal', [step, g.constant(1, [], 'float64')]) : undefined;
    for (const p of params) {
      const state = Object.fromEntries(names.map((n) => [n, g.input(stateKey(n, p), plan.feeds[p]!.shape)]));
      const next = optimizerStep(g, plan.optimizer, { param: v[p]!, grad: grads[p]!, state, step, firstStep });
      g.output(`next_${p}`, next.param);
      for (const n of names) g.output(`next_${stateKey(n, p)}`, next.state[n]!);
    }
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
    buildGraph(cases, attributes, { dtype: 'float64', feeds: feedsOf(feeds), backward: false }).toModel(),
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
    const plan = (d: DType, optimizer?: Optimizer): GraphPlan => ({
      dtype: d,
      feeds: feedsOf({ ...feeds, ...seedFeeds }),
      backward: hasBackward,
      optimizer,
    });

    // One graph gives the expected forward and backward and, for an update case, each optimizer step:
    // its first run is step 1 and the trajectory continues from its next_<param> and next_state outputs.
    if (spec.update && !hasBackward) throw new Error(`${id}: an update needs backward`);
    const steps = spec.update?.steps ?? 1;
    const optimizer = spec.update && optimizerConfig(spec.update, steps);
    const session = await OrtSession.create(buildGraph(cases, attributes, plan(dtype, optimizer)).toModel());
    let results: TensorMap;
    let trajectory: Trajectory | undefined;
    try {
      const start = optimizer ? stepFeeds(optimizer, 1, initialState(optimizer, params, paramList)) : {};
      results = await session.run({ ...feeds, ...seedFeeds, ...start });
      if (optimizer) trajectory = await followTrajectory(session, results, { ...inputs, ...seedFeeds }, optimizer, paramList);
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
      rules: {},
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

    if (optimizer && trajectory) {
      fixture.update = {
        optimizer,
        params: encodeTensors(trajectory.params),
        ...(def.outputs.includes('loss') ? { losses: encodeTensor(tensor([steps], trajectory.losses, dtype)) } : {}),
        ...(Object.keys(trajectory.state).length ? { state: Object.fromEntries(Object.entries(trajectory.state).map(([n, m]) => [n, encodeTensors(m)])) } : {}),
      };
    }

    const opChoice = def.rules?.(ruleContext(def.op, attributes, inputs, spec.features ?? [], optimizer || undefined));
    fixture.rules = fixtureRules(fixture, opChoice, spec.rules);
    const base = DEFAULT_TOLERANCE[dtype];
    fixture.tolerance = { [dtype]: { ...base, ...spec.tolerance } };
    const auto: (Feature | false)[] = [dtype, 'forward', hasBackward && 'backward', !!spec.update && 'update', steps > 1 && 'trajectory', ...(optimizer ? optimizerFeatures(optimizer) : [])];
    fixture.features = [...new Set([...auto.filter((f): f is Feature => f !== false), ...(spec.features ?? [])])];
    return withContentHash(inKeyOrder(fixture));
  } finally {
    await forward64.release();
  }
}

/** What a trajectory's optimizer exercises, as features (none for plain SGD, so its fixtures read as before). */
function optimizerFeatures(o: Optimizer): Feature[] {
  if (o.type !== 'sgd') return [o.type, ...(o.weight_decay !== 0 ? ['weight-decay' as const] : [])];
  const features: (Feature | false)[] = [(o.momentum ?? 0) !== 0 && 'momentum', (o.dampening ?? 0) !== 0 && 'dampening', !!o.nesterov && 'nesterov', (o.weight_decay ?? 0) !== 0 && 'weight-decay'];
  return features.filter((f): f is Feature => f !== false);
}

/** Optimizer state by state name, then by param name. */
type State = Partial<Record<StateName, TensorMap>>;

interface Trajectory {
  params: TensorMap;
  losses: number[];
  state: State;
}

/** The state before the first step: zeros of each param's shape (Adam's moments; SGD's buffer is not read at t = 1). */
function initialState(optimizer: Optimizer, params: TensorMap, paramList: string[]): State {
  const zeros = (p: string) => withDType(tensor(params[p]!.shape, new Float64Array(params[p]!.data.length)), params[p]!.dtype);
  return Object.fromEntries(stateNames(optimizer).map((n) => [n, Object.fromEntries(paramList.map((p) => [p, zeros(p)]))]));
}

/** The feeds of step t: the state and, where the rule needs it, t itself. */
function stepFeeds(optimizer: Optimizer, t: number, state: State): TensorMap {
  const feeds: TensorMap = needsStepNumber(optimizer) ? { opt_step: scalar(t) } : {};
  for (const [n, byParam] of Object.entries(state) as [StateName, TensorMap][]) {
    for (const [p, value] of Object.entries(byParam)) feeds[stateKey(n, p)] = value;
  }
  return feeds;
}

/** Steps 2…steps after `first` (step 1): the params and state after the last step, and the loss before each. */
async function followTrajectory(session: OrtSession, first: TensorMap, fixedFeeds: TensorMap, optimizer: Optimizer, paramList: string[]): Promise<Trajectory> {
  const losses: number[] = [];
  let r = first;
  for (let t = 1; ; t++) {
    if (r.loss) losses.push(r.loss.data[0]!);
    const params = Object.fromEntries(paramList.map((p) => [p, r[`next_${p}`]!]));
    const state: State = Object.fromEntries(
      stateNames(optimizer).map((n) => [n, Object.fromEntries(paramList.map((p) => [p, r[`next_${stateKey(n, p)}`]!]))]),
    );
    if (t === optimizer.steps) return { params, losses, state };
    r = await session.run({ ...fixedFeeds, ...params, ...stepFeeds(optimizer, t + 1, state) });
  }
}

/** The schema's key order, metadata first, so every file reads the same way. */
function inKeyOrder(f: Fixture): Fixture {
  const { id, op, dtype, description, spec, rules, features, attributes, inputs, params, forward, backward, update, tolerance, provenance } = f;
  return { id, op, dtype, description, spec, rules, features, attributes, inputs, params, forward, backward, update, tolerance, provenance };
}

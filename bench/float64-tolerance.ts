// How far do correct float64 implementations land from the ORT fixtures, and how far does float32
// arithmetic land? The survey behind spec/conventions.md#tolerance: every float64 case is run by
// the reference (src/), the two Python examples (stdlib loops; NumPy + OpenBLAS, a PyTorch-like
// summation order) and, as the cheat to be caught, the reference computing in float32. For each op
// and stage it prints the worst error as the (rtol, atol) it would need.
//
//   npx tsx bench/float64-tolerance.ts [--skip-python]
import { parseArgs } from 'node:util';
import { createReferenceImplementation } from '../conformance/adapters/reference';
import { createSubprocessImplementation } from '../conformance/adapters/subprocess';
import type { CaseReply, Implementation, Tensor, TensorMap } from '../conformance/implementation';
import { loadFixtures, type LoadedFixture } from '../conformance/loader';
import { buildRequest } from '../conformance/run-case';
import { computesInFloat32 } from '../conformance/test/broken/computes-in-float32';

type Stage = 'forward' | 'backward' | 'update';

/** Candidate float64 tolerances (rtol, atol); the first is the contract before 2.0. */
const CANDIDATES: [number, number][] = [
  [1e-7, 1e-9],
  [1e-10, 1e-12],
  [1e-11, 1e-13],
  [1e-12, 1e-14],
];

/** Per implementation and candidate: cases failing it, and the worst |Δ| / (atol + rtol·|e|) seen. */
const verdicts = new Map<string, { failing: string[][]; worstRatio: number[] }>();

function ratio(expected: Tensor, actual: Tensor | undefined, [rtol, atol]: [number, number]): number {
  if (!actual || actual.data.length !== expected.data.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < expected.data.length; i++) {
    const e = expected.data[i]!;
    const a = actual.data[i]!;
    if (!Number.isFinite(e)) {
      if (!(Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e)))) return Infinity;
      continue;
    }
    const d = Math.abs(a - e);
    if (!(d <= Infinity)) return Infinity;
    worst = Math.max(worst, d / (atol + rtol * Math.abs(e)));
  }
  return worst;
}

/** The worst element of one comparison: its absolute error, and its error relative to |expected|. */
interface Worst {
  abs: number;
  rel: number;
  /** max |expected| of the tensor: an absolute error is read against it. */
  scale: number;
}

/** Per implementation → op → stage: the worst relative error where |e| ≥ 1e-6·scale, the worst absolute error over scale, exact cases. */
type Survey = Map<string, Map<string, Map<Stage, { rel: number; absOverScale: number; abs: number; cases: number; exact: number }>>>;

function worstOf(expected: Tensor, actual: Tensor | undefined): Worst {
  if (!actual || actual.data.length !== expected.data.length) return { abs: Infinity, rel: Infinity, scale: 1 };
  let scale = 0;
  for (const e of expected.data) if (Number.isFinite(e)) scale = Math.max(scale, Math.abs(e));
  let abs = 0;
  let rel = 0;
  for (let i = 0; i < expected.data.length; i++) {
    const e = expected.data[i]!;
    const a = actual.data[i]!;
    if (!Number.isFinite(e)) {
      if (!Object.is(a, e) && !(Number.isNaN(a) && Number.isNaN(e))) abs = rel = Infinity;
      continue;
    }
    const d = Math.abs(a - e);
    if (!(d <= Infinity)) return { abs: Infinity, rel: Infinity, scale };
    abs = Math.max(abs, d);
    if (Math.abs(e) >= 1e-6 * scale && e !== 0) rel = Math.max(rel, d / Math.abs(e));
  }
  return { abs, rel, scale: scale || 1 };
}

function comparisons(loaded: LoadedFixture, reply: CaseReply): [Stage, Tensor, Tensor | undefined][] {
  const out: [Stage, Tensor, Tensor | undefined][] = [];
  const each = (stage: Stage, expected: TensorMap, actual: TensorMap | undefined) => {
    for (const [name, t] of Object.entries(expected)) if (t.dtype !== 'int64') out.push([stage, t, actual?.[name]]);
  };
  each('forward', loaded.forward, reply.forward);
  if (loaded.backward) {
    each('backward', loaded.backward.grad_inputs, reply.grad_inputs);
    each('backward', loaded.backward.grad_params, reply.grad_params);
  }
  if (loaded.update) {
    each('update', loaded.update.params, reply.params);
    if (loaded.update.losses) out.push(['update', loaded.update.losses, reply.losses]);
  }
  return out;
}

async function survey(impl: Implementation, fixtures: LoadedFixture[], into: Survey, label: string): Promise<void> {
  const byOp = new Map<string, Map<Stage, { rel: number; absOverScale: number; abs: number; cases: number; exact: number }>>();
  into.set(label, byOp);
  const verdict = { failing: CANDIDATES.map(() => [] as string[]), worstRatio: CANDIDATES.map(() => 0) };
  verdicts.set(label, verdict);
  for (const loaded of fixtures) {
    const reply = await impl.run(buildRequest(loaded));
    CANDIDATES.forEach((tol, k) => {
      const r = Math.max(0, ...comparisons(loaded, reply).map(([, expected, actual]) => ratio(expected, actual, tol)));
      verdict.worstRatio[k] = Math.max(verdict.worstRatio[k]!, r);
      if (r > 1) verdict.failing[k]!.push(loaded.id);
    });
    const stages = byOp.get(loaded.op) ?? new Map();
    byOp.set(loaded.op, stages);
    const caseWorst = new Map<Stage, Worst>();
    for (const [stage, expected, actual] of comparisons(loaded, reply)) {
      const w = worstOf(expected, actual);
      const prev = caseWorst.get(stage);
      caseWorst.set(stage, prev ? { abs: Math.max(prev.abs, w.abs), rel: Math.max(prev.rel, w.rel), scale: Math.max(prev.scale, w.scale) } : w);
      const s = stages.get(stage) ?? { rel: 0, absOverScale: 0, abs: 0, cases: 0, exact: 0 };
      s.rel = Math.max(s.rel, w.rel);
      s.abs = Math.max(s.abs, w.abs);
      s.absOverScale = Math.max(s.absOverScale, w.abs / w.scale);
      stages.set(stage, s);
    }
    for (const [stage, w] of caseWorst) {
      const s = stages.get(stage)!;
      s.cases++;
      if (w.abs === 0) s.exact++;
    }
  }
}

const e = (v: number) => (v === 0 ? '0' : v.toExponential(1));

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'skip-python': { type: 'boolean', default: false } } });
  const fixtures = loadFixtures().fixtures.filter((f) => f.fixture.dtype === 'float64');
  const results: Survey = new Map();
  const reference = createReferenceImplementation();
  await survey(reference, fixtures, results, 'reference');
  if (!values['skip-python']) {
    for (const [label, command] of [
      ['python-stdlib', 'python3 examples/python/impl.py'],
      ['numpy', 'python3 examples/numpy/impl.py'],
    ] as const) {
      const impl = await createSubprocessImplementation(command, { timeoutMs: 120_000 });
      try {
        await survey(impl, fixtures.filter((f) => impl.ops === undefined || impl.ops.includes(f.op)), results, label);
      } finally {
        await impl.close();
      }
    }
  }
  await survey(computesInFloat32(reference), fixtures, results, 'reference in float32');

  console.log(`${fixtures.length} float64 cases. Per op and stage: worst relative error (elements with |e| ≥ 1e-6·max|e|) / worst absolute error over max|e|; exact = cases with no error at all.\n`);
  const labels = [...results.keys()];
  console.log(['op', 'stage', ...labels].join('\t'));
  const ops = [...new Set(fixtures.map((f) => f.op))];
  for (const op of ops) {
    for (const stage of ['forward', 'backward', 'update'] as const) {
      const cells = labels.map((l) => {
        const s = results.get(l)?.get(op)?.get(stage);
        return s ? `${e(s.rel)} / ${e(s.absOverScale)} (${s.exact}/${s.cases} exact)` : '-';
      });
      if (cells.some((c) => c !== '-')) console.log([op, stage, ...cells].join('\t'));
    }
  }
  console.log(`\nPer candidate float64 tolerance: cases failing it / the worst |Δ| ÷ (atol + rtol·|e|).`);
  console.log(['rtol, atol', ...labels].join('\t'));
  CANDIDATES.forEach(([rtol, atol], k) => {
    console.log([`${e(rtol)}, ${e(atol)}`, ...labels.map((l) => `${verdicts.get(l)!.failing[k]!.length} fail / ${e(verdicts.get(l)!.worstRatio[k]!)}`)].join('\t'));
  });
  const cheat = verdicts.get('reference in float32');
  if (cheat) {
    CANDIDATES.forEach(([rtol, atol], k) => {
      const passed = fixtures.map((f) => f.id).filter((id) => !cheat.failing[k]!.includes(id));
      console.log(`float32 arithmetic passes ${passed.length} of ${fixtures.length} float64 cases at rtol ${e(rtol)}, atol ${e(atol)}${passed.length && passed.length < 20 ? `: ${passed.join(', ')}` : ''}`);
    });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

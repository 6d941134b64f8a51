// Runner overhead per case, over the subprocess protocol: a fake implementation (a node script that
// answers every request at once with a canned reply, the fixture's own expected values) runs the
// small fixtures over and over, so nearly all the time measured is the runner's: building the request,
// JSON over the pipe, validating the reply, comparing, the mutation check. Target: < 1 ms per case.
//
//   npx tsx bench/runner-overhead.ts [cases=2000]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSubprocessImplementation } from '../conformance/adapters/subprocess';
import type { Implementation, TensorMap } from '../conformance/implementation';
import { loadFixtures, type LoadedFixture } from '../conformance/loader';
import { runFixtures, type RunResult } from '../conformance/runner';
import { numel } from '../conformance/tensor-codec';

const TARGET_MS = 1;
const SMALL = 200; // elements per case at most: the runner's cost, not the tensors'
const cases = Number(process.argv[2] ?? 2000);
if (!Number.isInteger(cases) || cases <= 0) {
  console.error(`runner-overhead: the number of cases must be a positive integer, got '${process.argv[2]}'`);
  process.exit(2);
}

function size(f: LoadedFixture): number {
  const maps: TensorMap[] = [f.inputs, f.params, f.forward, f.backward?.grad_inputs ?? {}, f.backward?.grad_params ?? {}, f.update?.params ?? {}];
  return maps.reduce((n, m) => n + Object.values(m).reduce((k, t) => k + numel(t.shape), 0), 0);
}

/** The expected values of a fixture, decoded (LoadedFixture) or as the file spells them (its `fixture`). */
interface Expected<T, S, St> {
  forward: T;
  backward?: { grad_inputs: T; grad_params: T };
  update?: { params: T; losses?: S; state?: St };
}

/** The canned reply for a fixture: its own expected values (optimizer state too), so every case passes. */
function cannedReply<T, S, St>(f: Expected<T, S, St>) {
  return {
    forward: f.forward,
    ...(f.backward ? { grad_inputs: f.backward.grad_inputs, grad_params: f.backward.grad_params } : {}),
    ...(f.update ? { params: f.update.params, ...(f.update.losses ? { losses: f.update.losses } : {}), ...(f.update.state ? { state: f.update.state } : {}) } : {}),
  };
}

function fakeScript(small: LoadedFixture[]): string {
  const replies = Object.fromEntries(small.map((f) => [f.id, JSON.stringify(cannedReply(f.fixture)).slice(1, -1)]));
  return `// Answers at once with canned replies (written by bench/runner-overhead.ts).
import { createInterface } from 'node:readline';
const replies = ${JSON.stringify(replies)};
const ops = ${JSON.stringify([...new Set(small.map((f) => f.op))])};
const out = (s) => process.stdout.write(s + '\\n');
createInterface({ input: process.stdin }).on('line', (line) => {
  const m = JSON.parse(line);
  if (m.type === 'hello') out(JSON.stringify({ type: 'hello', protocol: '1.0', implementation: 'canned replies', ops, dtypes: ['float64', 'float32'] }));
  else if (m.type === 'bye') process.exit(0);
  else out('{"type":"result","id":' + JSON.stringify(m.id) + ',' + replies[m.id] + '}');
});
`;
}

/** The same canned replies in-process: the runner without the protocol. */
function inProcessFake(small: LoadedFixture[]): Implementation {
  const byId = new Map(small.map((f) => [f.id, f]));
  return { name: 'canned replies (in-process)', run: async (request) => cannedReply(byId.get(request.id)!) };
}

async function measure(impl: Implementation, list: LoadedFixture[]): Promise<{ ms: number; run: RunResult }> {
  await runFixtures(impl, list.slice(0, Math.min(200, list.length))); // warm-up: JIT, pipes
  const t0 = performance.now();
  const run = await runFixtures(impl, list);
  return { ms: performance.now() - t0, run };
}

function check(run: RunResult, what: string): void {
  if (run.summary.pass !== run.cases.length) {
    const bad = run.cases.find((c) => c.status !== 'pass')!;
    throw new Error(`${what}: expected every case to pass, but ${bad.id} is ${bad.status}:\n${bad.message}`);
  }
}

async function main(): Promise<void> {
  const small = loadFixtures().fixtures.filter((f) => size(f) <= SMALL);
  if (small.length === 0) throw new Error(`no fixture with at most ${SMALL} elements`);
  const list = Array.from({ length: cases }, (_, i) => small[i % small.length]!);
  const avg = list.reduce((n, f) => n + size(f), 0) / list.length;
  console.log(`runner overhead: ${cases} cases (${small.length} small fixtures repeated, ${avg.toFixed(0)} elements per case on average)`);

  const local = await measure(inProcessFake(small), list);
  check(local.run, 'in-process');

  const dir = mkdtempSync(join(tmpdir(), 'gradspec-bench-'));
  try {
    const script = join(dir, 'canned.mjs');
    writeFileSync(script, fakeScript(small));
    const impl = await createSubprocessImplementation(`${JSON.stringify(process.execPath)} ${JSON.stringify(script)}`, { timeoutMs: 10_000 });
    try {
      const remote = await measure(impl, list);
      check(remote.run, 'subprocess');
      const perCase = remote.ms / cases;
      const row = (name: string, ms: number) => `  ${name.padEnd(36)} ${(ms / cases).toFixed(3)} ms/case   (${ms.toFixed(0)} ms in all)`;
      console.log(row('runner alone (in-process fake)', local.ms));
      console.log(row('runner + protocol (subprocess fake)', remote.ms));
      console.log(row('protocol share', remote.ms - local.ms));
      console.log(`${perCase < TARGET_MS ? 'OK' : 'OVER TARGET'}: ${perCase.toFixed(3)} ms per case over the protocol (target < ${TARGET_MS} ms)`);
      if (perCase >= TARGET_MS) process.exitCode = 1;
    } finally {
      await impl.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Exit 1: over target. Exit 2: nothing was measured (a case did not pass, the fake did not start).
main().catch((e: unknown) => {
  console.error(`runner-overhead: could not measure: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 2;
});

// The protocol examples pass their cases through the CLI: the NumPy implementation on one case per op,
// the three starters on relu. gradspec_protocol.py (under the stdlib example) answers the protocol's edge
// cases and runs an SGD trajectory. Every child is spawned inside a test with an explicit timeout; a missing python3 or
// NumPy ends that test early with a printed reason.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CHILD_TIMEOUT_MS, missingPython, runExec, runModule } from './run-exec';

const ROOT = join(__dirname, '..', '..');
const TEST_TIMEOUT_MS = 90_000;

/** One case per op, float32 wherever the op has a float32 case, and an SGD trajectory. */
const ONE_PER_OP = [
  'matmul/float32-3x5-by-5x7',
  'linear/update-3-steps',
  'relu/grad-at-zero',
  'softmax/extreme-logits-float32',
  'mse/seeded-grad-output',
  'mse_softmax/random-4x6-float32',
  'cross_entropy/extreme-logits-sum-float32',
  'sgd/float32-weight-5x7-lr-1e-3',
  'mlp/small-cross-entropy-float32',
  'cross_entropy_index/square-5x5-seeded-mean-float32',
  'nll/random-4x6-mean-float32',
  'binary_cross_entropy_with_logits/pos-weight-4x6-float32',
  'sgd_momentum/float32-first-step-nesterov',
  'adam/float32-5x7',
  'adamw/float32-first-step',
  'linear/float32-adamw-3-steps',
];

/** How many cases an op has in the corpus (the starters' counts follow the corpus, not a number typed here). */
function casesOf(op: string): number {
  return readdirSync(join(ROOT, 'fixtures', op)).filter((f) => f.endsWith('.json')).length;
}

function ids(list: string[]): string[] {
  return list.flatMap((id) => ['--id', id]);
}

test('examples/numpy/impl.py passes one case per op, float32 computed in float32 (skips itself without NumPy)', async () => {
  if (missingPython(true)) return;
  expect(await runExec('python3 examples/numpy/impl.py', ids(ONE_PER_OP))).toMatchObject({ pass: ONE_PER_OP.length, fail: 0, error: 0, notRun: 0 });
}, TEST_TIMEOUT_MS);

test('the Python starter passes every relu case and declares nothing else', async () => {
  if (missingPython()) return;
  expect(await runExec('python3 examples/starters/starter.py', ['--op', 'relu', '--op', 'softmax'])).toMatchObject({ pass: casesOf('relu'), fail: 0, error: 0, notRun: casesOf('softmax') });
}, TEST_TIMEOUT_MS);

test('the Node.js starter passes every relu case and declares nothing else', async () => {
  expect(await runExec(`"${process.execPath}" examples/starters/starter.mjs`, ['--op', 'relu', '--op', 'softmax'])).toMatchObject({ pass: casesOf('relu'), fail: 0, error: 0, notRun: casesOf('softmax') });
}, TEST_TIMEOUT_MS);

test('the TypeScript module starter passes every relu case and declares nothing else', async () => {
  expect(await runModule('examples/starters/starter.ts', ['--op', 'relu', '--op', 'softmax'])).toMatchObject({ pass: casesOf('relu'), fail: 0, error: 0, notRun: casesOf('softmax') });
}, TEST_TIMEOUT_MS);

describe('gradspec_protocol.py, driven through examples/python/impl.py (stdlib lists)', () => {
  const f64 = (shape: number[], data: (number | string)[]) => ({ dtype: 'float64', shape, data });
  const relu = { type: 'run', id: 'relu/t', op: 'relu', attributes: {}, params: {},
    inputs: { x: { dtype: 'float32', shape: [3], data: [-1, 0, 'Infinity'] } },
    grad_output: { y: { dtype: 'float32', shape: [3], data: [1, 'NaN', 2] } } };
  // y = x·W + b = 3; dW = xᵀ·dy = [1, 2]ᵀ, db = 1; two SGD steps of lr 0.5 subtract them twice.
  const linear = { type: 'run', id: 'linear/t', op: 'linear', attributes: {},
    inputs: { x: f64([1, 2], [1, 2]) }, params: { W: f64([2, 1], [1, 1]), b: f64([1], [0]) },
    grad_output: { y: f64([1, 1], [1]) }, optimizer: { type: 'sgd', lr: 0.5, steps: 2 } };

  /** The replies of examples/python/impl.py to `lines`, and its exit status. */
  function converse(lines: unknown[]): { replies: Record<string, unknown>[]; status: number | null } {
    const run = spawnSync('python3', [join(ROOT, 'examples', 'python', 'impl.py')], {
      input: lines.map((l) => JSON.stringify(l)).join('\n') + '\n',
      encoding: 'utf8',
      timeout: CHILD_TIMEOUT_MS,
    });
    return { replies: run.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>), status: run.status };
  }

  test('answers another 1.x with 1.3, ignores unknown fields, runs a trajectory, echoes the request as sent (1.3), refuses an op it lacks, answers an unknown message', () => {
    if (missingPython()) return;
    const { replies, status } = converse([
      { type: 'hello', protocol: '1.7', future: true },
      { ...relu, dtype: 'float32', future_field: { any: 1 } },
      linear,
      { ...relu, id: 'lstm/t', op: 'lstm' }, // an op no example implements (and none in the registry yet)
      { type: 'ping', id: 'p/1' },
      { type: 'hello', protocol: '1.2' }, // a 1.2 runner reads no echo
      { ...relu, id: 'relu/t2' },
      { type: 'bye' },
    ]);
    expect(status).toBe(0);
    expect(replies).toEqual([
      expect.objectContaining({ type: 'hello', protocol: '1.3', dtypes: ['float64', 'float32'] }),
      {
        type: 'result', id: 'relu/t',
        forward: { y: { dtype: 'float32', shape: [3], data: [0, 0, 'Infinity'] } },
        grad_inputs: { x: { dtype: 'float32', shape: [3], data: [0, 0, 2] } },
        grad_params: {},
        echo: { inputs: relu.inputs, grad_output: relu.grad_output },
      },
      {
        type: 'result', id: 'linear/t',
        forward: { y: f64([1, 1], [3]) },
        grad_inputs: { x: f64([1, 2], [1, 1]) },
        grad_params: { W: f64([2, 1], [1, 2]), b: f64([1], [1]) },
        params: { W: f64([2, 1], [0, -1]), b: f64([1], [-1]) },
        echo: { inputs: linear.inputs, params: linear.params, grad_output: linear.grad_output }, // the params as sent
      },
      { type: 'error', id: 'lstm/t', message: expect.stringContaining("op 'lstm' is not implemented") },
      { type: 'error', id: 'p/1', message: expect.stringContaining("unknown message type 'ping'") },
      expect.objectContaining({ type: 'hello', protocol: '1.3' }),
      expect.not.objectContaining({ echo: expect.anything() }),
    ]);
  }, TEST_TIMEOUT_MS);

  test('declines another major version and exits 1', () => {
    if (missingPython()) return;
    const { replies, status } = converse([{ type: 'hello', protocol: '2.0' }]);
    expect(status).toBe(1);
    expect(replies).toEqual([{ type: 'error', message: 'this implementation speaks gradspec protocol 1.3, not 2.0' }]);
  }, TEST_TIMEOUT_MS);
});

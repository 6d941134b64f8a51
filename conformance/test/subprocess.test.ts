// The --exec adapter against fakes that misbehave on purpose (conformance/test/fakes/): each kind of
// misbehaviour fails its own case with a clear reason, and the next case on the same adapter works.
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { CaseRequest, Tensor } from '../implementation';
import {
  createSubprocessImplementation,
  ImplementationError,
  ImplementationStartupError,
  type SubprocessImplementation,
  type SubprocessOptions,
} from '../adapters/subprocess';

const ROOT = join(__dirname, '..', '..');
const FAKE = `node ${JSON.stringify(join(__dirname, 'fakes', 'misbehaving.mjs'))}`;
// Every test here starts child processes: generous limits, so a busy machine slows them down without
// failing them. Tests of a timeout set their own short one; none asserts how long anything takes.
jest.setTimeout(60_000);
const OPTIONS: SubprocessOptions = { timeoutMs: 30_000, startupTimeoutMs: 30_000, closeTimeoutMs: 500 };

function tensor(shape: number[], values: number[]): Tensor {
  return { dtype: 'float64', shape, data: Float64Array.from(values) };
}

/** A relu case whose name tells the fake how to behave. */
function reluCase(name: string): CaseRequest {
  return { id: `relu/${name}`, op: 'relu', dtype: 'float64', attributes: {}, inputs: { x: tensor([2, 2], [-1, 2, 0, 3]) }, params: {} };
}

async function failure(promise: Promise<unknown>): Promise<ImplementationError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ImplementationError)) throw new Error(`expected an ImplementationError, got ${String(err)}`);
  return err;
}

/** Alive and not a zombie (an orphaned grandchild is reaped by init, which some sandboxes never do). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = `/proc/${pid}/stat`;
  return !(existsSync(stat) && / Z /.test(readFileSync(stat, 'utf8').replace(/^.*\)/, ' ')));
}

/** SIGKILL is asynchronous: a killed process may take a few ms to be gone. */
async function isGoneSoon(pid: number): Promise<boolean> {
  for (let waited = 0; waited < 2_000; waited += 20) {
    if (!isRunning(pid)) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

/** The fake's own pid, which it puts in its handshake name (the adapter's pid is the shell's). */
function fakePid(impl: SubprocessImplementation): number {
  return Number(/pid (\d+)/.exec(impl.name)![1]);
}

describe('subprocess adapter: one misbehaving case fails, the next one works', () => {
  let impl: SubprocessImplementation;
  beforeEach(async () => {
    impl = await createSubprocessImplementation(FAKE, OPTIONS);
  });
  afterEach(async () => {
    await impl.close();
  });

  test('handshake: name, ops and dtypes come from the implementation', () => {
    expect(impl.name).toMatch(/^misbehaving fake/);
    expect(impl.ops).toEqual(['relu']);
    expect(impl.dtypes).toEqual(['float64']);
  });

  test('a well-behaved case decodes into typed arrays', async () => {
    const reply = await impl.run(reluCase('fine'));
    expect(reply.forward.y!.shape).toEqual([2, 2]);
    expect(Array.from(reply.forward.y!.data)).toEqual([0, 2, 0, 3]);
  });

  test('crash mid-case: exit code and last stderr line in the reason, then a restart', async () => {
    const err = await failure(impl.run(reluCase('crash')));
    expect(err.kind).toBe('crash');
    expect(err.message).toContain('exited with code 3 during the case');
    expect(err.message).toContain('fake: segfault in my relu kernel');
    await expect(impl.run(reluCase('fine'))).resolves.toHaveProperty('forward.y');
    expect(impl.restarts).toBe(1);
  });

  test('a non-JSON line on stdout is a protocol error for that case', async () => {
    const err = await failure(impl.run(reluCase('non-json')));
    expect(err.kind).toBe('protocol');
    expect(err.message).toContain('not JSON: "computing relu..."');
    await expect(impl.run(reluCase('fine'))).resolves.toHaveProperty('forward.y');
  });

  test('an extra unsolicited line fails the next case, then the one after works', async () => {
    await impl.run(reluCase('extra-line'));
    const err = await failure(impl.run(reluCase('fine')));
    expect(err.kind).toBe('protocol');
    expect(err.message).toContain('unsolicited line');
    expect(err.message).toContain('after its reply to relu/extra-line');
    await expect(impl.run(reluCase('fine'))).resolves.toHaveProperty('forward.y');
  });

  test('an echo (protocol 1.3) is written back onto the request, so an in-place write shows; an untouched one changes nothing', async () => {
    const same = reluCase('echo-same');
    const x = same.inputs.x!;
    x.data[2] = -0; // JSON carries it as 0, and the echo brings 0 back: not a write
    const data = x.data;
    await impl.run(same);
    expect(same.inputs.x).toBe(x);
    expect(x.data).toBe(data);
    expect([...x.data]).toEqual([-1, 2, -0, 3]);
    expect(Object.is(x.data[2], -0)).toBe(true);
    const written = reluCase('echo-written');
    await impl.run(written);
    expect([...written.inputs.x!.data]).toEqual([42, 2, 0, 3]);
  });

  test('a reply with the wrong id is a protocol error', async () => {
    const err = await failure(impl.run(reluCase('wrong-id')));
    expect(err.kind).toBe('protocol');
    expect(err.message).toContain('id "relu/some-other-case" to the request with id "relu/wrong-id"');
    await expect(impl.run(reluCase('fine'))).resolves.toHaveProperty('forward.y');
  });

  test('a tensor whose data does not fill its shape is a malformed reply', async () => {
    const err = await failure(impl.run(reluCase('malformed')));
    expect(err.kind).toBe('protocol');
    expect(err.message).toContain('forward.y: data has 3 values but shape [2, 2] needs 4');
    await expect(impl.run(reluCase('fine'))).resolves.toHaveProperty('forward.y');
    expect(impl.restarts).toBe(0); // the stream was still in step
  });

  test('an error reply is the implementation refusing the case', async () => {
    const err = await failure(impl.run(reluCase('refuse')));
    expect(err.kind).toBe('refused');
    expect(err.message).toContain('relu: this fake refuses on purpose');
    await expect(impl.run(reluCase('fine'))).resolves.toHaveProperty('forward.y');
  });

  test('a run request carries the case dtype (protocol 1.1)', async () => {
    const reply = await impl.run({ ...reluCase('echo-dtype'), dtype: 'float32' });
    expect(Array.from(reply.forward.y!.data)).toEqual([32]);
  });

  test('a schema violation names the JSON path', async () => {
    const err = await failure(impl.run(reluCase('bad-dtype')));
    expect(err.kind).toBe('protocol');
    expect(err.message).toContain('invalid result: /forward/y/dtype must be equal to one of the allowed values');
    await expect(impl.run(reluCase('fine'))).resolves.toHaveProperty('forward.y');
  });

  test('close() leaves no child behind', async () => {
    const pid = fakePid(impl);
    await impl.close();
    expect(await isGoneSoon(pid)).toBe(true);
    expect(impl.pid).toBeUndefined();
  });
});

// Each of these starts an adapter with options of its own, so none pays for the shared one above.
describe('subprocess adapter: a misbehaving case on an adapter with its own options', () => {
  test('hang: the per-case timeout kills the whole process group, then a restart', async () => {
    // Long enough for the restarted child's first reply on a loaded machine (the case after the hang must pass).
    const hung = await createSubprocessImplementation(`cd ${JSON.stringify(__dirname)} && ${FAKE}`, { ...OPTIONS, timeoutMs: 2_000 });
    try {
      const pid = fakePid(hung); // a grandchild: the shell did not exec it
      const err = await failure(hung.run(reluCase('hang')));
      expect(err.kind).toBe('timeout');
      expect(err.message).toContain('no reply within 2000 ms');
      expect(await isGoneSoon(pid)).toBe(true);
      await expect(hung.run(reluCase('fine'))).resolves.toHaveProperty('forward.y');
    } finally {
      await hung.close();
    }
  });

  test('a reply over the size cap fails the case and the child is restarted', async () => {
    const capped = await createSubprocessImplementation(FAKE, { ...OPTIONS, maxReplyBytes: 1024 * 1024 });
    try {
      const err = await failure(capped.run(reluCase('huge')));
      expect(err.kind).toBe('protocol');
      expect(err.message).toContain('larger than the 1048576-byte cap');
      await expect(capped.run(reluCase('fine'))).resolves.toHaveProperty('forward.y');
    } finally {
      await capped.close();
    }
  });
});

describe('subprocess adapter: startup failures are one clear sentence', () => {
  test('exits before the handshake', async () => {
    const err = await createSubprocessImplementation(`${FAKE} exit-early`, OPTIONS).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImplementationStartupError);
    const message = (err as Error).message;
    expect(message).toContain(`--exec ${JSON.stringify(`${FAKE} exit-early`)} did not start an implementation`);
    expect(message).toContain('exited with code 3 before answering the handshake');
    expect(message).toContain('fake: cannot load my weights');
    expect(message).toContain('pass --exec a command that runs a program speaking spec/protocol.md');
  });

  test('a command that does not exist', async () => {
    const err = await createSubprocessImplementation('gradspec-no-such-command-xyz', OPTIONS).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImplementationStartupError);
    expect((err as Error).message).toContain('command not found');
  });

  test('a protocol version mismatch', async () => {
    const err = await createSubprocessImplementation(`${FAKE} old-protocol`, OPTIONS).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImplementationStartupError);
    expect((err as Error).message).toContain('speaks protocol "0.9" but this runner speaks "1.0" or "1.1" or "1.2"');
  });

  test('a child that exits after every reply is restarted for each case: no case errors (protocol §3)', async () => {
    const quitter = await createSubprocessImplementation(`${FAKE} exit-after-reply`, OPTIONS);
    try {
      for (let i = 0; i < 4; i++) await expect(quitter.run(reluCase(`fine-${i}`))).resolves.toHaveProperty('forward.y');
      // A child that takes the request and exits 0 without a reply is sent it once more, then it is a crash.
      const err = await failure(quitter.run(reluCase('exit-0')));
      expect(err.kind).toBe('crash');
      expect(err.message).toContain('exited with code 0 during the case');
      expect(quitter.runLimitMs).toBeGreaterThan(OPTIONS.timeoutMs);

    } finally {
      await quitter.close();
    }
  });

  test('a 1.0 child that declines the 1.1 hello is greeted again in 1.0 and runs', async () => {
    const strict = await createSubprocessImplementation(`${FAKE} strict-1.0`, OPTIONS);
    try {
      await expect(strict.run(reluCase('fine'))).resolves.toHaveProperty('forward.y');
      await expect(strict.run(reluCase('crash')).catch((e: unknown) => e)).resolves.toBeInstanceOf(ImplementationError);
      await expect(strict.run(reluCase('fine'))).resolves.toHaveProperty('forward.y'); // the restart greets it in 1.0 too
    } finally {
      await strict.close();
    }
  });

  test('no answer to the handshake', async () => {
    const err = await createSubprocessImplementation(`${FAKE} silent`, { ...OPTIONS, startupTimeoutMs: 300 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImplementationStartupError);
    expect((err as Error).message).toContain('did not answer the handshake within 300 ms');
  });
});

// Looked up on PATH, not run: nothing starts a process at module load.
const hasPython = (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, 'python3')));
const withPython = hasPython ? test : test.skip;

describe('examples/python/impl.py', () => {
  withPython(`answers the handshake and a relu case with well-formed tensors${hasPython ? '' : ' (skipped: python3 is not on PATH)'}`, async () => {
    const impl = await createSubprocessImplementation('python3 examples/python/impl.py', { ...OPTIONS, cwd: ROOT });
    try {
      expect(impl.ops).toEqual(expect.arrayContaining(['matmul', 'linear', 'relu', 'softmax', 'mse', 'mse_softmax', 'cross_entropy', 'sgd', 'mlp']));
      expect(impl.dtypes).toEqual(['float64', 'float32']);
      const request: CaseRequest = { ...reluCase('readable'), grad_output: { y: tensor([2, 2], [1, 1, 1, 1]) } };
      const reply = await impl.run(request);
      expect(reply.forward.y).toMatchObject({ dtype: 'float64', shape: [2, 2] });
      expect(reply.forward.y!.data).toHaveLength(4);
      expect(reply.grad_inputs?.x).toMatchObject({ dtype: 'float64', shape: [2, 2] });
    } finally {
      await impl.close();
    }
  });
});

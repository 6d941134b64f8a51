// The worker pool: two threads give the bits of one, and no thread outlives its use — stopped on
// request, stopped when idle, and never keeping a process alive.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { bytesOf } from './helpers/bytes';
import { normalPool } from './helpers/normal-pool';
import { PARALLEL_MIN_FLOP, closeMatmulWorkers, configureMatmul, gemm, matmulStatus, startMatmulWorkers } from '../../src/kernels/matmul';
import { kSplitRows, rowBands } from '../../src/kernels/gemm-wasm';
import { SPIN_MS, holdWorkers, learnSpeed, setBackoff, setTakeBack, setWorkerSpeeds, sharingAdvised, spinMs, workerSpeeds, workerSpinMs } from '../../src/kernels/pool';

const ROOT = join(__dirname, '..', '..');
const random = normalPool(2); // operands: copies of slices of one pool of normal values
/** One product above the split threshold (2·64·64·300 ≈ 2.5 MFLOP), on fresh operands. */
const largeProduct = () => gemm(64, 64, 300, random(64 * 300), false, random(300 * 64), false, new Float64Array(64 * 64));

/** Blocks of the event loop until `done()` or `timeoutMs`; waiting, not timing: nothing is asserted about how long. */
async function until(done: () => boolean, timeoutMs = 30_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  return done();
}

// Every product above the threshold is shared here, whatever the load of the machine.
beforeAll(() => setBackoff(false));

afterAll(async () => {
  setBackoff(true);
  await closeMatmulWorkers();
  configureMatmul({ threads: 1, workerIdleMs: 1000 });
});

describe('matmul worker pool', () => {
  // Odd row counts, so the row bands end inside a 4-row panel; all above the threshold.
  // The last has two k-blocks and k ≥ 4m: it is split along k, the worker's half added to C afterwards.
  const shapes: [number, number, number][] = [[67, 45, 300], [130, 9, 513], [16, 257, 131], [20, 41, 800]];

  // Each share of a split product runs on the worker, or on this thread when the worker has not
  // started it in time. A busy machine picks at random; the tests force one case or the other.
  describe.each([
    ['float64', 'the worker'],
    ['float32', 'the worker'],
    ['float64', 'this thread, the worker held back'],
    ['float32', 'this thread, the worker held back'],
  ] as const)('%s, second band on %s', (dtype, where) => {
    const held = where !== 'the worker';
    test('two threads give exactly the bits of one, in every orientation', () => {
      configureMatmul({ kernel: 'wasm', threads: 2 });
      expect(startMatmulWorkers(60_000)).toBe(1);
      const make = (x: Float64Array): Float64Array | Float32Array => (dtype === 'float32' ? Float32Array.from(x) : x);
      holdWorkers(held ? 'sleeping' : false);
      setTakeBack(held);
      try {
        for (const [m, n, k] of shapes) {
          expect(2 * m * n * k).toBeGreaterThanOrEqual(PARALLEL_MIN_FLOP);
          for (const transA of [false, true]) {
            for (const transB of [false, true]) {
              // Rows cut evenly, and unevenly either way (a worker learnt to be slower or faster). Fresh
              // operands each time: scratch left by an earlier product must not pass for this one's.
              for (const speed of [1, 0.25, 4]) {
                const a = make(random(m * k)), b = make(random(k * n));
                // NaN and ±∞ in both k-blocks (and so in both halves of a split along k): their bits too
                a[3] = NaN;
                a[a.length - 5] = Infinity;
                b[b.length - 7] = -Infinity;
                const one = make(new Float64Array(m * n)), two = make(new Float64Array(m * n).fill(NaN));
                configureMatmul({ threads: 1 });
                gemm(m, n, k, a, transA, b, transB, one);
                configureMatmul({ threads: 2 });
                setWorkerSpeeds([speed]);
                const before = matmulStatus();
                gemm(m, n, k, a, transA, b, transB, two);
                const after = matmulStatus();
                expect(after.sharedCalls).toBe(before.sharedCalls + 1); // the product was split
                expect(after.callsTakenBack).toBe(before.callsTakenBack + (held ? 1 : 0));
                expect(bytesOf(two).equals(bytesOf(one))).toBe(true);
              }
            }
          }
        }
      } finally {
        holdWorkers(false);
        setTakeBack(true);
      }
    });
  });

  test('a worker that ran its share learns its speed from it; a share taken back teaches nothing', () => {
    configureMatmul({ kernel: 'wasm', threads: 2 });
    expect(startMatmulWorkers(60_000)).toBe(1);
    setTakeBack(false); // the worker surely runs its share
    try {
      setWorkerSpeeds([1]);
      largeProduct();
      const learnt = matmulStatus().workerSpeeds[0]!;
      // A measured ratio of two times: never exactly the 1 it started from, and within the clamp.
      expect(learnt).not.toBe(1);
      expect(learnt).toBeGreaterThanOrEqual(0.25);
      expect(learnt).toBeLessThanOrEqual(4);
      setTakeBack(true);
      holdWorkers('sleeping');
      const taken = matmulStatus().callsTakenBack;
      largeProduct();
      expect(matmulStatus().callsTakenBack).toBe(taken + 1);
      expect(workerSpeeds(1)).toEqual([learnt]);
    } finally {
      holdWorkers(false);
      setTakeBack(true);
    }
  });

  /**
   * With the back-off on and afresh, the worker held as `hold`: one large product, whose share this
   * thread must take back; then `after`, and the worker released and the back-off off again.
   */
  async function afterTakeBack(hold: 'polling' | 'sleeping', after: () => void | Promise<void>): Promise<void> {
    configureMatmul({ kernel: 'wasm', threads: 2 });
    expect(startMatmulWorkers(60_000)).toBe(1);
    setBackoff(true); // afresh: nothing went wrong yet, so the threads poll
    expect(spinMs()).toBe(SPIN_MS);
    try {
      holdWorkers(hold);
      const taken = matmulStatus().callsTakenBack;
      largeProduct();
      expect(matmulStatus().callsTakenBack).toBe(taken + 1);
      await after();
    } finally {
      holdWorkers(false);
      setBackoff(false);
    }
  }

  test('after a share this thread had to take back from a polling worker (a busy machine), the worker is told to sleep between products, not poll', () =>
    afterTakeBack('polling', () => {
      // What the late share told the worker, not the clock: the back-off itself lasts only 2 ms.
      expect(workerSpinMs()).toEqual([0]);
    }));

  test('a share taken back from a sleeping worker (a wake-up is slower than the share) is no sign of a busy machine: sharing and polling go on', () =>
    afterTakeBack('sleeping', () => {
      expect(spinMs()).toBe(SPIN_MS);
      expect(sharingAdvised()).toBe(true);
    }));

  test('once a back-off has run out, the next share tells the worker to poll again, even after several late shares (a sleeping worker misses every short share)', () =>
    afterTakeBack('polling', async () => {
      const pause = () => new Promise((resolve) => setTimeout(resolve, 50)); // well past each back-off (2, then 4 ms)
      await pause();
      const taken = matmulStatus().callsTakenBack;
      largeProduct(); // a second late share from the held, polling worker: the back-off doubles again
      expect(matmulStatus().callsTakenBack).toBe(taken + 1);
      expect(workerSpinMs()).toEqual([0]);
      holdWorkers('sleeping'); // asleep, as a worker told not to poll is by now (held, so surely)
      await pause();
      expect(spinMs()).toBe(SPIN_MS);
      largeProduct(); // taken back from a sleeping worker: no sign of a busy machine
      expect(matmulStatus().callsTakenBack).toBe(taken + 2);
      expect(workerSpinMs()).toEqual([SPIN_MS]);
    }));

  test('the back-off after a take-back is a while, not a number of products: a product after it is shared again', () =>
    afterTakeBack('polling', async () => {
      holdWorkers(false);
      await new Promise((resolve) => setTimeout(resolve, 50)); // well past the first back-off (2 ms)
      const shared = matmulStatus().sharedCalls;
      largeProduct();
      expect(matmulStatus().sharedCalls).toBe(shared + 1); // counted in products, the next 8 ran on one thread
    }));

  test('closeMatmulWorkers stops every thread; the next large product starts them again', async () => {
    configureMatmul({ kernel: 'wasm', threads: 2 });
    expect(startMatmulWorkers(60_000)).toBe(1);
    await closeMatmulWorkers();
    expect(matmulStatus().workersLive).toBe(0);
    const started = matmulStatus().workersStarted;
    largeProduct();
    expect(matmulStatus().workersStarted).toBe(started + 1);
    await closeMatmulWorkers();
    expect(matmulStatus().workersLive).toBe(0);
  });

  test('an idle pool stops its threads by itself', async () => {
    configureMatmul({ kernel: 'wasm', threads: 2, workerIdleMs: 20 });
    expect(startMatmulWorkers(60_000)).toBe(1);
    expect(await until(() => matmulStatus().workersLive === 0)).toBe(true);
  });

  test('a process that used the pool and never closed it still exits by itself', () => {
    const kernel = JSON.stringify(join(ROOT, 'src', 'kernels', 'matmul.ts'));
    const script = `require('tsx/cjs');
      const k = require(${kernel});
      k.configureMatmul({ kernel: 'wasm', threads: 2 });
      k.startMatmulWorkers(60000);
      const n = 100, a = new Float64Array(n * n).fill(1), c = new Float64Array(n * n);
      k.gemm(n, n, n, a, false, a, false, c);
      console.log(JSON.stringify({ ...k.matmulStatus(), c0: c[0] }));`;
    const run = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(run.signal).toBeNull(); // not killed by the timeout: it exited on its own
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const status = JSON.parse(run.stdout);
    expect(status).toMatchObject({ sharedCalls: 1, workersLive: 1, c0: 100 });
  });
});

describe('cutting a product between threads', () => {
  test('rowBands: equal speeds cut at the middle 4-row panel; uneven ones in proportion, at multiples of 4', () => {
    expect(rowBands(256, [1, 1])).toEqual([0, 128, 256]);
    expect(rowBands(256, [1, 1, 1, 1])).toEqual([0, 64, 128, 192, 256]);
    expect(rowBands(67, [1, 1])).toEqual([0, 36, 67]); // 17 panels: 9 here, 8 on the worker (the last one partial)
    // a worker half as fast: 64 panels × 2/3 = 42.7, so 43 panels here
    expect(rowBands(256, [1, 0.5])).toEqual([0, 172, 256]);
    expect(rowBands(256, [1, 2])).toEqual([0, 84, 256]); // 64/3 = 21.3 panels here
  });

  test('rowBands: every band has at least one panel, so small products have fewer bands than threads', () => {
    expect(rowBands(8, [1, 0.25])).toEqual([0, 4, 8]); // 1.6 panels here would leave the worker none
    expect(rowBands(8, [0.25, 1])).toEqual([0, 4, 8]);
    expect(rowBands(5, [1, 1])).toEqual([0, 4, 5]);
    expect(rowBands(3, [1, 1])).toEqual([0, 3]);
    expect(rowBands(9, [1, 1, 1, 1])).toEqual([0, 4, 8, 9]);
    expect(rowBands(0, [1, 1])).toEqual([0, 0]);
    for (let m = 1; m <= 40; m++) {
      for (const speeds of [[1, 1], [1, 0.25], [0.25, 1], [1, 3, 0.3, 1]]) {
        const starts = rowBands(m, speeds);
        expect(starts[0]).toBe(0);
        expect(starts[starts.length - 1]).toBe(m);
        expect(starts.length - 1).toBe(Math.min(speeds.length, Math.ceil(m / 4)));
        for (let i = 1; i < starts.length - 1; i++) {
          expect(starts[i]! % 4).toBe(0);
          expect(starts[i]!).toBeGreaterThan(starts[i - 1]!);
        }
      }
    }
  });

  test('kSplitRows: the worker takes all of the second k-block unless it has been slower; then what it can do while this thread does the rest', () => {
    expect(kSplitRows(64, 392, 392, 1)).toBe(64); // equal speeds, equal blocks: half the work each
    expect(kSplitRows(64, 392, 392, 4)).toBe(64); // it cannot take more than its block
    expect(kSplitRows(21, 392, 392, 1)).toBe(21);
    // half as fast: r·392/0.5 = 64·392 + (64 − r)·392 at r = 42.7, so 44 rows (a multiple of 4)
    expect(kSplitRows(64, 392, 392, 0.5)).toBe(44);
    expect(kSplitRows(64, 392, 392, 0.25)).toBe(24); // 25.6
    expect(kSplitRows(64, 200, 600, 0.5)).toBe(28); // unequal blocks: 64·800 / (600·3) = 28.4
    expect(kSplitRows(20, 400, 400, 0.01)).toBe(4); // never less than one panel
  });

  test('learnSpeed moves a quarter of the way (in log) to each measurement, and converges to the true ratio', () => {
    // same work, the worker took 16 times as long: 1 · (1/16)^¼ = 1/2
    expect(learnSpeed(1, 10, 1, 10, 16)).toBeCloseTo(0.5, 12);
    // work per ms counts, not time alone: twice the work in twice the time is the same speed
    expect(learnSpeed(1, 10, 1, 20, 2)).toBeCloseTo(1, 12);
    let speed = 1;
    for (let i = 0; i < 40; i++) speed = learnSpeed(speed, 128, 0.4, 128, 0.8);
    expect(speed).toBeCloseTo(0.5, 3);
  });

  test('learnSpeed stays within [¼, 4] and ignores shares too short to time, or with no work', () => {
    expect(learnSpeed(4, 1, 1, 1000, 1)).toBe(4);
    expect(learnSpeed(0.25, 1000, 1, 1, 1)).toBe(0.25);
    expect(learnSpeed(1, 1, 1, 1e9, 1)).toBe(4);
    expect(learnSpeed(0.7, 10, 0.01, 10, 1)).toBe(0.7); // 10 µs: the clock's grain is most of it
    expect(learnSpeed(0.7, 10, 1, 10, 0.01)).toBe(0.7);
    expect(learnSpeed(0.7, 0, 1, 10, 1)).toBe(0.7);
    expect(learnSpeed(0.7, 10, 1, 0, 1)).toBe(0.7);
    expect(learnSpeed(0.7, 10, NaN, 10, 1)).toBe(0.7);
  });
});

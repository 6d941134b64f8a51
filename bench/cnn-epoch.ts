// Section 4 of `npm run bench`: one MNIST epoch of the LeNet-5 that `npm run train -- --model lenet`
// trains (batch norm on, float32, batch 64, plain SGD), src on one thread against PyTorch on one
// thread with the same layers, batch size and data, measured in the same run. Goal: no slower than PyTorch.
import { defaultMnistDir } from '../cli/mnist-dir';
import { fixed, table } from './lib/format';
import { type EpochRun, notJudged, srcEpoch, verdict } from './lib/epoch-run';
import { findTorch, runTorchEpoch } from './peers/python';
import { CNN_EPOCH } from './src-epoch';

const DTYPE = 'float32';
/** src's epoch time ÷ PyTorch's, at most. */
const TORCH_RATIO = 1;

/** Runs, prints and checks the section; ok is false when src was slower than PyTorch, when PyTorch did not run, or when src failed. */
export function benchCnnEpoch(torchReason: string | null): { ok: boolean; result: unknown } {
  console.log(`4. one MNIST epoch of a CNN: LeNet-5 with batch norm (src/train/lenet.ts), ${DTYPE}, cross-entropy, SGD lr ${CNN_EPOCH.lr}, batch ${CNN_EPOCH.batchSize}, 60000 images`);
  console.log('   seconds of training (no data loading, no test pass), one epoch per process, one thread each (a LeNet epoch is minutes: one round).\n');
  const runs: EpochRun[] = [srcEpoch(DTYPE, 1, 'lenet', 1)];
  const torch: ReturnType<typeof findTorch> = torchReason ? { reason: torchReason } : findTorch();
  let torchNote = '';
  if ('python' in torch) {
    try {
      const args = [defaultMnistDir(), '--model', 'lenet', ...(CNN_EPOCH.batchNorm ? ['--batch-norm'] : []), '--batch-size', String(CNN_EPOCH.batchSize), '--lr', String(CNN_EPOCH.lr), '--seed', String(CNN_EPOCH.seed), '--dtype', DTYPE];
      const out = runTorchEpoch(torch.python, args);
      const blas = torch.blas.startsWith('reference BLAS') ? 'Debian, reference BLAS' : torch.blas; // the library's path goes in the note
      runs.push({ name: `PyTorch ${torch.torch} (${blas}), 1 thread`, dtype: DTYPE, first: out.seconds as number, cpu: out.cpu_seconds as number, testAccuracy: out.test_accuracy as number });
      torchNote = `PyTorch from ${torch.python}, BLAS: ${torch.blas}`;
    } catch (e) {
      torchNote = `PyTorch failed: ${(e as Error).message}`;
    }
  } else torchNote = `PyTorch skipped: ${torch.reason}`;

  const src = runs[0]!;
  const peer = runs[1];
  console.log(
    table(
      ['implementation', 'epoch s', 'CPU s', 'test acc', '÷ PyTorch'],
      runs.map((r) => [r.name, fixed(r.first, 2), r.cpu === undefined ? '–' : fixed(r.cpu, 2), `${fixed(100 * r.testAccuracy, 2)}%`, peer ? `${fixed(r.first / peer.first, 2)}×` : '–']),
    ),
  );
  if (torchNote) console.log(`\n   ${torchNote}`);
  const ratio = peer ? src.first / peer.first : undefined;
  const cpuRatio = peer && src.cpu && peer.cpu ? src.cpu / peer.cpu : undefined;
  // Without PyTorch the target is not judged, and not counted as met (as section 3 without NumPy).
  const ok = ratio !== undefined && ratio <= TORCH_RATIO;
  if (ratio !== undefined) {
    console.log(`   target: src's LeNet epoch ≤ ${TORCH_RATIO}× PyTorch's (wall time) → ${fixed(ratio, 2)}× ${verdict(ok)} (CPU time: ${cpuRatio === undefined ? '–' : `${fixed(cpuRatio, 2)}×`})`);
  } else notJudged(`src's LeNet epoch ≤ ${TORCH_RATIO}× PyTorch's`, 'no PyTorch run');
  return { ok, result: { config: { ...CNN_EPOCH, dtype: DTYPE }, runs, ratio, cpuRatio, torchNote: torchNote || undefined } };
}

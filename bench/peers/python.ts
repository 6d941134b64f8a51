// The Python peers, each a child process with generous timeouts: NumPy + OpenBLAS from the python3
// on PATH (the seed tutorial's stack), and PyTorch from whichever python3 has it (Debian's
// python3-torch links the netlib reference BLAS: labelled so, since "faster than PyTorch" then says little).
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const TIMEOUT_MS = 600_000;
/** OpenBLAS settings some images export to pin a kernel; the bench lets OpenBLAS pick its own for this machine. */
const OPENBLAS_PINS = ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE'];

export interface OpenBlasInfo {
  numpy: string;
  core: string;
  config?: string;
  /** The pinning variables that were set in this environment and unset for the NumPy command. */
  unset: string[];
}

/** The environment for one-thread NumPy: OPENBLAS_NUM_THREADS=1, and OpenBLAS's own kernel choice. */
function numpyEnv(): { env: NodeJS.ProcessEnv; unset: string[] } {
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  const unset = OPENBLAS_PINS.filter((name) => env[name] !== undefined).map((name) => `${name}=${env[name]}`);
  for (const name of OPENBLAS_PINS) delete env[name];
  return { env, unset };
}

/** Runs bench/numpy_peer.py with `args`; its one JSON line, or an error naming why. */
export function runNumpy(args: string[]): { result: Record<string, unknown>; openblas: OpenBlasInfo } {
  const { env, unset } = numpyEnv();
  const script = path.join(__dirname, '..', 'numpy_peer.py');
  const r = spawnSync('python3', [script, ...args], { encoding: 'utf8', env, timeout: TIMEOUT_MS });
  if (r.error) throw new Error(`python3 could not run: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`python3 bench/numpy_peer.py ${args[0]} failed (exit ${r.status ?? r.signal}): ${lastLine(r.stderr)}`);
  const result = JSON.parse(lastLine(r.stdout)) as Record<string, unknown>;
  const info = result.openblas as { numpy: string; core: string; config?: string };
  return { result, openblas: { ...info, unset } };
}

/** Null when the PATH python3 imports numpy, else the reason NumPy is skipped. */
export function numpyMissing(): string | null {
  const r = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8', timeout: 60_000 });
  if (r.error) return `no python3 on PATH (${r.error.message})`;
  return r.status === 0 ? null : `python3 cannot import numpy (${lastLine(r.stderr)})`;
}

export interface TorchPython {
  python: string;
  torch: string;
  /** e.g. 'reference BLAS (netlib)', 'OpenBLAS', 'MKL'. */
  blas: string;
}

/** The first python3 that imports torch — PATH's, then Debian's /usr/bin/python3 — and the BLAS behind it; or why none. */
export function findTorch(): TorchPython | { reason: string } {
  const probe = [
    'import json, os, torch',
    'cfg = torch.__config__.show()',
    "blas = next((l.split('=', 1)[1].strip() for l in cfg.splitlines() if 'BLAS_INFO' in l), 'unknown')",
    "lib = os.path.realpath('/usr/lib/x86_64-linux-gnu/libblas.so.3') if os.path.exists('/usr/lib/x86_64-linux-gnu/libblas.so.3') else ''",
    "print(json.dumps({'torch': torch.__version__, 'blas': blas, 'libblas': lib}))",
  ].join('\n');
  const tried: string[] = [];
  for (const python of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(python, ['-c', probe], { encoding: 'utf8', timeout: 120_000 });
    if (r.status === 0) {
      const info = JSON.parse(lastLine(r.stdout)) as { torch: string; blas: string; libblas: string };
      // Debian builds torch against the generic libblas.so.3, which is netlib's unless an alternative (OpenBLAS, BLIS) is installed.
      const generic = /generic|^blas$/i.test(info.blas) || (info.libblas.includes('/blas/') && !/openblas|blis|mkl/i.test(info.libblas));
      return { python, torch: info.torch, blas: generic ? `reference BLAS (netlib, ${info.libblas || info.blas})` : info.blas };
    }
    tried.push(`${python}: ${r.error ? r.error.message : lastLine(r.stderr) || `exit ${r.status}`}`);
  }
  return { reason: `no python3 can import torch (${tried.join('; ')})` };
}

export function runTorchEpoch(python: string, args: string[]): Record<string, unknown> {
  const script = path.join(__dirname, '..', 'torch_epoch.py');
  const env = { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' };
  const r = spawnSync(python, [script, ...args], { encoding: 'utf8', env, timeout: TIMEOUT_MS });
  if (r.status !== 0) throw new Error(`${python} bench/torch_epoch.py failed (exit ${r.status ?? r.signal}): ${lastLine(r.stderr)}`);
  return JSON.parse(lastLine(r.stdout)) as Record<string, unknown>;
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop() ?? '';
}

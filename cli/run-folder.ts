// Where a training run writes: a new numbered folder per run (out/train/lenet-1, lenet-2, ...), so
// a run never replaces an earlier one unless the user names the folder and says --overwrite.
import { accessSync, constants, existsSync, mkdirSync, readdirSync } from 'node:fs';
import * as path from 'node:path';

/** The files a run writes; a folder holding one of them holds a run. */
export const RUN_FILES = ['log.json', 'curves.svg'];

/**
 * Creates and returns the run folder: `out` itself when given (refused when it holds a run and
 * `overwrite` is false), else the next free `<root>/<prefix>-<n>`. Throws naming the folder when it
 * cannot be written, before any training.
 */
export function claimRunFolder(out: string | undefined, options: { overwrite: boolean; prefix: string; root?: string }): string {
  const folder = out ?? nextRunFolder(options.root ?? path.join('out', 'train'), options.prefix);
  if (out !== undefined && !options.overwrite) {
    const old = RUN_FILES.filter((f) => existsSync(path.join(out, f)));
    if (old.length) throw new Error(`--out ${out} already holds a run (${old.join(', ')}); pass --overwrite to replace it, or another --out`);
  }
  try {
    mkdirSync(folder, { recursive: true });
    accessSync(folder, constants.W_OK);
  } catch (e) {
    throw new Error(`--out ${folder} cannot be written: ${(e as Error).message}`);
  }
  return folder;
}

/** `<root>/<prefix>-<n>` for the first n above every existing one; created here, so two runs never share it. */
function nextRunFolder(root: string, prefix: string): string {
  try {
    mkdirSync(root, { recursive: true });
  } catch (e) {
    throw new Error(`out: ${root} cannot be written: ${(e as Error).message}`);
  }
  const pattern = new RegExp(`^${prefix}-(\\d+)$`);
  let n = Math.max(0, ...readdirSync(root).map((name) => Number(pattern.exec(name)?.[1] ?? 0)));
  for (;;) {
    const folder = path.join(root, `${prefix}-${++n}`);
    try {
      mkdirSync(folder); // fails when another run took this number first
      return folder;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`--out ${folder} cannot be written: ${(e as Error).message}`);
    }
  }
}

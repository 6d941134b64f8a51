// --watch: run, then rerun whenever the implementation's folder changes, until Ctrl-C. chokidar
// rather than fs.watch: it watches a folder tree without descending into the ignored folders (a
// recursive fs.watch on Linux walks node_modules too) and turns editors' save-by-rename into one change.
import { existsSync, fstatSync, statSync } from 'node:fs';
import { basename, dirname, resolve, sep } from 'node:path';
import { displayPath } from '../loader';
import { UsageError } from './errors';
import type { RunSettings } from './run-args';

/** Changes closer together than this are one change (an editor saving several files, a formatter). */
export const DEBOUNCE_MS = 300;

/** Quitting the watch: the status of an interrupted run. */
const QUIT_STATUS = 130;

/** Never the implementation's source: dot files and folders, dependencies, Python's byte code, backups. */
const IGNORED_NAMES = /^(\..*|node_modules|__pycache__|.*\.pyc|.*~)$/;

export interface WatchIO {
  stdout: { write(text: string): unknown };
}

/** The folders to watch: the --impl module's, or those of the files named in the --exec command. Throws UsageError. */
export function watchTargets(settings: Pick<RunSettings, 'impl' | 'exec'>, cwd: string): string[] {
  if (settings.exec === undefined) {
    const path = resolve(cwd, settings.impl);
    if (!existsSync(path)) throw new UsageError(`--watch: --impl ${settings.impl}: no such file; pass the path of your module`);
    return [statSync(path).isDirectory() ? path : dirname(path)];
  }
  const files = commandWords(settings.exec)
    .map((w) => resolve(cwd, w))
    .filter((p) => existsSync(p) && statSync(p).isFile());
  if (files.length === 0) {
    throw new UsageError(`--watch cannot tell which folder to watch: --exec ${JSON.stringify(settings.exec)} names no file here; name the program's file, e.g. --exec "python3 impl.py"`);
  }
  return [...new Set(files.map((f) => dirname(f)))];
}

/** Runs `runOnce`, then again after each change under `targets`; resolves to 130 on Ctrl-C / SIGTERM. */
export async function watchRuns(targets: readonly string[], settings: RunSettings, io: WatchIO, runOnce: () => Promise<number>): Promise<number> {
  // The run's own files (reports, --write-expectations) must not start the next run.
  const outputs = new Set([...settings.reporters.flatMap((r) => ('path' in r ? [r.path] : [])), settings.writeExpectations].filter((p): p is string => p !== undefined));
  const ignored = (path: string): boolean => {
    const abs = resolve(path);
    if (outputs.has(abs) || isOurOutput(abs)) return true;
    // Only the part below the watched folder counts: the folder itself may sit under a dot folder.
    const target = targets.find((t) => abs.startsWith(t + sep));
    return target !== undefined && abs.slice(target.length + 1).split(sep).some((part) => IGNORED_NAMES.test(part));
  };
  const { watch } = await import('chokidar'); // only a --watch run needs it
  const watcher = watch([...targets], { ignoreInitial: true, ignored });
  let running = false;
  let changed: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let wake: ((reason: 'change' | 'quit') => void) | undefined;
  let quitting = false;
  watcher.on('all', (_event, path) => {
    if (running) return; // a change saved during a run is the run's own doing or waits for the next save
    changed = path;
    clearTimeout(timer);
    timer = setTimeout(() => wake?.('change'), DEBOUNCE_MS);
  });
  const quit = (): void => {
    quitting = true;
    wake?.('quit');
  };
  process.on('SIGINT', quit);
  process.on('SIGTERM', quit);
  try {
    await new Promise<void>((res, rej) => watcher.once('ready', res).once('error', rej));
    const shown = targets.map((t) => displayPath(t)).join(', ');
    for (;;) {
      running = true;
      await runOnce();
      running = false;
      if (quitting) break;
      io.stdout.write(`\nwatching ${shown} for changes; Ctrl-C quits\n`);
      const reason = await new Promise<'change' | 'quit'>((res) => (wake = res));
      wake = undefined;
      if (reason === 'quit') break;
      io.stdout.write(`\n${basename(changed ?? '')} changed; running again\n\n`);
    }
  } finally {
    clearTimeout(timer);
    process.removeListener('SIGINT', quit);
    process.removeListener('SIGTERM', quit);
    await watcher.close();
  }
  return QUIT_STATUS;
}

/** True for the file this process's stdout or stderr is redirected to (`gradspec run --watch > log.txt` in the watched folder). */
function isOurOutput(path: string): boolean {
  try {
    const file = statSync(path);
    return [1, 2].some((fd) => {
      const out = fstatSync(fd);
      return out.isFile() && out.ino === file.ino && out.dev === file.dev;
    });
  } catch {
    return false; // gone, or no such descriptor
  }
}

/** The words of a command line, quotes removed ('python3 "my impl.py"' → python3, my impl.py). */
function commandWords(command: string): string[] {
  return [...command.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

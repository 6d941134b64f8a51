// The one-line command printed under a failing case that reruns it alone, with the same
// implementation, fixtures folder and timeout.
import { isAbsolute, relative, resolve } from 'node:path';
import { FIXTURES_DIR } from '../loader';
import { DEFAULT_TIMEOUT_MS } from '../run-case';
import type { RunSettings } from './run-args';

/** The command that reruns one case with the same implementation and fixtures. */
export function reproCommand(settings: RunSettings, cwd: string, id: string): string {
  const parts = ['npx gradspec run'];
  if (settings.exec !== undefined) parts.push(`--exec ${shellQuote(settings.exec)}`);
  else parts.push(`--impl ${shellQuote(settings.impl)}`);
  if (resolve(settings.fixtures) !== resolve(FIXTURES_DIR)) parts.push(`--fixtures ${shellQuote(relativeIfInside(settings.fixtures, cwd))}`);
  if (settings.timeoutMs !== DEFAULT_TIMEOUT_MS) parts.push(`--timeout ${settings.timeoutMs}`);
  parts.push(`--id '${id.replace(/'/g, `'\\''`)}'`);
  return parts.join(' ');
}

function relativeIfInside(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

/** `s` as one shell word. */
export function shellQuote(s: string): string {
  return /^[\w./:=@%+,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

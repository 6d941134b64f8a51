// Why the filters of `gradspec run` matched no case, when a likely slip explains it: an --id written
// without a glob character matches only a case id spelled exactly so ('relu' matches nothing).
import { fixtureId } from '../../spec/format';
import { isOpName } from '../../spec/registry';
import { listFixtureFiles } from '../loader';
import { closest } from './did-you-mean';

const GLOB_CHARS = /[*?[\]{}()!+@]/;

/** One sentence per --id without a glob character that names no case, saying what was probably meant. */
export function idHints(ids: readonly string[], fixturesDir: string): string[] {
  const plain = ids.filter((id) => !GLOB_CHARS.test(id));
  if (plain.length === 0) return [];
  const known = listFixtureFiles(fixturesDir).map((f) => fixtureId(f) ?? f.replace(/\.json$/, ''));
  const hints: string[] = [];
  for (const id of plain) {
    if (known.includes(id)) continue;
    const meant: string[] = [];
    if (isOpName(id)) meant.push(`--id '${id}/*'`, `--op ${id}`);
    else if (known.some((k) => k.startsWith(id))) meant.push(`--id '${id}*'`);
    else meant.push(...closest(id, known).map((k) => `--id '${k}'`));
    if (meant.length) hints.push(`no case id is exactly '${id}'; did you mean ${meant.join(' or ')}?`);
  }
  return hints;
}

// "did you mean …?" for a mistyped flag, op or feature: the closest known names by edit distance.
import leven from 'leven';

/** The known names nearest to `typed` by edit distance, if near enough (at most three, equally near). */
export function closest(typed: string, known: readonly string[]): string[] {
  // A third of the word, at least 1 and at most 3 edits: 'relux' → relu, but 'x' suggests nothing.
  const limit = Math.min(3, Math.max(1, Math.floor(typed.length / 3)));
  // A name the typed word begins counts as one edit away: 'conv' → conv2d.
  const scored = known.map((name) => ({ name, d: typed.length >= 3 && name.startsWith(typed) ? 1 : distance(typed.toLowerCase(), name.toLowerCase()) }));
  const best = Math.min(...scored.map(({ d }) => d));
  return best > limit ? [] : scored.filter(({ d }) => d === best).slice(0, 3).map(({ name }) => name);
}

/** 'did you mean --op relu?' (`show` writes each name), or undefined when nothing is close. */
export function didYouMean(typed: string, known: readonly string[], show: (name: string) => string = (n) => n): string | undefined {
  const names = closest(typed, known).map(show);
  return names.length ? `did you mean ${names.join(' or ')}?` : undefined;
}

/** Edit distance, with two neighbours swapped counting as one edit ('dri' → dir), the commonest typo leven counts as two. */
function distance(a: string, b: string): number {
  const d = leven(a, b);
  if (d !== 2 || a.length !== b.length) return d;
  const i = [...a].findIndex((c, k) => c !== b[k]);
  return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2) ? 1 : d;
}

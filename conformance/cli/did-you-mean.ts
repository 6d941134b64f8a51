// "did you mean …?" for a mistyped flag, op or feature: the closest known names by edit distance.
import leven from 'leven';

/** The known names nearest to `typed` by edit distance, if near enough (at most three, equally near). */
export function closest(typed: string, known: readonly string[]): string[] {
  // A third of the word, at least 1 and at most 3 edits: 'relux' → relu, but 'x' suggests nothing.
  const limit = Math.min(3, Math.max(1, Math.floor(typed.length / 3)));
  // A name the typed word begins counts as one edit away: 'conv' → conv2d.
  const scored = known.map((name) => ({ name, d: typed.length >= 3 && name.startsWith(typed) ? 1 : leven(typed.toLowerCase(), name.toLowerCase()) }));
  const best = Math.min(...scored.map(({ d }) => d));
  return best > limit ? [] : scored.filter(({ d }) => d === best).slice(0, 3).map(({ name }) => name);
}

/** 'did you mean --op relu?' (`show` writes each name), or undefined when nothing is close. */
export function didYouMean(typed: string, known: readonly string[], show: (name: string) => string = (n) => n): string | undefined {
  const names = closest(typed, known).map(show);
  return names.length ? `did you mean ${names.join(' or ')}?` : undefined;
}

// "did you mean …?" for a mistyped flag, op or feature: the closest known names by edit distance.
import leven from 'leven';

/** The known names within a small edit distance of `typed`, closest first (at most three). */
export function closest(typed: string, known: readonly string[]): string[] {
  // A third of the word, at least 1 and at most 3 edits: 'relux' → relu, but 'x' suggests nothing.
  const limit = Math.min(3, Math.max(1, Math.floor(typed.length / 3)));
  return known
    .map((name) => ({ name, d: leven(typed.toLowerCase(), name.toLowerCase()) }))
    .filter(({ d }) => d <= limit)
    .sort((a, b) => a.d - b.d)
    .slice(0, 3)
    .map(({ name }) => name);
}

/** 'did you mean --op relu?' (`show` writes each name), or undefined when nothing is close. */
export function didYouMean(typed: string, known: readonly string[], show: (name: string) => string = (n) => n): string | undefined {
  const names = closest(typed, known).map(show);
  return names.length ? `did you mean ${names.join(' or ')}?` : undefined;
}

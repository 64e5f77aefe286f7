/** "did you mean" for a mistyped key or name: the closest known names within a small edit distance. */
export function closestNames(input: string, known: Iterable<string>, limit = 2): string[] {
  const lowered = input.toLowerCase();
  const maxDistance = Math.max(2, Math.floor(input.length / 3));
  const scored: Array<{ name: string; distance: number }> = [];
  for (const name of new Set(known)) {
    const distance = editDistance(lowered, name.toLowerCase());
    if (distance <= maxDistance) scored.push({ name, distance });
  }
  scored.sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name));
  return scored.slice(0, limit).map(({ name }) => name);
}

/** ` (did you mean "members"?)`, or '' when nothing is close. */
export function didYouMean(input: string, known: Iterable<string>): string {
  const close = closestNames(input, known);
  return close.length === 0 ? '' : ` (did you mean ${close.map((name) => `"${name}"`).join(' or ')}?)`;
}

/** Levenshtein distance. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(substitution, (previous[j] as number) + 1, (current[j - 1] as number) + 1));
    }
    previous = current;
  }
  return previous[b.length] as number;
}

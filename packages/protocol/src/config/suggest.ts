import { configKeyOf } from './scope.js';

/**
 * Close matches for a mistyped config name, best first: the name whose camelCase key was typed
 * (`lingerMs`), the same name with other separators (`linger_ms`), then names within a small edit
 * distance or containing what was typed.
 */
export function closeMatches(input: string, candidates: Iterable<string>, limit = 3): string[] {
  const normalized = input.trim().toLowerCase().replace(/[-_\s]+/g, '.');
  const maxDistance = Math.max(2, Math.floor(normalized.length / 4));
  const scored: Array<{ name: string; score: number }> = [];
  for (const name of candidates) {
    if (configKeyOf(name) === input || name === normalized) {
      scored.push({ name, score: -1 });
      continue;
    }
    const distance = editDistance(normalized, name, maxDistance);
    if (distance <= maxDistance) scored.push({ name, score: distance });
    else if (normalized.length >= 4 && name.includes(normalized)) scored.push({ name, score: maxDistance + 1 });
  }
  scored.sort((a, b) => a.score - b.score || a.name.localeCompare(b.name));
  return scored.slice(0, limit).map(({ name }) => name);
}

/** Levenshtein distance, giving up (returning `bound + 1`) once it must exceed `bound`. */
export function editDistance(a: string, b: string, bound: number): number {
  if (Math.abs(a.length - b.length) > bound) return bound + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      const value = Math.min(substitution, (previous[j] as number) + 1, (current[j - 1] as number) + 1);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > bound) return bound + 1;
    previous = current;
  }
  return previous[b.length] as number;
}

/**
 * A state value as a reader says it, for the dashboard (issue 10: the producer's parallel state showed as
 * raw JSON). `stable` stays `stable`; a nested value names its path (`joining: routing`, `rebalancing:
 * eager awaitingPoll`); parallel regions are listed with ` · ` between them:
 * `{ ready: { admission: 'admitting', delivery: 'idle' } }` is `ready: admission admitting · delivery idle`.
 */
export function stateText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') return '';
  const entries = Object.entries(value as Record<string, unknown>);
  const [only] = entries;
  if (entries.length === 1 && only !== undefined) {
    const inner = regionsText(only[1]);
    return inner === '' ? only[0] : `${only[0]}: ${inner}`;
  }
  return regionsText(value);
}

/** The states inside a state: each region (or the one child) as `key value`, regions joined by ` · `. */
function regionsText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') return '';
  return Object.entries(value as Record<string, unknown>)
    .map(([key, child]) => {
      const inner = regionsText(child);
      return inner === '' ? key : `${key} ${inner}`;
    })
    .join(' · ');
}

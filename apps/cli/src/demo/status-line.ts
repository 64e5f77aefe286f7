/** The demo's one-line status, as a pure function of its counters so it is testable. */
export interface DemoCounters {
  produced: number;
  failed: number;
  consumed: number;
  consumedByPartition: Map<number, number>;
  startedAtMs: number;
}

export function demoStatusLine(counters: DemoCounters, leaders: ReadonlyMap<number, number>, nowMs: number): string {
  const seconds = Math.max(1, (nowMs - counters.startedAtMs) / 1000);
  const perPartition = [...counters.consumedByPartition.entries()]
    .sort(([a], [b]) => a - b)
    .map(([partition, count]) => `p${partition}:${count}`)
    .join(' ');
  const byBroker = new Map<number, number>();
  for (const leader of leaders.values()) byBroker.set(leader, (byBroker.get(leader) ?? 0) + 1);
  const leadership = [...byBroker.entries()]
    .sort(([a], [b]) => a - b)
    .map(([broker, count]) => (broker === -1 ? `offline:${count}` : `b${broker}:${count}`))
    .join(' ');
  return (
    `produced ${counters.produced} (${Math.round(counters.produced / seconds)}/s)` +
    `${counters.failed > 0 ? ` failed ${counters.failed}` : ''}` +
    ` | consumed ${counters.consumed} | lag ${Math.max(0, counters.produced - counters.consumed)}` +
    ` | ${perPartition || 'waiting for records'}` +
    `${leadership ? ` | leaders ${leadership}` : ''}`
  );
}

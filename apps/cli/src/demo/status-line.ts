/** The demo's one-line status, as a pure function of its counters so it is testable. */
export interface DemoMember {
  /** The member's short name in the demo (c1, c2, ...). */
  name: string;
  /** Its consumer group statechart state (joining, syncing, stable, rebalancing, ...). */
  state: string;
  generation: number;
  partitions: number[];
  consumed: number;
}

export interface DemoCounters {
  produced: number;
  failed: number;
  members: DemoMember[];
  startedAtMs: number;
}

export function demoStatusLine(counters: DemoCounters, leaders: ReadonlyMap<number, number>, nowMs: number): string {
  const seconds = Math.max(1, (nowMs - counters.startedAtMs) / 1000);
  const consumed = counters.members.reduce((sum, member) => sum + member.consumed, 0);
  const generation = Math.max(-1, ...counters.members.map((member) => member.generation));
  const members = counters.members
    .map((member) => `${member.name} ${member.state}${member.state === 'stable' ? ` p${member.partitions.join(',') || '-'}` : ''}:${member.consumed}`)
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
    ` | consumed ${consumed} | lag ${Math.max(0, counters.produced - consumed)}` +
    ` | group${generation >= 0 ? ` gen ${generation}` : ''} ${members}` +
    `${leadership ? ` | leaders ${leadership}` : ''}`
  );
}

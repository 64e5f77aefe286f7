/**
 * KIP-848's published scenario (kafka-group-protocol.md section 8): ten consumers in one group read a topic of
 * 100 partitions that grows to 1,000. Each protocol runs on the same seed, with the real clients against the real
 * group coordinator of a simulated cluster: no partition ever has two owners, every partition is owned at the end,
 * and the time from the partitions being added until every member holds its share of the 1,000 is printed, so the
 * protocols can be compared (Kafka's published figures: about 103 s classic, about 5 s consumer).
 *
 * Every member runs Kafka's defaults where they decide the outcome: a classic group's leader learns of the new
 * partitions only when its metadata is next refreshed (metadata.max.age.ms, 5 minutes), then rebalances; a
 * consumer group's coordinator reads them from its own metadata image on the next heartbeat.
 */
import type { Consumer } from '@kactor/client';
import type { ConfigValueInput } from '@kactor/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { GroupClients, Ownership } from '@kactor/simulation';

const SEED = 848;
const MEMBERS = 10;
const BEFORE = 100;
const AFTER = 1_000;

let sim: GroupClients | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

interface Variant {
  name: string;
  settings: Record<string, ConfigValueInput>;
  /**
   * The bound on the simulated time to settle: the classic leader must first refresh its metadata
   * (metadata.max.age.ms, 300 s); the consumer group's coordinator sees the partitions at once and each member
   * gets its share at its next heartbeat (group.consumer.heartbeat.interval.ms, 5 s), plus the acknowledgements.
   */
  boundMs: number;
}

const variants: Variant[] = [
  { name: 'classic eager (range)', settings: { 'partition.assignment.strategy': 'range' }, boundMs: 330_000 },
  { name: 'classic cooperative (cooperative-sticky)', settings: { 'partition.assignment.strategy': 'cooperative-sticky' }, boundMs: 330_000 },
  { name: 'consumer (uniform)', settings: { 'group.protocol': 'consumer', 'group.remote.assignor': 'uniform' }, boundMs: 15_000 },
];

/** Every one of `partitions` partitions held by exactly one member, and each member holding its fair share. */
function settled(ownership: Ownership, members: readonly Consumer[], partitions: number): boolean {
  const held = members.map((member) => ownership.held.get(member)?.size ?? 0);
  const total = held.reduce((sum, count) => sum + count, 0);
  const fair = Math.floor(partitions / members.length);
  return total === partitions && held.every((count) => count === fair || count === fair + 1) && new Set(members.flatMap((member) => [...(ownership.held.get(member) ?? [])])).size === partitions;
}

describe('KIP-848 scale-out: ten consumers, a topic grown from 100 to 1,000 partitions', () => {
  it.each(variants)('$name: never two owners, every partition owned at the end', { timeout: 240_000 }, async ({ name, settings, boundMs }) => {
    sim = new GroupClients(SEED);
    await sim.cluster.startAll();
    await sim.createTopic('orders', BEFORE);
    const ownership = new Ownership();
    const members = Array.from({ length: MEMBERS }, (_, index) => {
      const member = sim!.consumer('scale-out', `member-${index}`, settings);
      ownership.watch(member);
      member.subscribe(['orders']);
      return member;
    });
    await sim.pollUntil(members, () => settled(ownership, members, BEFORE), `${MEMBERS} members share ${BEFORE} partitions`, 120_000);
    const grownAtMs = sim.cluster.clock.now();
    const [grown] = await sim.settle(sim.admin().createPartitions([{ name: 'orders', count: AFTER }]));
    expect(grown?.error).toBeFalsy();
    await sim.pollUntil(members, () => settled(ownership, members, AFTER), `${MEMBERS} members share ${AFTER} partitions`, 600_000);
    const tookMs = sim.cluster.clock.now() - grownAtMs;
    console.log(`[kip-848 scale-out seed ${SEED}] ${name}: every member holds its share of ${AFTER} partitions ${tookMs} ms (simulated) after they were added`);
    expect(tookMs).toBeLessThanOrEqual(boundMs);
    expect(ownership.doubleOwned).toEqual([]);
    expect(ownership.lost).toEqual([]);
  });
});

/**
 * A checker that cannot fail is no checker (issue 15): each planted bug (RunOptions.plant) commits its violation
 * through a whole run of real brokers and clients, and the checker it is aimed at fails the run.
 * - skip-revocation: a member's application ignores a revocation -> two owners of one partition;
 * - ack-before-isr: acks=1, a leader cut off from its followers and killed -> acknowledged records lost;
 * - commit-backwards: a member commits an offset older than one it committed -> committed offset regression;
 * - duplicate-delivery: a member reads a committed batch again under exactly-once -> records processed twice.
 * And the converse: a member fenced while its revocation runs is a zombie, not a second owner.
 */
import { describe, expect, it } from 'vitest';
import { runScenario, TraceAnalyzer, type PlantedBug, type TraceEvent, type Violation } from '@kactor/simulation';
import { smallScenario } from './support/experiment-scenario.js';

interface PlantCase {
  plant: PlantedBug;
  checker: Violation['checker'];
  scenario: Parameters<typeof smallScenario>[0];
}

const cases: PlantCase[] = [
  { plant: 'skip-revocation', checker: 'two-owners', scenario: { replicationFactor: 1, members: 2, durationMs: 20_000, timeline: [{ at: 8_000, action: 'member.join', group: 'app', count: 1 }] } },
  { plant: 'ack-before-isr', checker: 'lost', scenario: { replicationFactor: 3, durationMs: 30_000, recordsPerSecond: 50 } },
  { plant: 'commit-backwards', checker: 'committed-offset-regression', scenario: { replicationFactor: 1, durationMs: 15_000, commit: 'sync' } },
  { plant: 'duplicate-delivery', checker: 'duplicated', scenario: { replicationFactor: 1, durationMs: 15_000, commit: 'transactional' } },
];

describe('each planted bug fails the checker aimed at it', () => {
  it.each(cases)('$plant: $checker', { timeout: 240_000 }, async ({ plant, checker, scenario }) => {
    const result = await runScenario(smallScenario({ name: `plant-${plant}`, ...scenario }), { variant: 'classic-cooperative', seed: 1 }, { plant });
    console.log(`[experiment-checkers] ${plant}: ${JSON.stringify(result.violations.slice(0, 3))}`);
    expect(result.violations.map((violation) => violation.checker)).toContain(checker);
    expect(result.violations.filter((violation) => violation.checker === 'run-error')).toEqual([]);
  });
});

/**
 * A member fenced while its revocation runs (eager): member-0 is asked to revoke in generation 1, its auto-commit
 * before the revocation cannot reach the coordinator, the rebalance timeout removes it and generation 2 gives its
 * partition to member-1; member-0's revocation ends afterwards. Kafka's client tells the application
 * onPartitionsLost when it knows by then that it lost its generation and onPartitionsRevoked when it could not know;
 * kactor's client reports `revoked` either way, in the generation the group removed it from. Either way it was a
 * zombie (it processed nothing meanwhile: the revocation runs inside poll()), not a second owner.
 */
describe('a member fenced while its revocation runs', () => {
  const group = 'app';
  const m0 = 'app/member-0';
  const m1 = 'app/member-1';
  const fencedDuringRevocation = (revokedInGeneration: number): TraceEvent[] => [
    { type: 'run.started', timeMs: 0, partitions: { orders: 1 }, groups: { app: { topics: ['orders'], guarantee: 'at-least-once' } }, producers: { 'producer-0': { topic: 'orders', idempotent: true } } },
    { type: 'member.started', timeMs: 0, group, member: m0 },
    { type: 'member.state', timeMs: 10, group, member: m0, from: 'syncing', to: 'stable', generation: 1 },
    { type: 'member.assigned', timeMs: 10, group, member: m0, partitions: ['orders-0'], generation: 1 },
    { type: 'record.acked', timeMs: 100, producer: 'producer-0', partition: 'orders-0', offset: 0, id: 'r0' },
    { type: 'record.processed', timeMs: 200, group, member: m0, partition: 'orders-0', offset: 0, id: 'r0', generation: 1 },
    { type: 'timeline', timeMs: 5_000, action: 'member.join', detail: 'member.join app 1', group },
    { type: 'member.started', timeMs: 5_000, group, member: m1 },
    { type: 'member.state', timeMs: 6_000, group, member: m0, from: 'stable', to: 'rebalancing', generation: 1 },
    { type: 'member.state', timeMs: 36_000, group, member: m1, from: 'syncing', to: 'stable', generation: 2 },
    { type: 'member.assigned', timeMs: 36_000, group, member: m1, partitions: ['orders-0'], generation: 2 },
    { type: 'member.revoked', timeMs: 40_000, group, member: m0, partitions: ['orders-0'], generation: revokedInGeneration },
    { type: 'member.state', timeMs: 40_001, group, member: m0, from: 'rebalancing', to: 'joining', generation: -1 },
    { type: 'record.acked', timeMs: 41_000, producer: 'producer-0', partition: 'orders-0', offset: 1, id: 'r1' },
    { type: 'record.processed', timeMs: 41_100, group, member: m1, partition: 'orders-0', offset: 1, id: 'r1', generation: 2 },
    { type: 'run.ended', timeMs: 60_000 },
  ];
  const violationsOf = (events: readonly TraceEvent[]): Violation[] => {
    const analyzer = new TraceAnalyzer({ durationMs: 60_000 });
    for (const event of events) analyzer.observe(event);
    return analyzer.finish(1_000).violations;
  };

  it('is no two-owners violation when it revokes in the generation it was removed from', () => {
    expect(violationsOf(fencedDuringRevocation(1))).toEqual([]);
  });

  it('is one when the late revocation comes from a member still in the hand-out\'s generation', () => {
    expect(violationsOf(fencedDuringRevocation(2))).toEqual([
      { checker: 'two-owners', detail: 'app: orders-0 assigned to app/member-1 at 36000 ms while app/member-0 still held it; app/member-0 revoked it only at 40000 ms' },
    ]);
  });
});

/**
 * Every kind of timeline event applied to a running cluster in one run (static members, KRaft controllers so that
 * any broker may die): a slow poller, a rolling restart, a crash and restart, a controlled broker shutdown and
 * restart, slow and lossy links healed, partitions added, the coordinator and a partition leader killed, a member
 * leaving. Each is traced as it is applied, the run has no violation, and every acknowledged record is processed.
 */
import { describe, expect, it } from 'vitest';
import { runScenario, type TraceEvent } from '@kactor/simulation';
import { smallScenario } from './support/experiment-scenario.js';

const scenario = smallScenario({
  name: 'every-action',
  controllers: 3,
  staticMembership: true,
  durationMs: 60_000,
  recordsPerSecond: 50,
  timeline: [
    { at: 5_000, action: 'member.slowPoll', group: 'app', member: 0, durationMs: 4_000 },
    { at: 10_000, action: 'member.rollingRestart', group: 'app', intervalMs: 3_000, downMs: 1_000, clean: true },
    { at: 22_000, action: 'member.restart', group: 'app', count: 1, downMs: 2_000, clean: false },
    { at: 28_000, action: 'broker.stop', broker: 2 },
    { at: 31_000, action: 'broker.restart', broker: 2 },
    { at: 34_000, action: 'link.slow', between: [['app'], ['broker-1']], latencyMs: 50, durationMs: 3_000 },
    { at: 38_000, action: 'link.lossy', between: [['broker-0'], ['broker-1']], lossRate: 0.1 },
    { at: 41_000, action: 'network.heal' },
    { at: 43_000, action: 'topic.addPartitions', topic: 'orders', partitions: 9 },
    { at: 46_000, action: 'broker.kill', broker: 'coordinator' },
    { at: 50_000, action: 'member.leave', group: 'app', member: 2 },
    { at: 53_000, action: 'broker.kill', broker: 'leader' },
  ],
});

describe('every timeline action on a running cluster', () => {
  it('classic-cooperative with static members: each action traced, no violation', { timeout: 300_000 }, async () => {
    const trace: TraceEvent[] = [];
    const result = await runScenario(scenario, { variant: 'classic-cooperative', seed: 3 }, { onTrace: (event) => (event.type.startsWith('record.') ? undefined : trace.push(event)) });
    const actions = trace.flatMap((event) => (event.type === 'timeline' ? [event.action] : []));
    expect(actions).toEqual(scenario.timeline.map((event) => event.action));
    expect(result.violations).toEqual([]);
    expect(trace.filter((event) => event.type === 'member.closed').length).toBe(4);
    expect(trace.filter((event) => event.type === 'member.crashed').length).toBe(1);
    // The coordinator dies; "the leader" seven seconds later is picked among the running brokers, even while the
    // controller's image still names the dead one (its session has not expired yet): two brokers die.
    const killed = trace.flatMap((event) => (event.type === 'broker.killed' ? [event.broker] : []));
    expect(new Set(killed).size).toBe(2);
    expect(trace.filter((event) => event.type === 'timeline' && event.action === 'broker.kill').map((event) => (event.type === 'timeline' ? event.detail : ''))).toEqual([
      expect.stringMatching(/^broker \d \(the coordinator\)$/),
      expect.stringMatching(/^broker \d \(the (leader of|running replica leading|first running in-sync replica of) orders-0/),
    ]);
    expect(trace.find((event) => event.type === 'topic.partitions')).toMatchObject({ topic: 'orders', partitions: 9 });
    expect(result.metrics['records_acked']).toBeGreaterThan(2_000);
  });
});

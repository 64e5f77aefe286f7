/**
 * The runner's setup phase: the groups form before the workload and the measured window start, under each protocol.
 * Under the consumer protocol (KIP-848) a group "forms" only once every member's epoch is the target assignment's and
 * each owns exactly its target; before, the first measured episode of a consumer run was the formation's own
 * reconciliation. Now the first episode is the first timeline event's, and the formation is in the trace, before
 * the window, checked but not measured. A group that never settles fails the run with a clear setup error.
 */
import { describe, expect, it } from 'vitest';
import { runScenario, type Scenario, type TraceEvent } from '@kactor/simulation';
import { smallScenario } from './support/experiment-scenario.js';

const joinAt15s = smallScenario({ name: 'setup', replicationFactor: 1, durationMs: 30_000, recordsPerSecond: 20, timeline: [{ at: 15_000, action: 'member.join', group: 'app', count: 1 }] });

describe('the setup phase: groups form before the measured window', () => {
  it.each(['consumer', 'classic-eager', 'classic-cooperative'])('%s: the first episode is the first timeline event\'s; the formation comes before the window', { timeout: 180_000 }, async (variant) => {
    const events: TraceEvent[] = [];
    const result = await runScenario(joinAt15s, { variant, seed: 1 }, { onTrace: (event: TraceEvent) => (event.timeMs < 0 || event.type === 'run.started' ? events.push(event) : undefined) });
    expect(result.violations).toEqual([]);
    expect(result.rebalances[0]).toMatchObject({ trigger: 'member.join', triggerMs: 15_000 });
    expect(result.rebalances.every((rebalance) => rebalance.triggerMs >= 15_000)).toBe(true);
    // The setup: run.started first, at the members' start (a negative time), then the three members formed the group.
    const [started] = events;
    expect(started).toMatchObject({ type: 'run.started', workloadStartMs: 0 });
    expect(started?.timeMs).toBeLessThan(0);
    const assignedInSetup = new Set(events.flatMap((event) => (event.type === 'member.assigned' ? event.partitions : [])));
    expect(assignedInSetup.size).toBe(6);
    expect(events.filter((event) => event.type === 'member.started')).toHaveLength(3);
  });

  it('fails the run with a setup error, bounded in simulated time, when a group never settles', { timeout: 180_000 }, async () => {
    // A session timeout below the brokers' group.min.session.timeout.ms (6 s): every JoinGroup is refused.
    const refused: Scenario = { ...joinAt15s, name: 'never-settles', variants: [{ name: 'short-session', protocol: 'classic-eager', consumerConfig: { 'session.timeout.ms': 1_000, 'heartbeat.interval.ms': 300 } }] };
    const result = await runScenario(refused, { variant: 'short-session', seed: 1 });
    const runErrors = result.violations.filter((violation) => violation.checker === 'run-error').map((violation) => violation.detail);
    expect(runErrors.some((detail) => /RunSetupError: the groups did not settle within 120\.0 s of their members starting: group app: /.test(detail))).toBe(true);
    expect(result.simulatedMs).toBeLessThan(300_000);
    expect(result.metrics['records_acked']).toBe(0);
  });
});

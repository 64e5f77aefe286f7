/**
 * The `ack-before-isr` planted bug, made of real parts: producers with acks=1 (the leader acknowledges before any
 * follower has the record), then a leader cut off from its followers while it keeps acknowledging alone, then
 * killed. The controller elects a follower that never got those records; when the old leader comes back it
 * truncates to the new leader's log. Acknowledged records are gone, as they would be with a broker that
 * acknowledged acks=all before its ISR had the record.
 */
import type { ConfigValueInput } from '@kactor/protocol';
import { controllerRecord } from '../../replica-state.js';
import { brokerHost } from '../../simulated-cluster.js';
import type { Agenda } from './agenda.js';
import type { RunContext } from './run-context.js';

/** How long the cut-off leader acknowledges alone before it is killed. */
const ACKNOWLEDGED_ALONE_MS = 3_000;

/** Producer configs of the plant: acknowledged by the leader alone (idempotence needs acks=all, so it is off). */
export const LEADER_ONLY_ACKS: Record<string, ConfigValueInput> = { acks: '1', 'enable.idempotence': false };

export function planLeaderLoss(run: RunContext, agenda: Agenda): void {
  const atMs = Math.floor(run.scenario.durationMs / 3);
  agenda.add(atMs, () => {
    const topic = run.scenario.topics[0];
    if (topic === undefined) return;
    const controller = run.cluster.activeControllerId();
    // A leader that is not the controller's broker (killing that one would take the controller down with it).
    const partition = Array.from({ length: topic.partitions }, (_, index) => index).find((index) => {
      const record = controllerRecord(run.cluster, topic.name, index);
      return record !== undefined && record.leader >= 0 && record.leader !== controller && record.replicas.length > 1;
    });
    if (partition === undefined) {
      run.trace.write({ type: 'run.error', error: `planted ack-before-isr: no partition of ${topic.name} has a leader with followers away from the controller` });
      return;
    }
    const record = controllerRecord(run.cluster, topic.name, partition);
    if (record === undefined) return;
    const leader = record.leader;
    const followers = record.replicas.filter((broker) => broker !== leader);
    run.trace.write({ type: 'timeline', action: 'plant.ack-before-isr', detail: `${topic.name}-${partition}: leader broker ${leader} cut off from ${followers.join(',')}, acknowledging alone, then killed` });
    for (const follower of followers) run.cluster.faults.cutLink(brokerHost(leader), brokerHost(follower));
    agenda.add(atMs + ACKNOWLEDGED_ALONE_MS, async () => {
      await run.cluster.kill(leader);
      run.trace.write({ type: 'broker.killed', broker: leader });
      for (const follower of followers) run.cluster.faults.healLink(brokerHost(leader), brokerHost(follower));
    });
  });
}

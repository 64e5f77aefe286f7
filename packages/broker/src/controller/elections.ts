/**
 * Leader election and ISR changes when a broker's status changes, following KRaft's clean-election rule:
 * keep the current leader while it is valid, else take the first ISR member in replica order that is
 * unfenced and not shutting down, else no leader (-1). The ISR never becomes empty: without eligible leader
 * replicas (KIP-966) Kafka keeps the last member, so a replication-factor-1 partition whose broker is fenced
 * keeps ISR [broker] with leader -1, and gets that broker back as leader when it is unfenced.
 */
import type { PartitionChangeRecord } from './metadata-records.js';
import type { BrokerRegistration, ControllerState, PartitionRegistration } from './metadata-state.js';

export type BrokerStatuses = Readonly<Record<number, Pick<BrokerRegistration, 'fenced' | 'inControlledShutdown'>>>;

export function isEligibleLeader(brokerId: number, brokers: BrokerStatuses): boolean {
  const broker = brokers[brokerId];
  return broker !== undefined && !broker.fenced && !broker.inControlledShutdown;
}

export function electLeader(partition: Pick<PartitionRegistration, 'leader' | 'replicas'>, isr: readonly number[], brokers: BrokerStatuses): number {
  if (partition.leader !== -1 && isr.includes(partition.leader) && isEligibleLeader(partition.leader, brokers)) return partition.leader;
  return partition.replicas.find((replica) => isr.includes(replica) && isEligibleLeader(replica, brokers)) ?? -1;
}

function sameMembers(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

/**
 * The partition changes that follow from `brokerId` becoming unable to lead (fenced or shutting down):
 * it leaves every ISR it is in (unless it is the last member) and loses leadership.
 */
export function changesWhenBrokerLeaves(state: ControllerState, brokerId: number, brokers: BrokerStatuses): PartitionChangeRecord[] {
  const changes: PartitionChangeRecord[] = [];
  for (const topic of Object.values(state.topics)) {
    for (const partition of topic.partitions) {
      if (!partition.replicas.includes(brokerId)) continue;
      const shrunk = partition.isr.filter((replica) => replica !== brokerId);
      const isr = shrunk.length === 0 ? partition.isr : shrunk;
      const leader = electLeader(partition, isr, brokers);
      const change: PartitionChangeRecord = { type: 'PartitionChange', topicId: topic.topicId, partitionId: partition.partitionIndex };
      if (leader !== partition.leader) change.leader = leader;
      if (!sameMembers(isr, partition.isr)) change.isr = isr;
      if (change.leader !== undefined || change.isr !== undefined) changes.push(change);
    }
  }
  return changes;
}

/** The partition changes that follow from `brokerId` becoming able to lead: leaderless partitions elect again. */
export function changesWhenBrokerJoins(state: ControllerState, brokers: BrokerStatuses): PartitionChangeRecord[] {
  const changes: PartitionChangeRecord[] = [];
  for (const topic of Object.values(state.topics)) {
    for (const partition of topic.partitions) {
      if (partition.leader !== -1) continue;
      const leader = electLeader(partition, partition.isr, brokers);
      if (leader !== -1) changes.push({ type: 'PartitionChange', topicId: topic.topicId, partitionId: partition.partitionIndex, leader });
    }
  }
  return changes;
}

/** Partitions a broker currently leads; a broker in controlled shutdown may stop once this is zero. */
export function partitionsLedBy(state: ControllerState, brokerId: number): number {
  let count = 0;
  for (const topic of Object.values(state.topics)) for (const partition of topic.partitions) if (partition.leader === brokerId) count += 1;
  return count;
}

/**
 * Leader election and ISR changes when a broker's status changes, following KRaft's clean-election rule:
 * keep the current leader while it is valid, else take the first ISR member in replica order that is
 * unfenced and not shutting down, else no leader (-1). The ISR never becomes empty: without eligible leader
 * replicas (KIP-966) Kafka keeps the last member, so a replication-factor-1 partition whose broker is fenced
 * keeps ISR [broker] with leader -1, and gets that broker back as leader when it is unfenced.
 * With unclean.leader.election.enable a live replica outside the ISR may lead instead (ISR = [it], data lost);
 * preferred leader election gives leadership back to the first assigned replica. The epochs are bumped when the
 * records are applied (metadata-state.ts): a leader change bumps the leader epoch, every change the partition epoch.
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

export interface ElectionOptions {
  /** unclean.leader.election.enable (default false): may a live replica outside the ISR lead, losing data? */
  readonly uncleanLeaderElectionEnable: boolean;
}

export const CLEAN_ELECTION_ONLY: ElectionOptions = { uncleanLeaderElectionEnable: false };

export interface LeaderElection {
  /** -1 when no replica may lead: the partition is offline. */
  readonly leader: number;
  readonly isr: readonly number[];
  /** True when the leader came from outside the ISR: acknowledged records it lacks are lost. */
  readonly unclean: boolean;
}

/**
 * A clean election first (see electLeader). Without a clean candidate and with unclean.leader.election.enable, the
 * first live replica in replica order leads with ISR = [it] (PartitionChangeBuilder's unclean path); otherwise the
 * partition stays offline with its ISR as it was, so the last in-sync replica can lead again when it returns.
 */
export function electLeaderWithIsr(
  partition: Pick<PartitionRegistration, 'leader' | 'replicas'>,
  isr: readonly number[],
  brokers: BrokerStatuses,
  options: ElectionOptions = CLEAN_ELECTION_ONLY,
): LeaderElection {
  const clean = electLeader(partition, isr, brokers);
  if (clean !== -1) return { leader: clean, isr, unclean: false };
  if (options.uncleanLeaderElectionEnable) {
    const unclean = partition.replicas.find((replica) => isEligibleLeader(replica, brokers));
    if (unclean !== undefined) return { leader: unclean, isr: [unclean], unclean: true };
  }
  return { leader: -1, isr, unclean: false };
}

export type PreferredElection = { readonly ok: true; readonly leader: number } | { readonly ok: false; readonly error: 'ELECTION_NOT_NEEDED' | 'PREFERRED_LEADER_NOT_AVAILABLE' };

/**
 * Preferred leader election (ElectLeaders PREFERRED, auto.leader.rebalance.enable): the first assigned replica leads
 * again if it is in the ISR and live; if it already leads there is nothing to do.
 */
export function electPreferredLeader(partition: Pick<PartitionRegistration, 'leader' | 'replicas' | 'isr'>, brokers: BrokerStatuses): PreferredElection {
  const preferred = partition.replicas[0];
  if (preferred === undefined) return { ok: false, error: 'PREFERRED_LEADER_NOT_AVAILABLE' };
  if (partition.leader === preferred) return { ok: false, error: 'ELECTION_NOT_NEEDED' };
  if (!partition.isr.includes(preferred) || !isEligibleLeader(preferred, brokers)) return { ok: false, error: 'PREFERRED_LEADER_NOT_AVAILABLE' };
  return { ok: true, leader: preferred };
}

/** The topic's unclean.leader.election.enable, by topic name; every topic is clean-only unless said otherwise. */
export type UncleanElectionPolicy = (topicName: string) => boolean;

export const cleanOnly: UncleanElectionPolicy = () => false;

/**
 * Each topic's unclean.leader.election.enable: its own setting if it has one, else the broker default (Kafka's
 * ConfigurationControlManager.uncleanLeaderElectionEnabledForTopic). The stored value was validated when it was set.
 */
export function uncleanElectionPolicyOf(state: ControllerState, brokerDefault: boolean): UncleanElectionPolicy {
  return (topicName) => {
    const value = state.topics[topicName]?.configs['unclean.leader.election.enable'];
    return value === undefined ? brokerDefault : value.trim().toLowerCase() === 'true';
  };
}

function changeFor(topicId: string, partition: PartitionRegistration, election: LeaderElection): PartitionChangeRecord | undefined {
  const change: PartitionChangeRecord = { type: 'PartitionChange', topicId, partitionId: partition.partitionIndex };
  if (election.leader !== partition.leader) change.leader = election.leader;
  if (!sameMembers(election.isr, partition.isr)) change.isr = [...election.isr];
  if (election.unclean) change.leaderRecoveryState = 'RECOVERING';
  return change.leader !== undefined || change.isr !== undefined ? change : undefined;
}

function sameMembers(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

/**
 * The partition changes that follow from `brokerId` becoming unable to lead (fenced or shutting down):
 * it leaves every ISR it is in (unless it is the last member) and loses leadership.
 */
export function changesWhenBrokerLeaves(state: ControllerState, brokerId: number, brokers: BrokerStatuses, uncleanElection: UncleanElectionPolicy = cleanOnly): PartitionChangeRecord[] {
  const changes: PartitionChangeRecord[] = [];
  for (const topic of Object.values(state.topics)) {
    for (const partition of topic.partitions) {
      if (!partition.replicas.includes(brokerId)) continue;
      const shrunk = partition.isr.filter((replica) => replica !== brokerId);
      const isr = shrunk.length === 0 ? partition.isr : shrunk;
      const election = electLeaderWithIsr(partition, isr, brokers, { uncleanLeaderElectionEnable: uncleanElection(topic.name) });
      const change = changeFor(topic.topicId, partition, election);
      if (change !== undefined) changes.push(change);
    }
  }
  return changes;
}

/** The partition changes that follow from `brokerId` becoming able to lead: leaderless partitions elect again. */
export function changesWhenBrokerJoins(state: ControllerState, brokers: BrokerStatuses, uncleanElection: UncleanElectionPolicy = cleanOnly): PartitionChangeRecord[] {
  const changes: PartitionChangeRecord[] = [];
  for (const topic of Object.values(state.topics)) {
    for (const partition of topic.partitions) {
      if (partition.leader !== -1) continue;
      const election = electLeaderWithIsr(partition, partition.isr, brokers, { uncleanLeaderElectionEnable: uncleanElection(topic.name) });
      if (election.leader === -1) continue;
      const change = changeFor(topic.topicId, partition, election);
      if (change !== undefined) changes.push(change);
    }
  }
  return changes;
}

/** Partitions that would move back to their preferred leader now (the auto.leader.rebalance.enable sweep). */
export function preferredLeaderChanges(state: ControllerState, brokers: BrokerStatuses): PartitionChangeRecord[] {
  const changes: PartitionChangeRecord[] = [];
  for (const topic of Object.values(state.topics)) {
    for (const partition of topic.partitions) {
      const election = electPreferredLeader(partition, brokers);
      if (election.ok) changes.push({ type: 'PartitionChange', topicId: topic.topicId, partitionId: partition.partitionIndex, leader: election.leader });
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

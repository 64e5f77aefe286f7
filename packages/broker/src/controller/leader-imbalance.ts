/**
 * The automatic preferred-leader rebalance (auto.leader.rebalance.enable, KafkaController's
 * checkAndTriggerAutoLeaderRebalance). Every leader.imbalance.check.interval.seconds the controller looks at each
 * broker's preferred partitions (those whose first assigned replica it is): if the share of them led by another broker
 * is above leader.imbalance.per.broker.percentage, each of them whose preferred replica is live and in the ISR gets it
 * back as leader. Moving leadership home undoes what failovers left behind, so load is spread as placement intended.
 * Pure: the caller appends the records.
 */
import { electPreferredLeader, type BrokerStatuses } from './elections.js';
import type { PartitionChangeRecord } from './metadata-records.js';
import type { ControllerState, PartitionRegistration } from './metadata-state.js';

export interface BrokerImbalance {
  readonly brokerId: number;
  /** Partitions whose preferred replica is this broker. */
  readonly preferred: number;
  /** Of those, the ones led by another broker or by nobody. */
  readonly ledElsewhere: number;
}

export interface LeaderImbalanceOutcome {
  /** Brokers whose ratio was above the threshold, in broker id order. */
  readonly imbalanced: readonly BrokerImbalance[];
  readonly records: PartitionChangeRecord[];
}

interface PreferredPartition {
  readonly topicId: string;
  readonly partition: PartitionRegistration;
}

function partitionsByPreferredReplica(state: ControllerState): Map<number, PreferredPartition[]> {
  const byBroker = new Map<number, PreferredPartition[]>();
  for (const topic of Object.values(state.topics)) {
    for (const partition of topic.partitions) {
      const preferred = partition.replicas[0];
      if (preferred === undefined) continue;
      const list = byBroker.get(preferred) ?? [];
      list.push({ topicId: topic.topicId, partition });
      byBroker.set(preferred, list);
    }
  }
  return byBroker;
}

/**
 * The imbalance ratio of a broker is ledElsewhere / preferred; above `perBrokerPercentage` / 100 its partitions move
 * back (Kafka compares with `>`, so at the default 10 a broker with one of ten partitions elsewhere is left alone).
 */
export function leaderImbalanceChanges(state: ControllerState, perBrokerPercentage: number, brokers: BrokerStatuses = state.brokers): LeaderImbalanceOutcome {
  const imbalanced: BrokerImbalance[] = [];
  const records: PartitionChangeRecord[] = [];
  const byBroker = [...partitionsByPreferredReplica(state).entries()].sort(([a], [b]) => a - b);
  for (const [brokerId, partitions] of byBroker) {
    const notLedHere = partitions.filter(({ partition }) => partition.leader !== brokerId);
    if (notLedHere.length / partitions.length <= perBrokerPercentage / 100) continue;
    imbalanced.push({ brokerId, preferred: partitions.length, ledElsewhere: notLedHere.length });
    for (const { topicId, partition } of notLedHere) {
      const election = electPreferredLeader(partition, brokers);
      if (election.ok) records.push({ type: 'PartitionChange', topicId, partitionId: partition.partitionIndex, leader: election.leader });
    }
  }
  return { imbalanced, records };
}

/**
 * The controller's side of AlterPartition (api 56; ReplicationControlManager.alterPartition and
 * validateAlterPartitionData, KIP-497/KIP-704/KIP-903). The leader proposes an ISR; the controller checks it against
 * its records, which are the truth, and answers with an error or writes a PartitionChange and returns the new
 * ISR and epochs. Pure: the caller appends the records.
 */
import type { ErrorName } from '@kactor/protocol';
import type { PartitionChangeRecord } from './metadata-records.js';
import type { BrokerRegistration, ControllerState } from './metadata-state.js';

export interface AlterPartitionData {
  readonly topicId: string;
  readonly partitionIndex: number;
  readonly leaderEpoch: number;
  readonly partitionEpoch: number;
  /** Each proposed member with the broker epoch the leader saw (-1: not checked). */
  readonly newIsrWithEpochs: readonly { readonly brokerId: number; readonly brokerEpoch: number }[];
}

export type AlterPartitionResult =
  | {
      readonly ok: true;
      readonly records: PartitionChangeRecord[];
      readonly answer: { readonly leader: number; readonly leaderEpoch: number; readonly partitionEpoch: number; readonly isr: readonly number[] };
    }
  | { readonly ok: false; readonly error: Exclude<ErrorName, 'NONE'> };

function isIneligible(registration: BrokerRegistration | undefined, brokerEpoch: number): boolean {
  if (registration === undefined) return true;
  if (registration.fenced || registration.inControlledShutdown) return true;
  return brokerEpoch !== -1 && registration.brokerEpoch !== brokerEpoch;
}

/**
 * Checks in Kafka's order: a leader epoch or partition epoch ahead of the controller's means this controller is
 * behind (NOT_CONTROLLER); behind it, the leader is stale (FENCED_LEADER_EPOCH, INVALID_UPDATE_VERSION); a sender
 * that is not the leader, or an ISR outside the replicas or without the leader, is INVALID_REQUEST; a fenced,
 * shutting-down or re-registered member is INELIGIBLE_REPLICA (the leader then reverts to its committed ISR).
 */
export function alterPartition(state: ControllerState, senderBrokerId: number, data: AlterPartitionData): AlterPartitionResult {
  const topicName = state.topicNamesById[data.topicId];
  const partition = topicName === undefined ? undefined : state.topics[topicName]?.partitions[data.partitionIndex];
  if (partition === undefined) return { ok: false, error: 'UNKNOWN_TOPIC_OR_PARTITION' };
  if (data.leaderEpoch > partition.leaderEpoch) return { ok: false, error: 'NOT_CONTROLLER' };
  if (data.leaderEpoch < partition.leaderEpoch) return { ok: false, error: 'FENCED_LEADER_EPOCH' };
  if (senderBrokerId !== partition.leader) return { ok: false, error: 'INVALID_REQUEST' };
  if (data.partitionEpoch > partition.partitionEpoch) return { ok: false, error: 'NOT_CONTROLLER' };
  if (data.partitionEpoch < partition.partitionEpoch) return { ok: false, error: 'INVALID_UPDATE_VERSION' };
  const newIsr = data.newIsrWithEpochs.map((member) => member.brokerId);
  const distinct = new Set(newIsr).size === newIsr.length;
  if (newIsr.length === 0 || !distinct || !newIsr.every((id) => partition.replicas.includes(id)) || !newIsr.includes(partition.leader)) {
    return { ok: false, error: 'INVALID_REQUEST' };
  }
  if (data.newIsrWithEpochs.some((member) => isIneligible(state.brokers[member.brokerId], member.brokerEpoch))) return { ok: false, error: 'INELIGIBLE_REPLICA' };
  const unchanged = newIsr.length === partition.isr.length && newIsr.every((id, index) => partition.isr[index] === id);
  if (unchanged) {
    return { ok: true, records: [], answer: { leader: partition.leader, leaderEpoch: partition.leaderEpoch, partitionEpoch: partition.partitionEpoch, isr: partition.isr } };
  }
  // An ISR change keeps the leader, so only the partition epoch moves (PartitionChangeBuilder, metadata 3.6+).
  return {
    ok: true,
    records: [{ type: 'PartitionChange', topicId: data.topicId, partitionId: data.partitionIndex, isr: newIsr }],
    answer: { leader: partition.leader, leaderEpoch: partition.leaderEpoch, partitionEpoch: partition.partitionEpoch + 1, isr: newIsr },
  };
}

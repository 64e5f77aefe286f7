/**
 * A whole AlterPartition request at the controller (ReplicationControlManager.alterPartition): the sender's broker
 * epoch first (a request from an earlier incarnation is STALE_BROKER_EPOCH as a whole), then each partition through
 * the pure checks of alter-partition.ts. The answers carry the committed ISR and epochs, which the leader adopts;
 * an error answer carries -1s and the leader keeps its committed ISR. Pure: the caller appends the records.
 */
import type { RequestBody, ResponseBody } from '@kactor/protocol';
import { errorByName, leaderRecoveryStates } from '@kactor/protocol';
import { alterPartition } from './alter-partition.js';
import type { PartitionChangeRecord } from './metadata-records.js';
import type { ControllerState } from './metadata-state.js';

type PartitionAnswer = ResponseBody<'alterPartition'>['topics'][number]['partitions'][number];

export interface AlterPartitionOutcome {
  readonly records: PartitionChangeRecord[];
  readonly body: ResponseBody<'alterPartition'>;
}

const refused = (partitionIndex: number, errorCode: number): PartitionAnswer => ({
  partitionIndex,
  errorCode,
  leaderId: -1,
  leaderEpoch: -1,
  isr: [],
  leaderRecoveryState: leaderRecoveryStates.RECOVERED,
  partitionEpoch: -1,
});

export function alterPartitionRequest(state: ControllerState, body: RequestBody<'alterPartition'>): AlterPartitionOutcome {
  const registration = state.brokers[body.brokerId];
  if (registration === undefined || registration.brokerEpoch !== body.brokerEpoch) {
    return { records: [], body: { throttleTimeMs: 0, errorCode: errorByName('STALE_BROKER_EPOCH').code, topics: [] } };
  }
  const records: PartitionChangeRecord[] = [];
  // A partition named twice would get two changes computed from the same committed state: the second is refused.
  const seen = new Set<string>();
  const topics = body.topics.map((topic) => ({
    topicId: topic.topicId,
    partitions: topic.partitions.map((partition): PartitionAnswer => {
      const key = `${topic.topicId}\u0000${partition.partitionIndex}`;
      if (seen.has(key)) return refused(partition.partitionIndex, errorByName('INVALID_REQUEST').code);
      seen.add(key);
      const result = alterPartition(state, body.brokerId, { topicId: topic.topicId, ...partition });
      if (!result.ok) return refused(partition.partitionIndex, errorByName(result.error).code);
      records.push(...result.records);
      return {
        partitionIndex: partition.partitionIndex,
        errorCode: 0,
        leaderId: result.answer.leader,
        leaderEpoch: result.answer.leaderEpoch,
        isr: [...result.answer.isr],
        leaderRecoveryState: partition.leaderRecoveryState,
        partitionEpoch: result.answer.partitionEpoch,
      };
    }),
  }));
  return { records, body: { throttleTimeMs: 0, errorCode: 0, topics } };
}

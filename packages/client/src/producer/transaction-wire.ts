/**
 * The transaction manager's requests on the wire: each builds its request from the producer's transactional id, id and
 * epoch, sends it, and reports the answer already decided (transactional-errors.ts) for the request queue
 * (transactional-requests.ts). InitProducerId's answer is checked at the edge (an id and epoch below 0 are refused).
 */
import type { RpcResult } from '@kactor/runtime';
import { errorCodes, errorForCode } from '@kactor/protocol';
import type { ConsumerGroupMetadata } from '../consumer/consumer-types.js';
import type { TopicPartitionOffset } from '../consumer/group/group-offsets.js';
import type { ClusterClient } from '../network/cluster-client.js';
import { isDisconnection } from '../network/stale-metadata.js';
import type { TopicPartition } from '../topic-partition.js';
import type { InitProducerIdFailure } from './transaction-manager.machine.js';
import { decideTransactionalError } from './transactional-errors.js';
import { firstPartitionError, unansweredOutcome, type TxnOutcome } from './transactional-requests.js';

export interface TxnFields {
  readonly transactionalId: string;
  readonly producerId: number;
  readonly producerEpoch: number;
}

type OnOutcome = (outcome: TxnOutcome) => void;

function unanswered(result: { ok: false; error: { name: Parameters<typeof unansweredOutcome>[0]; retriable: boolean; message: string } }): TxnOutcome {
  return unansweredOutcome(result.error.name, result.error.retriable, result.error.message);
}

export function sendAddPartitionsToTxn(cluster: ClusterClient, url: string, fields: TxnFields, partitions: readonly TopicPartition[], onOutcome: OnOutcome): void {
  const byTopic = new Map<string, number[]>();
  for (const tp of partitions) byTopic.set(tp.topic, [...(byTopic.get(tp.topic) ?? []), tp.partition]);
  const body = { ...fields, topics: [...byTopic].map(([name, indexes]) => ({ name, partitions: indexes })) };
  cluster.send(url, 'addPartitionsToTxn', body, (result) => {
    if (!result.ok) return onOutcome(unanswered(result));
    const codes = result.body.results.flatMap((topic) => topic.resultsByPartition.map((partition) => partition.partitionErrorCode));
    onOutcome(decideTransactionalError('addPartitionsToTxn', firstPartitionError(codes)));
  });
}

export function sendAddOffsetsToTxn(cluster: ClusterClient, url: string, fields: TxnFields, groupId: string, onOutcome: OnOutcome): void {
  cluster.send(url, 'addOffsetsToTxn', { ...fields, groupId }, (result) => {
    if (!result.ok) return onOutcome(unanswered(result));
    onOutcome(decideTransactionalError('addOffsetsToTxn', errorForCode(result.body.errorCode).name));
  });
}

/** KIP-447: the consumer's generation, member id and instance id go with the offsets, so a zombie's commit is refused. */
export function sendTxnOffsetCommit(cluster: ClusterClient, url: string, fields: TxnFields, offsets: readonly TopicPartitionOffset[], group: ConsumerGroupMetadata, onOutcome: OnOutcome): void {
  const byTopic = new Map<string, TopicPartitionOffset[]>();
  for (const offset of offsets) byTopic.set(offset.topic, [...(byTopic.get(offset.topic) ?? []), offset]);
  const body = {
    transactionalId: fields.transactionalId,
    groupId: group.groupId,
    producerId: fields.producerId,
    producerEpoch: fields.producerEpoch,
    generationId: group.generationId,
    memberId: group.memberId,
    groupInstanceId: group.groupInstanceId,
    topics: [...byTopic].map(([name, entries]) => ({
      name,
      partitions: entries.map((entry) => ({ partitionIndex: entry.partition, committedOffset: entry.offset, committedLeaderEpoch: entry.leaderEpoch ?? -1, committedMetadata: entry.metadata ?? null })),
    })),
  };
  cluster.send(url, 'txnOffsetCommit', body, (result) => {
    if (!result.ok) return onOutcome(unanswered(result));
    const codes = result.body.topics.flatMap((topic) => topic.partitions.map((partition) => partition.errorCode));
    onOutcome(decideTransactionalError('txnOffsetCommit', firstPartitionError(codes)));
  });
}

export function sendEndTxn(cluster: ClusterClient, url: string, fields: TxnFields, committed: boolean, onOutcome: OnOutcome): void {
  cluster.send(url, 'endTxn', { ...fields, committed }, (result) => {
    if (!result.ok) return onOutcome(unanswered(result));
    onOutcome(decideTransactionalError('endTxn', errorForCode(result.body.errorCode).name));
  });
}

/** An InitProducerId answer: the id and epoch, or why not (a lost answer is retriable, as Kafka re-enqueues it). */
export function initProducerIdAnswer(result: RpcResult<'initProducerId'>): { assigned: { producerId: number; producerEpoch: number } } | { failure: InitProducerIdFailure } {
  if (!result.ok) {
    // A refusal keeps its own retriable flag.
    return { failure: { errorName: result.error.name, retriable: result.error.retriable || isDisconnection(result.error.name), message: result.error.message } };
  }
  if (result.body.errorCode !== errorCodes.NONE) {
    const info = errorForCode(result.body.errorCode);
    return { failure: { errorName: info.name, retriable: info.retriable, message: result.body.errorMessage ?? info.message } };
  }
  if (result.body.producerId < 0 || result.body.producerEpoch < 0) {
    return { failure: { errorName: 'UNKNOWN_SERVER_ERROR', retriable: false, message: `InitProducerId answered producer id ${result.body.producerId} epoch ${result.body.producerEpoch}` } };
  }
  return { assigned: { producerId: result.body.producerId, producerEpoch: result.body.producerEpoch } };
}

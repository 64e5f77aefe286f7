/**
 * The transaction markers a coordinator writes once a transaction is prepared (Kafka's TransactionMarkerChannelManager
 * and TransactionMarkerRequestCompletionHandler): a COMMIT or ABORT marker on every partition of the transaction,
 * sent as WriteTxnMarkers to each partition's leader with the coordinator's epoch, so that a leader can refuse the
 * markers of a coordinator that lost its partition. The transaction completes only once every marker is acknowledged
 * or its partition is gone; other failures are retried.
 */
import type { ErrorName } from '@kactor/protocol';
import { samePartition, type TopicPartition, type TransactionMetadata } from './transaction-metadata.js';

export type MarkerResult = 'COMMIT' | 'ABORT';

/** One transaction's markers, as the coordinator hands them to its host. */
export interface TxnMarkers {
  readonly transactionalId: string;
  readonly producerId: number;
  readonly producerEpoch: number;
  /** The leader epoch of the coordinator's `__transaction_state` partition (WriteTxnMarkers' CoordinatorEpoch). */
  readonly coordinatorEpoch: number;
  readonly result: MarkerResult;
  readonly partitions: readonly TopicPartition[];
}

/** The markers of a prepared transaction for the partitions not acknowledged yet. */
export function markersFor(metadata: TransactionMetadata, coordinatorEpoch: number, acknowledged: readonly TopicPartition[]): TxnMarkers {
  if (metadata.state !== 'PrepareCommit' && metadata.state !== 'PrepareAbort') {
    throw new Error(`${metadata.transactionalId}: markers are only written for a prepared transaction, not ${metadata.state}`);
  }
  return {
    transactionalId: metadata.transactionalId,
    producerId: metadata.producerId,
    producerEpoch: metadata.producerEpoch,
    coordinatorEpoch,
    result: metadata.state === 'PrepareCommit' ? 'COMMIT' : 'ABORT',
    partitions: metadata.partitions.filter((partition) => !acknowledged.some((done) => samePartition(done, partition))),
  };
}

/** Where a partition's marker goes: its leader's broker id, `null` while it has none, `'gone'` once the partition was deleted. */
export type LeaderLookup = (partition: TopicPartition) => number | null | 'gone';

export interface MarkerPlan {
  /** One WriteTxnMarkers per leader, holding that leader's partitions. */
  readonly byLeader: ReadonlyMap<number, TxnMarkers>;
  /** Partitions without a leader now: retried after the backoff. */
  readonly withoutLeader: readonly TopicPartition[];
  /** Partitions that no longer exist: nothing to mark, they count as done (Kafka drops them). */
  readonly gone: readonly TopicPartition[];
}

/** Groups the markers by partition leader (Kafka's addTxnMarkersToBrokers). */
export function planMarkers(markers: TxnMarkers, leaderOf: LeaderLookup): MarkerPlan {
  const partitionsByLeader = new Map<number, TopicPartition[]>();
  const withoutLeader: TopicPartition[] = [];
  const gone: TopicPartition[] = [];
  for (const partition of markers.partitions) {
    const leader = leaderOf(partition);
    if (leader === 'gone') gone.push(partition);
    else if (leader === null) withoutLeader.push(partition);
    else partitionsByLeader.set(leader, [...(partitionsByLeader.get(leader) ?? []), partition]);
  }
  const byLeader = new Map<number, TxnMarkers>();
  for (const [leader, partitions] of partitionsByLeader) byLeader.set(leader, { ...markers, partitions });
  return { byLeader, withoutLeader, gone };
}

/**
 * What one partition's WriteTxnMarkers answer means (Kafka's TransactionMarkerRequestCompletionHandler): written; a
 * partition that is gone; retry (no leader here, not enough replicas, timeouts, the leader unreachable); or fenced: a
 * newer coordinator epoch or producer epoch was seen, so this coordinator stops sending (the new one finishes).
 */
export type MarkerOutcome = 'written' | 'gone' | 'retry' | 'fenced';

export function markerOutcome(errorName: ErrorName): MarkerOutcome {
  // A leader that cannot write markers (an old message format) never will: Kafka counts it as done.
  switch (errorName) {
    case 'NONE':
    case 'UNSUPPORTED_FOR_MESSAGE_FORMAT':
    case 'UNSUPPORTED_VERSION':
      return 'written';
    case 'INVALID_PRODUCER_EPOCH':
    case 'TRANSACTION_COORDINATOR_FENCED':
      return 'fenced';
    default:
      return 'retry';
  }
}

export interface MarkerAnswer {
  readonly topic: string;
  readonly partition: number;
  readonly outcome: MarkerOutcome;
}

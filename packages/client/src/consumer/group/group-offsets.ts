/**
 * Committed offsets as plain data: the OffsetCommit and OffsetFetch bodies, and what their answers mean
 * (Kafka's `ConsumerCoordinator.OffsetCommitResponseHandler` / `OffsetFetchResponseHandler`). A committed
 * offset is the next offset to read, so a consumer that resumes starts exactly there.
 */
import type { ErrorName, FailureErrorName, RequestBody, ResponseBody } from '@kactor/protocol';
import { errorForCode, KafkaProtocolError } from '@kactor/protocol';
import { formatTopicPartition, type TopicPartition } from '../../topic-partition.js';
import { FencedInstanceIdError } from './group-errors.js';

/** An offset to commit for a partition (Kafka's `Map<TopicPartition, OffsetAndMetadata>` entry). */
export interface TopicPartitionOffset extends TopicPartition {
  /** The next offset to read (the consumer's position after the last processed record). */
  readonly offset: number;
  /** Free text kept with the offset (offset.metadata.max.bytes on the broker, 4096 by default). */
  readonly metadata?: string | null;
  /** The leader epoch of the last record consumed (KIP-320), or -1 when unknown. */
  readonly leaderEpoch?: number;
}

/** What the group has committed for a partition; `offset` is null when nothing is. */
export interface CommittedOffset extends TopicPartition {
  readonly offset: number | null;
  readonly metadata: string | null;
  readonly leaderEpoch: number;
}

/** The generation a commit is sent in: the member's, or -1 and '' outside group management. */
export interface CommitGeneration {
  readonly generationId: number;
  readonly memberId: string;
}

export function offsetCommitRequest(groupId: string, generation: CommitGeneration, groupInstanceId: string | null, offsets: readonly TopicPartitionOffset[]): RequestBody<'offsetCommit'> {
  const byTopic = new Map<string, RequestBody<'offsetCommit'>['topics'][number]['partitions']>();
  for (const entry of offsets) {
    let partitions = byTopic.get(entry.topic);
    if (partitions === undefined) byTopic.set(entry.topic, (partitions = []));
    partitions.push({ partitionIndex: entry.partition, committedOffset: entry.offset, committedLeaderEpoch: entry.leaderEpoch ?? -1, committedMetadata: entry.metadata ?? '' });
  }
  return {
    groupId,
    generationIdOrMemberEpoch: generation.generationId,
    memberId: generation.memberId,
    groupInstanceId,
    retentionTimeMs: -1,
    topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })),
  };
}

/** What a commit's answer means for the committer. */
export type CommitOutcome =
  | { readonly kind: 'committed' }
  /** Try again after a backoff; `coordinatorLost` says to look the coordinator up first. */
  | { readonly kind: 'retriable'; readonly error: KafkaProtocolError; readonly coordinatorLost: boolean }
  /** UNKNOWN_MEMBER_ID / ILLEGAL_GENERATION: the member is out of the generation it committed in. */
  | { readonly kind: 'fenced'; readonly errorName: 'UNKNOWN_MEMBER_ID' | 'ILLEGAL_GENERATION'; readonly error: KafkaProtocolError }
  /** REBALANCE_IN_PROGRESS: the group is between JoinGroup and SyncGroup; commit again after poll(). */
  | { readonly kind: 'rebalancing'; readonly error: KafkaProtocolError }
  /** Retrying cannot help (metadata too large, authorization, an unexpected error). */
  | { readonly kind: 'failed'; readonly error: KafkaProtocolError };

const coordinatorLostErrors: ReadonlySet<ErrorName> = new Set<ErrorName>(['NOT_COORDINATOR', 'COORDINATOR_NOT_AVAILABLE', 'REQUEST_TIMED_OUT', 'NETWORK_EXCEPTION']);
/**
 * STALE_MEMBER_EPOCH (KIP-848): the member's epoch moved on while the commit was under way; a synchronous
 * commit is tried again with the epoch the next heartbeat brought, as Kafka's CommitRequestManager does
 * (a member that left by then makes the retry fail with CommitFailedError).
 */
const retriedCommitErrors: ReadonlySet<ErrorName> = new Set<ErrorName>(['COORDINATOR_LOAD_IN_PROGRESS', 'UNKNOWN_TOPIC_OR_PARTITION', 'STALE_MEMBER_EPOCH']);

/** The first partition error decides, as in Kafka's handler; a request that failed as a whole is `failure`. */
export function commitOutcome(response: ResponseBody<'offsetCommit'> | null, failure?: KafkaProtocolError): CommitOutcome {
  if (response === null) {
    const error = failure ?? KafkaProtocolError.from('NETWORK_EXCEPTION', 'the offset commit got no answer');
    return error.retriable ? { kind: 'retriable', error, coordinatorLost: true } : { kind: 'failed', error };
  }
  for (const topic of response.topics) {
    for (const partition of topic.partitions) {
      if (partition.errorCode === 0) continue;
      const name = errorForCode(partition.errorCode).name as FailureErrorName;
      const error = KafkaProtocolError.from(partition.errorCode, `committing ${formatTopicPartition({ topic: topic.name, partition: partition.partitionIndex })} failed: ${name}`);
      if (coordinatorLostErrors.has(name)) return { kind: 'retriable', error, coordinatorLost: true };
      if (retriedCommitErrors.has(name)) return { kind: 'retriable', error, coordinatorLost: false };
      if (name === 'UNKNOWN_MEMBER_ID' || name === 'ILLEGAL_GENERATION') return { kind: 'fenced', errorName: name, error };
      if (name === 'REBALANCE_IN_PROGRESS') return { kind: 'rebalancing', error };
      // KIP-345: another process took this group.instance.id; the commit fails for good, with the named error poll() also throws.
      if (name === 'FENCED_INSTANCE_ID') return { kind: 'failed', error: new FencedInstanceIdError(error.message, { cause: error }) };
      return { kind: 'failed', error };
    }
  }
  return { kind: 'committed' };
}

/** OffsetFetch for these partitions (null: everything the group committed). */
export function offsetFetchRequest(groupId: string, partitions: readonly TopicPartition[] | null, requireStable: boolean): RequestBody<'offsetFetch'> {
  if (partitions === null) return { groupId, topics: null, requireStable };
  const byTopic = new Map<string, number[]>();
  for (const { topic, partition } of partitions) {
    let indexes = byTopic.get(topic);
    if (indexes === undefined) byTopic.set(topic, (indexes = []));
    if (!indexes.includes(partition)) indexes.push(partition);
  }
  return { groupId, topics: [...byTopic].map(([name, partitionIndexes]) => ({ name, partitionIndexes })), requireStable };
}

/** What an OffsetFetch answer means: the offsets, or an error and whether retrying (after a coordinator lookup) may help. */
export type FetchOutcome =
  | { readonly kind: 'fetched'; readonly offsets: CommittedOffset[] }
  | { readonly kind: 'retriable'; readonly error: KafkaProtocolError; readonly coordinatorLost: boolean }
  | { readonly kind: 'failed'; readonly error: KafkaProtocolError };

export function fetchOutcome(response: ResponseBody<'offsetFetch'> | null, failure?: KafkaProtocolError): FetchOutcome {
  if (response === null) {
    const error = failure ?? KafkaProtocolError.from('NETWORK_EXCEPTION', 'the offset fetch got no answer');
    return error.retriable ? { kind: 'retriable', error, coordinatorLost: true } : { kind: 'failed', error };
  }
  if (response.errorCode !== 0) {
    const error = KafkaProtocolError.from(response.errorCode, `fetching committed offsets failed: ${errorForCode(response.errorCode).name}`);
    if (coordinatorLostErrors.has(error.errorName)) return { kind: 'retriable', error, coordinatorLost: true };
    // COORDINATOR_LOAD_IN_PROGRESS and UNSTABLE_OFFSET_COMMIT (pending transactional offsets) clear up by themselves.
    if (error.retriable) return { kind: 'retriable', error, coordinatorLost: false };
    return { kind: 'failed', error };
  }
  const offsets: CommittedOffset[] = [];
  for (const topic of response.topics) {
    for (const partition of topic.partitions) {
      if (partition.errorCode !== 0) {
        const error = KafkaProtocolError.from(partition.errorCode, `fetching the committed offset of ${formatTopicPartition({ topic: topic.name, partition: partition.partitionIndex })} failed`);
        return error.retriable ? { kind: 'retriable', error, coordinatorLost: false } : { kind: 'failed', error };
      }
      offsets.push({
        topic: topic.name,
        partition: partition.partitionIndex,
        offset: partition.committedOffset >= 0 ? partition.committedOffset : null,
        metadata: partition.metadata,
        leaderEpoch: partition.committedLeaderEpoch,
      });
    }
  }
  return { kind: 'fetched', offsets };
}

/** Checks offsets given by the application: a negative or fractional offset is a programming error. */
export function assertCommittableOffsets(offsets: readonly TopicPartitionOffset[]): void {
  for (const entry of offsets) {
    if (!Number.isSafeInteger(entry.offset) || entry.offset < 0) {
      throw new RangeError(`offset to commit for ${formatTopicPartition(entry)} must be an integer >= 0, got ${String(entry.offset)}`);
    }
  }
}

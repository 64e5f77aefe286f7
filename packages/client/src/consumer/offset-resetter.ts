/**
 * Looks up positions that wait for a reset (auto.offset.reset, seekToBeginning, seekToEnd,
 * OFFSET_OUT_OF_RANGE) with ListOffsets v0 to each partition's leader: timestamp -2 gives the log start
 * offset (earliest), -1 the high watermark (latest). Kafka's `OffsetFetcher.resetPositionsIfNeeded`.
 *
 * Failures are retried after retry.backoff.ms (growing to retry.backoff.max.ms), with a metadata refresh
 * when they mean the leader moved; an error that retrying cannot fix is thrown by the next poll() or
 * position().
 */
import type { RequestBody } from '@kactor/protocol';
import { errorCodes, errorForCode, KafkaProtocolError, listOffsetsTimestamps } from '@kactor/protocol';
import type { Logger, RpcResult } from '@kactor/runtime';
import type { ClientRuntime } from '../client-runtime.js';
import { NoOffsetForPartitionError } from '../errors.js';
import { backoffMs, type BackoffPolicy } from '../internal/backoff.js';
import type { ClusterClient } from '../network/cluster-client.js';
import { isDisconnection, isStaleMetadataError } from '../network/stale-metadata.js';
import { formatTopicPartition, topicPartitionKey, type TopicPartition } from '../topic-partition.js';
import type { OffsetResetStrategy, SubscriptionState } from './subscription-state.js';

export interface OffsetResetterOptions {
  readonly cluster: ClusterClient;
  readonly subscriptions: SubscriptionState;
  readonly runtime: ClientRuntime;
  readonly logger: Logger;
  readonly isolationLevel: 0 | 1;
  readonly requestTimeoutMs: number;
  readonly backoff: BackoffPolicy;
  /** Called when an answer arrives, so a waiting poll() or position() wakes up. */
  readonly onResetCompleted: () => void;
}

interface ResetRequest {
  readonly tp: TopicPartition;
  readonly strategy: OffsetResetStrategy;
}

export class OffsetResetter {
  private readonly inFlight = new Set<string>();
  private failure: unknown;
  private closed = false;

  constructor(private readonly options: OffsetResetterOptions) {}

  /**
   * Applies auto.offset.reset to partitions without a position and sends the lookups that are due.
   * Throws NoOffsetForPartitionError (auto.offset.reset=none) or an error an earlier lookup ended with.
   */
  resetPositionsIfNeeded(nowMs: number): void {
    if (this.failure !== undefined) {
      const failure = this.failure;
      this.failure = undefined;
      throw failure;
    }
    const { subscriptions, cluster } = this.options;
    const unresolved = subscriptions.resetMissingPositions();
    if (unresolved.length > 0) throw new NoOffsetForPartitionError(unresolved);
    const byUrl = new Map<string, Array<ResetRequest & { leaderEpoch: number }>>();
    let leaderUnknown = false;
    for (const request of subscriptions.partitionsNeedingReset(nowMs)) {
      const key = topicPartitionKey(request.tp.topic, request.tp.partition);
      if (this.inFlight.has(key)) continue;
      const leader = cluster.metadata.leaderFor(request.tp.topic, request.tp.partition);
      if (leader === undefined) {
        leaderUnknown = true;
        continue;
      }
      let requests = byUrl.get(leader.url);
      if (requests === undefined) byUrl.set(leader.url, (requests = []));
      requests.push({ ...request, leaderEpoch: leader.leaderEpoch });
    }
    if (leaderUnknown) cluster.requestMetadataUpdate();
    for (const [url, requests] of byUrl) this.send(url, requests);
  }

  close(): void {
    this.closed = true;
  }

  private send(url: string, requests: ReadonlyArray<ResetRequest & { leaderEpoch: number }>): void {
    const byTopic = new Map<string, RequestBody<'listOffsets'>['topics'][number]['partitions']>();
    for (const { tp, strategy, leaderEpoch } of requests) {
      this.inFlight.add(topicPartitionKey(tp.topic, tp.partition));
      let partitions = byTopic.get(tp.topic);
      if (partitions === undefined) byTopic.set(tp.topic, (partitions = []));
      partitions.push({ partitionIndex: tp.partition, currentLeaderEpoch: leaderEpoch, timestamp: listOffsetsTimestamps[strategy] });
    }
    const body: RequestBody<'listOffsets'> = {
      replicaId: -1,
      isolationLevel: this.options.isolationLevel,
      topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })),
    };
    this.options.cluster.send(url, 'listOffsets', body, (result) => this.onResult(requests, result), { timeoutMs: this.options.requestTimeoutMs });
  }

  private onResult(requests: ReadonlyArray<ResetRequest & { leaderEpoch: number }>, result: RpcResult<'listOffsets'>): void {
    for (const { tp } of requests) this.inFlight.delete(topicPartitionKey(tp.topic, tp.partition));
    if (this.closed) return;
    const { subscriptions, cluster, logger } = this.options;
    const nowMs = this.options.runtime.clock.now();
    if (!result.ok) {
      // No answer at all may mean the leader died or was cut off: look for the one elected instead.
      if (isStaleMetadataError(result.error.name) || isDisconnection(result.error.name)) cluster.requestMetadataUpdate();
      for (const request of requests) this.retryLater(request.tp, nowMs);
      this.options.onResetCompleted();
      return;
    }
    const answers = new Map<string, { errorCode: number; offset: number; leaderEpoch: number }>();
    for (const topic of result.body.topics) for (const partition of topic.partitions) answers.set(topicPartitionKey(topic.name, partition.partitionIndex), partition);
    for (const { tp, strategy, leaderEpoch } of requests) {
      const answer = answers.get(topicPartitionKey(tp.topic, tp.partition));
      if (answer === undefined) {
        this.retryLater(tp, nowMs);
        continue;
      }
      if (answer.errorCode === errorCodes.NONE && answer.offset >= 0) {
        // The offset comes with the epoch of the record before it, and the leader of `leaderEpoch` vouched for it.
        if (subscriptions.completeReset(tp, strategy, answer.offset, answer.leaderEpoch, leaderEpoch)) {
          logger.debug({ partition: formatTopicPartition(tp), strategy, offset: answer.offset }, 'reset position');
        }
        continue;
      }
      const error = errorForCode(answer.errorCode === errorCodes.NONE ? errorCodes.OFFSET_NOT_AVAILABLE : answer.errorCode);
      if (isStaleMetadataError(error.name)) cluster.requestMetadataUpdate();
      if (error.retriable || isStaleMetadataError(error.name)) {
        this.retryLater(tp, nowMs);
      } else if (subscriptions.isAssigned(tp)) {
        this.failure ??= KafkaProtocolError.from(error.code, `looking up the ${strategy} offset of ${formatTopicPartition(tp)} failed`);
        this.retryLater(tp, nowMs);
      }
    }
    this.options.onResetCompleted();
  }

  private retryLater(tp: TopicPartition, nowMs: number): void {
    const { subscriptions } = this.options;
    if (!subscriptions.isAssigned(tp)) return;
    const failures = subscriptions.resetFailures(tp);
    subscriptions.resetFailed(tp, nowMs + backoffMs(this.options.backoff, failures, this.options.runtime.random));
  }
}

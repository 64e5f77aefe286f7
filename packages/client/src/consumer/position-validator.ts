/**
 * KIP-320 position validation (Kafka's `OffsetFetcher.validatePositionsIfNeeded` and
 * `SubscriptionState.maybeCompleteValidation`): after a leader change, before a partition is fetched again,
 * the consumer asks the new leader with OffsetsForLeaderEpoch (api 23) where the epoch of the last record it
 * consumed ends in its log. An end offset below the position means the log was truncated under the
 * consumer (an unclean election, or records it read above a HW that later moved back): the records it holds
 * beyond that point no longer exist. Then, with an auto.offset.reset policy, the position moves back to where
 * the logs part (Kafka's "resetting offset to the first offset known to diverge") with a warning, and with
 * auto.offset.reset=none poll() throws LogTruncationError. When the leader knows no epoch at or below the
 * consumer's, auto.offset.reset applies as for an out-of-range offset.
 *
 * Failures are retried after retry.backoff.ms (growing to retry.backoff.max.ms), with a metadata refresh when
 * they say the leader moved; an error retrying cannot fix is thrown by the next poll() or position().
 */
import type { RequestBody } from '@kactor/protocol';
import { errorCodes, errorForCode, KafkaProtocolError } from '@kactor/protocol';
import type { Logger, RpcResult } from '@kactor/runtime';
import type { ClientRuntime } from '../client-runtime.js';
import { LogTruncationError } from '../errors.js';
import { backoffMs, type BackoffPolicy } from '../internal/backoff.js';
import type { ClusterClient } from '../network/cluster-client.js';
import { isDisconnection, isStaleMetadataError } from '../network/stale-metadata.js';
import { formatTopicPartition, topicPartitionKey, type TopicPartition } from '../topic-partition.js';
import type { SubscriptionState } from './subscription-state.js';

export interface PositionValidatorOptions {
  readonly cluster: ClusterClient;
  readonly subscriptions: SubscriptionState;
  readonly runtime: ClientRuntime;
  readonly logger: Logger;
  readonly requestTimeoutMs: number;
  readonly backoff: BackoffPolicy;
  /** Called when an answer arrives, so a waiting poll() or position() wakes up. */
  readonly onValidationCompleted: () => void;
}

interface ValidationRequest {
  readonly tp: TopicPartition;
  readonly position: number;
  readonly offsetEpoch: number;
  /** The leader epoch metadata gave when the request was sent: the position is good under it once confirmed. */
  readonly leaderEpoch: number;
}

/** Kafka's UNDEFINED_EPOCH / UNDEFINED_EPOCH_OFFSET. */
const UNDEFINED = -1;

export class PositionValidator {
  private readonly inFlight = new Set<string>();
  private failure: unknown;
  private closed = false;
  /** The metadata version the positions were last compared with (-1: never). */
  private checkedMetadataVersion = -1;

  constructor(private readonly options: PositionValidatorOptions) {}

  /**
   * Puts positions whose leader epoch changed in metadata into validation and sends the lookups that are
   * due. Throws LogTruncationError (auto.offset.reset=none) or an error an earlier lookup ended with.
   *
   * As Kafka's consumer does, every assigned position is compared with the leader epochs only when the
   * metadata changed since the last time: under the same metadata the answer cannot change, and a
   * position that is new since then (a seek, a reset, a committed offset) is compared by the fetcher
   * before it is fetched (Fetcher.sendFetches).
   */
  validatePositionsIfNeeded(nowMs: number): void {
    if (this.failure !== undefined) {
      const failure = this.failure;
      this.failure = undefined;
      throw failure;
    }
    const { subscriptions, cluster } = this.options;
    const metadata = cluster.metadata;
    if (cluster.metadataVersion !== this.checkedMetadataVersion) {
      this.checkedMetadataVersion = cluster.metadataVersion;
      for (const tp of subscriptions.assignedPartitions()) {
        const leader = metadata.leaderFor(tp.topic, tp.partition);
        if (leader !== undefined) subscriptions.maybeValidatePositionForCurrentLeader(tp, leader.leaderEpoch);
      }
    }
    if (!subscriptions.hasPositionsAwaitingValidation()) return;
    const byUrl = new Map<string, ValidationRequest[]>();
    let leaderUnknown = false;
    for (const due of subscriptions.partitionsNeedingValidation(nowMs)) {
      if (this.inFlight.has(topicPartitionKey(due.tp.topic, due.tp.partition))) continue;
      const leader = metadata.leaderFor(due.tp.topic, due.tp.partition);
      if (leader === undefined) {
        leaderUnknown = true;
        continue;
      }
      let requests = byUrl.get(leader.url);
      if (requests === undefined) byUrl.set(leader.url, (requests = []));
      requests.push({ ...due, leaderEpoch: leader.leaderEpoch });
    }
    if (leaderUnknown) cluster.requestMetadataUpdate();
    for (const [url, requests] of byUrl) this.send(url, requests);
  }

  close(): void {
    this.closed = true;
  }

  private send(url: string, requests: readonly ValidationRequest[]): void {
    const byTopic = new Map<string, RequestBody<'offsetsForLeaderEpoch'>['topics'][number]['partitions']>();
    for (const { tp, offsetEpoch, leaderEpoch } of requests) {
      this.inFlight.add(topicPartitionKey(tp.topic, tp.partition));
      let partitions = byTopic.get(tp.topic);
      if (partitions === undefined) byTopic.set(tp.topic, (partitions = []));
      partitions.push({ partition: tp.partition, currentLeaderEpoch: leaderEpoch, leaderEpoch: offsetEpoch });
    }
    const body: RequestBody<'offsetsForLeaderEpoch'> = { replicaId: -1, topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })) };
    this.options.cluster.send(url, 'offsetsForLeaderEpoch', body, (result) => this.onResult(requests, result), { timeoutMs: this.options.requestTimeoutMs });
  }

  private onResult(requests: readonly ValidationRequest[], result: RpcResult<'offsetsForLeaderEpoch'>): void {
    for (const { tp } of requests) this.inFlight.delete(topicPartitionKey(tp.topic, tp.partition));
    if (this.closed) return;
    const { cluster } = this.options;
    const nowMs = this.options.runtime.clock.now();
    if (!result.ok) {
      if (isStaleMetadataError(result.error.name) || isDisconnection(result.error.name)) cluster.requestMetadataUpdate();
      for (const request of requests) this.retryLater(request.tp, nowMs);
    } else {
      const answers = new Map<string, { errorCode: number; leaderEpoch: number; endOffset: number }>();
      for (const topic of result.body.topics) for (const partition of topic.partitions) answers.set(topicPartitionKey(topic.topic, partition.partition), partition);
      for (const request of requests) {
        const answer = answers.get(topicPartitionKey(request.tp.topic, request.tp.partition));
        if (answer === undefined) this.retryLater(request.tp, nowMs);
        else this.onAnswer(request, answer, nowMs);
      }
    }
    this.options.onValidationCompleted();
  }

  private onAnswer(request: ValidationRequest, answer: { errorCode: number; leaderEpoch: number; endOffset: number }, nowMs: number): void {
    const { subscriptions, cluster, logger } = this.options;
    const { tp, position, offsetEpoch } = request;
    // A seek, a reset or an unassignment since the request was sent makes its answer stale.
    if (!subscriptions.isAwaitingValidation(tp, position, offsetEpoch)) return;
    if (answer.errorCode !== errorCodes.NONE) {
      const error = errorForCode(answer.errorCode);
      if (isStaleMetadataError(error.name)) cluster.requestMetadataUpdate();
      if (!error.retriable && !isStaleMetadataError(error.name)) this.failure ??= KafkaProtocolError.from(error.code, `validating the position ${position} of ${formatTopicPartition(tp)} failed`);
      this.retryLater(tp, nowMs);
      return;
    }
    const partition = formatTopicPartition(tp);
    const policy = subscriptions.defaultResetStrategy;
    if (answer.leaderEpoch === UNDEFINED || answer.endOffset === UNDEFINED) {
      if (policy === 'none') {
        this.failure ??= new LogTruncationError(tp, position, null);
        this.retryLater(tp, nowMs); // asked again (and thrown again) until the application seeks
        return;
      }
      logger.warn({ partition, position, offsetEpoch }, `truncation detected for ${partition} at position ${position}: the leader has no epoch at or below ${offsetEpoch}; resetting to ${policy} (auto.offset.reset)`);
      subscriptions.requestReset(tp, policy);
      return;
    }
    if (answer.endOffset < position) {
      if (policy === 'none') {
        this.failure ??= new LogTruncationError(tp, position, { offset: answer.endOffset, leaderEpoch: answer.leaderEpoch });
        this.retryLater(tp, nowMs); // asked again (and thrown again) until the application seeks
        return;
      }
      // A warning, not a detail: records this consumer returned no longer exist, and new ones will take their offsets.
      logger.warn(
        { partition, position, offsetEpoch, divergentOffset: answer.endOffset, divergentEpoch: answer.leaderEpoch },
        `truncation detected for ${partition} at position ${position}; resetting to the first offset known to diverge, ${answer.endOffset}`,
      );
      subscriptions.seekValidated(tp, answer.endOffset, answer.leaderEpoch, request.leaderEpoch);
      return;
    }
    subscriptions.completeValidation(tp, request.leaderEpoch);
  }

  private retryLater(tp: TopicPartition, nowMs: number): void {
    const { subscriptions } = this.options;
    if (!subscriptions.isAssigned(tp)) return;
    const failures = subscriptions.validationFailures(tp);
    subscriptions.validationFailed(tp, nowMs + backoffMs(this.options.backoff, failures, this.options.runtime.random));
  }
}

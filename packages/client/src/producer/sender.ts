/**
 * Kafka's `Sender`, event-driven instead of a thread: it runs when woken (a batch filled, a response
 * arrived, metadata changed, flush()) and when its timer fires (the next linger.ms or retry backoff to end,
 * the next delivery.timeout.ms to pass). Each run
 * 1. fails batches whose delivery.timeout.ms passed, queued or in flight, with REQUEST_TIMED_OUT,
 * 2. asks the accumulator which leaders have a ready batch, and for metadata when a leader is unknown,
 * 3. drains each ready leader into one Produce request, while that broker has fewer than
 *    max.in.flight.requests.per.connection requests unanswered.
 *
 * Answers complete batches, or retry them after retry.backoff.ms (growing to retry.backoff.max.ms) while
 * `retries` and delivery.timeout.ms allow, or fail them with Kafka's error. Errors saying the leader moved,
 * and a request that got no answer at all (the connection dropped, or request.timeout.ms passed: the leader
 * may have died or been cut off), refresh metadata first, and the batch waits for it, so the retry goes to
 * the leader elected instead. With acks=0 the broker sends no answer: batches complete once written, with
 * offset -1.
 *
 * Ordering: with max.in.flight.requests.per.connection = 1 a partition with a batch in flight is muted,
 * so its batches are sent one at a time and a retried batch goes before the ones behind it. Above 1,
 * a retry can land after a later batch of the same partition without idempotence, as in Kafka. With
 * idempotence (`transactionManager`) batches carry sequences: nothing is drained before the producer has an
 * id, a retried batch goes back in sequence order and is the only one of its partition drained until it is
 * answered, the sequence errors follow Kafka's rules (PartitionSequences), and a fatal error fails everything.
 */
import type { RpcResult } from '@kactor/runtime';
import { errorCodes, errorForCode } from '@kactor/protocol';
import type { ClientRuntime } from '../client-runtime.js';
import { timeoutError } from '../errors.js';
import { backoffMs, type BackoffPolicy } from '../internal/backoff.js';
import type { ClusterClient } from '../network/cluster-client.js';
import { isDisconnection, isStaleMetadataCode } from '../network/stale-metadata.js';
import { formatTopicPartition, topicPartitionKey } from '../topic-partition.js';
import { buildProduceRequest, decideBatchError, partitionResponses } from './produce-outcome.js';
import type { ProducerBatch } from './producer-batch.js';
import type { LeaderLookup, RecordAccumulator } from './record-accumulator.js';
import type { TransactionManager } from './transaction-manager.js';

export interface SenderOptions {
  readonly cluster: ClusterClient;
  readonly accumulator: RecordAccumulator;
  readonly runtime: ClientRuntime;
  readonly logger: ClientRuntime['logger'];
  /** -1, 0 or 1 */
  readonly acks: number;
  readonly requestTimeoutMs: number;
  readonly maxInFlightRequestsPerConnection: number;
  readonly maxRequestSizeBytes: number;
  readonly retries: number;
  readonly retryBackoff: BackoffPolicy;
  /** True while everything queued should go at once (flush(), close(), send() waiting for memory). */
  readonly sendAll: () => boolean;
  /** Present when the producer is idempotent (its accumulator then follows the same sequences). */
  readonly transactionManager?: TransactionManager | undefined;
}

export class Sender {
  private readonly inFlightRequests = new Map<string, number>();
  private readonly inFlightBatches = new Set<ProducerBatch>();
  private readonly guaranteeOrder: boolean;
  private runQueued = false;
  private timer: unknown;
  private timerDueMs = Number.POSITIVE_INFINITY;
  private closed = false;
  /** The leader the producer's metadata names now (one function for every run, not a new closure per run). */
  private readonly leaderFor: LeaderLookup = (topic, partition) => this.options.cluster.metadata.leaderFor(topic, partition);

  constructor(private readonly options: SenderOptions) {
    this.guaranteeOrder = options.maxInFlightRequestsPerConnection === 1;
  }

  /** Runs once the current synchronous work is done, so that a burst of send() calls drains together. */
  wakeup(): void {
    if (this.runQueued || this.closed) return;
    this.runQueued = true;
    queueMicrotask(() => {
      this.runQueued = false;
      this.run();
    });
  }

  get inFlightBatchCount(): number {
    return this.inFlightBatches.size;
  }

  close(): void {
    this.closed = true;
    if (this.timer !== undefined) this.options.runtime.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private run(): void {
    if (this.closed) return;
    const { cluster, accumulator, runtime } = this.options;
    const nowMs = runtime.clock.now();
    cluster.checkMetadataAge(nowMs);
    this.expire(nowMs);
    // Kafka's Sender.runOnce: the transaction manager settles sequences, gets a producer id (or a new epoch) and sends
    // its next transactional request first; while that request is in flight nothing is drained.
    const mayDrain = this.options.transactionManager?.beforeDrain(() => accumulator.incompleteBatchCount > 0) ?? true;
    const leaderFor = this.leaderFor;
    const metadataVersion = cluster.metadataVersion;
    const ready = accumulator.ready(leaderFor, nowMs, this.options.sendAll(), metadataVersion);
    if (ready.unknownLeaderTopics.size > 0) cluster.requestMetadataUpdate();
    for (const url of mayDrain ? ready.readyUrls : []) {
      if ((this.inFlightRequests.get(url) ?? 0) >= this.options.maxInFlightRequestsPerConnection) continue;
      const batches = accumulator.drain(url, leaderFor, this.options.maxRequestSizeBytes, nowMs, metadataVersion);
      if (batches.length > 0) this.sendProduce(url, batches);
    }
    this.armTimer(nowMs, ready.nextReadyCheckDelayMs);
  }

  private sendProduce(url: string, batches: ProducerBatch[]): void {
    const { acks } = this.options;
    for (const batch of batches) {
      this.inFlightBatches.add(batch);
      if (this.guaranteeOrder) this.options.accumulator.mute(batch.topic, batch.partition);
    }
    this.inFlightRequests.set(url, (this.inFlightRequests.get(url) ?? 0) + 1);
    const body = buildProduceRequest(batches, acks, this.options.requestTimeoutMs, this.options.transactionManager?.transactionalId ?? null);
    this.options.cluster.send(url, 'produce', body, (result) => this.onResult(url, batches, result), { expectResponse: acks !== 0 });
  }

  private onResult(url: string, batches: readonly ProducerBatch[], result: RpcResult<'produce'>): void {
    const remaining = (this.inFlightRequests.get(url) ?? 1) - 1;
    if (remaining === 0) this.inFlightRequests.delete(url);
    else this.inFlightRequests.set(url, remaining);
    const nowMs = this.options.runtime.clock.now();
    if (!result.ok) {
      // No answer at all: the leader may be gone, so its batches wait for fresh metadata before they are retried.
      const disconnected = isDisconnection(result.error.name);
      for (const batch of batches) this.onBatchError(batch, result.error.code, result.error.message, nowMs, -1, disconnected);
    } else if (this.options.acks === 0) {
      for (const batch of batches) this.onBatchDone(batch, -1, -1);
    } else {
      const answers = partitionResponses(result.body);
      for (const batch of batches) {
        const answer = answers.get(topicPartitionKey(batch.topic, batch.partition));
        if (answer === undefined) this.onBatchError(batch, errorCodes.UNKNOWN_SERVER_ERROR, `the produce response has no answer for ${formatTopicPartition(batch)}`, nowMs, -1);
        else if (answer.errorCode === errorCodes.NONE) this.onBatchDone(batch, answer.baseOffset, answer.logAppendTimeMs);
        else this.onBatchError(batch, answer.errorCode, answer.errorMessage, nowMs, answer.logStartOffset);
      }
    }
    this.wakeup();
  }

  private onBatchDone(batch: ProducerBatch, baseOffset: number, logAppendTimeMs: number): void {
    this.leaveFlight(batch);
    this.options.transactionManager?.sequences.handleCompletedBatch(batch, baseOffset);
    batch.complete(baseOffset, logAppendTimeMs);
  }

  private onBatchError(batch: ProducerBatch, code: number, message: string | null, nowMs: number, logStartOffset: number, disconnected = false): void {
    this.leaveFlight(batch);
    if (batch.done) return; // expired while in flight
    const { accumulator, cluster, runtime, logger, transactionManager } = this.options;
    const action = decideBatchError({
      code,
      message,
      attempts: batch.attempts,
      retries: this.options.retries,
      recordCount: batch.recordCount,
      nowMs,
      deliveryDeadlineMs: batch.deliveryDeadlineMs,
      isStaleMetadata: isStaleMetadataCode,
      idempotentCanRetry:
        transactionManager === undefined ? undefined : () => transactionManager.canRetry(errorForCode(code).name, errorForCode(code).retriable, logStartOffset, batch),
    });
    switch (action.kind) {
      case 'split': {
        transactionManager?.sequences.removeInFlightBatch(batch);
        const parts = accumulator.splitAndReenqueue(batch, nowMs);
        logger.warn({ partition: formatTopicPartition(batch), records: batch.recordCount, parts }, 'batch too large for the broker (MESSAGE_TOO_LARGE); split it');
        return;
      }
      case 'retry': {
        if (action.refreshMetadata || disconnected) {
          batch.awaitsMetadataAfterVersion = cluster.metadataVersion;
          cluster.requestMetadataUpdate();
        }
        const waitMs = backoffMs(this.options.retryBackoff, batch.attempts - 1, runtime.random);
        logger.warn({ partition: formatTopicPartition(batch), code, message, attempts: batch.attempts, waitMs }, 'produce failed with a retriable error; retrying');
        accumulator.reenqueue(batch, nowMs, waitMs);
        return;
      }
      case 'duplicate':
        // The leader already wrote this batch; the answer does not say where (Kafka completes it with offset -1).
        this.onBatchDone(batch, -1, -1);
        return;
      case 'fail':
        batch.fail(action.error);
        transactionManager?.batchFailed(batch, action.error, action.adjustSequenceNumbers);
    }
  }

  private leaveFlight(batch: ProducerBatch): void {
    this.inFlightBatches.delete(batch);
    if (this.guaranteeOrder) this.options.accumulator.unmute(batch.topic, batch.partition);
  }

  /** Fails every batch, queued or in flight, whose delivery.timeout.ms has passed (Kafka's batch expiry). */
  private expire(nowMs: number): void {
    const expired = this.options.accumulator.expire(nowMs);
    for (const batch of this.inFlightBatches) if (!batch.done && batch.deliveryDeadlineMs <= nowMs) expired.push(batch);
    const { transactionManager } = this.options;
    for (const batch of expired) {
      const message = `Expiring ${batch.recordCount} record(s) for ${formatTopicPartition(batch)}: ${nowMs - batch.createdMs} ms has passed since batch creation`;
      const error = timeoutError(message);
      batch.fail(error);
      transactionManager?.batchFailed(batch, error, false);
      // A batch sent before and now given up: the leader may or may not have it, so its partition's next sequence is in doubt.
      if (batch.retried) transactionManager?.sequences.markSequenceUnresolved(batch);
    }
  }

  private armTimer(nowMs: number, nextReadyCheckDelayMs: number): void {
    let dueMs = Math.min(nowMs + nextReadyCheckDelayMs, this.options.accumulator.earliestDeadlineMs());
    for (const batch of this.inFlightBatches) if (!batch.done) dueMs = Math.min(dueMs, batch.deliveryDeadlineMs);
    if (!Number.isFinite(dueMs) || (this.timer !== undefined && this.timerDueMs <= dueMs)) return;
    const { clock } = this.options.runtime;
    if (this.timer !== undefined) clock.clearTimeout(this.timer);
    this.timerDueMs = dueMs;
    this.timer = clock.setTimeout(() => {
      this.timer = undefined;
      this.timerDueMs = Number.POSITIVE_INFINITY;
      this.run();
    }, Math.max(0, dueMs - nowMs));
  }
}

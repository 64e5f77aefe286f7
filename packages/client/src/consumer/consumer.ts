/**
 * The consumer with manual assignment (Kafka's `KafkaConsumer` after `assign`): it reads the partitions
 * it is given from the positions it keeps, resolving missing ones with auto.offset.reset.
 *
 * poll() hands out buffered records (at most max.poll.records), sends the next fetches before returning
 * so the brokers work while the application does, and otherwise waits up to its timeout for answers.
 * Positions live in the consumer only: consumer groups and committed offsets come with the group issue,
 * which drives the same `SubscriptionState` from a rebalance.
 *
 * Errors poll() and position() throw: NoOffsetForPartitionError (no position, auto.offset.reset=none),
 * OFFSET_OUT_OF_RANGE (with none), CORRUPT_MESSAGE (a damaged batch, with check.crcs), other
 * non-retriable Kafka errors as `KafkaProtocolError`; IllegalStateError for calls after close(), about
 * unassigned partitions, poll() without an assignment, or two polls at once.
 *
 * Only isolation.level=read_uncommitted has a meaning yet: without transactions both levels return the
 * same records (the level is sent to the broker as given).
 */
import type { ConsumerConfig } from '@kactor/protocol';
import type { Logger } from '@kactor/runtime';
import { resolveClientConfig, type ClientConfigInput } from '../client-config.js';
import { systemClientRuntime, type ClientRuntime } from '../client-runtime.js';
import { IllegalStateError, timeoutError } from '../errors.js';
import { Signal } from '../internal/signal.js';
import { clusterClientFor, type ClusterClient } from '../network/cluster-client.js';
import { assertTopicPartition, formatTopicPartition, type TopicPartition } from '../topic-partition.js';
import type { ConsumerRecord } from './consumer-types.js';
import { Fetcher } from './fetcher.js';
import { OffsetResetter } from './offset-resetter.js';
import { SubscriptionState } from './subscription-state.js';

export interface PositionOptions {
  /** Bound on looking the position up (default.api.timeout.ms). */
  readonly timeoutMs?: number;
}

export class Consumer {
  private readonly cluster: ClusterClient;
  private readonly subscriptions: SubscriptionState;
  private readonly fetcher: Fetcher;
  private readonly resetter: OffsetResetter;
  private readonly signal: Signal;
  private readonly stopWatchingMetadata: () => void;
  private polling = false;
  private closed = false;

  private constructor(
    readonly config: ConsumerConfig,
    private readonly runtime: ClientRuntime,
    bootstrapUrls: readonly string[],
    logger: Logger,
  ) {
    this.cluster = clusterClientFor(config, runtime, bootstrapUrls, logger);
    this.signal = new Signal(runtime.clock);
    this.subscriptions = new SubscriptionState(config.autoOffsetReset);
    const wake = (): void => this.signal.notify();
    this.fetcher = new Fetcher({ cluster: this.cluster, subscriptions: this.subscriptions, config, runtime, logger, onFetchCompleted: wake });
    this.resetter = new OffsetResetter({
      cluster: this.cluster,
      subscriptions: this.subscriptions,
      runtime,
      logger,
      isolationLevel: config.isolationLevel === 'read_committed' ? 1 : 0,
      requestTimeoutMs: config.requestTimeoutMs,
      backoff: { initialMs: config.retryBackoffMs, maxMs: config.retryBackoffMaxMs },
      onResetCompleted: wake,
    });
    this.stopWatchingMetadata = this.cluster.onMetadataUpdate(wake);
  }

  /** Settings by Kafka name (`{ 'bootstrap.servers': '127.0.0.1:9101', 'auto.offset.reset': 'earliest' }`) or a parsed ConsumerConfig. */
  static create(config: ClientConfigInput<'consumer'>, runtime: ClientRuntime = systemClientRuntime()): Consumer {
    const resolved = resolveClientConfig('consumer', config, runtime);
    const clientId = resolved.config.clientId || runtime.ids.next('consumer');
    return new Consumer(resolved.config, runtime, resolved.bootstrapUrls, runtime.logger.child({ client: clientId }));
  }

  /** Reads exactly these partitions from now on; an empty list unassigns everything. */
  assign(partitions: readonly TopicPartition[]): void {
    this.assertOpen();
    for (const tp of partitions) assertTopicPartition(tp);
    const before = new Set(this.subscriptions.assignedPartitions().map((tp) => tp.topic));
    this.subscriptions.assign(partitions);
    this.fetcher.retainAssigned();
    const topics = new Set(this.subscriptions.assignedPartitions().map((tp) => tp.topic));
    this.cluster.untrackTopics([...before].filter((topic) => !topics.has(topic)));
    this.cluster.trackTopics(topics);
  }

  assignment(): TopicPartition[] {
    return this.subscriptions.assignedPartitions().map((tp) => ({ ...tp }));
  }

  /** The next poll() returns records of `tp` from `offset`. */
  seek(tp: TopicPartition, offset: number): void {
    this.assertOpen();
    this.subscriptions.seek(tp, offset);
  }

  /** Moves to the first offset of each partition (all assigned ones when none are named), looked up lazily. */
  seekToBeginning(partitions: readonly TopicPartition[] = []): void {
    this.requestReset(partitions, 'earliest');
  }

  /** Moves to the high watermark of each partition (all assigned ones when none are named), looked up lazily. */
  seekToEnd(partitions: readonly TopicPartition[] = []): void {
    this.requestReset(partitions, 'latest');
  }

  /** The offset of the next record poll() returns for `tp`, looking it up (auto.offset.reset) when needed. */
  async position(tp: TopicPartition, options: PositionOptions = {}): Promise<number> {
    this.assertOpen();
    if (!this.subscriptions.isAssigned(tp)) throw new IllegalStateError(`partition ${formatTopicPartition(tp)} is not assigned to this consumer`);
    const timeoutMs = options.timeoutMs ?? this.config.defaultApiTimeoutMs;
    const deadlineMs = this.runtime.clock.now() + timeoutMs;
    for (;;) {
      this.assertOpen();
      const position = this.subscriptions.position(tp);
      if (position !== null) return position;
      const nowMs = this.runtime.clock.now();
      this.resetter.resetPositionsIfNeeded(nowMs);
      if (nowMs >= deadlineMs) throw timeoutError(`the position of ${formatTopicPartition(tp)} could not be determined within ${timeoutMs} ms`);
      await this.signal.wait(this.waitMs(nowMs, deadlineMs));
    }
  }

  pause(partitions: readonly TopicPartition[]): void {
    this.assertOpen();
    this.subscriptions.pause(partitions);
  }

  resume(partitions: readonly TopicPartition[]): void {
    this.assertOpen();
    this.subscriptions.resume(partitions);
    this.signal.notify();
  }

  paused(): TopicPartition[] {
    return this.subscriptions.paused().map((tp) => ({ ...tp }));
  }

  /**
   * Records from the assigned partitions, at most max.poll.records, waiting up to `timeoutMs` when none
   * are buffered. Resolves with [] when the time passes (or the consumer is closed meanwhile).
   */
  async poll(timeoutMs: number): Promise<ConsumerRecord[]> {
    this.assertOpen();
    if (!Number.isFinite(timeoutMs) || timeoutMs < 0) throw new RangeError(`poll timeout must be a number of ms >= 0, got ${timeoutMs}`);
    if (this.subscriptions.assignedCount === 0) throw new IllegalStateError('the consumer has no assigned partitions: call assign() first');
    if (this.polling) throw new IllegalStateError('poll() is already running: a consumer is polled by one caller at a time');
    this.polling = true;
    try {
      const deadlineMs = this.runtime.clock.now() + timeoutMs;
      for (;;) {
        if (this.closed) return [];
        const nowMs = this.runtime.clock.now();
        this.cluster.checkMetadataAge(nowMs);
        this.resetter.resetPositionsIfNeeded(nowMs);
        const records = this.fetcher.collect(this.config.maxPollRecords);
        // Ask for the next records now, so they are on their way while the application works on these.
        this.fetcher.sendFetches(nowMs);
        if (records.length > 0) return records;
        if (nowMs >= deadlineMs) return [];
        await this.signal.wait(this.waitMs(nowMs, deadlineMs));
      }
    } finally {
      this.polling = false;
    }
  }

  /** Closes the connections; a poll() waiting meanwhile resolves with []. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopWatchingMetadata();
    this.fetcher.close();
    this.resetter.close();
    this.cluster.close();
    this.signal.notify();
  }

  private requestReset(partitions: readonly TopicPartition[], strategy: 'earliest' | 'latest'): void {
    this.assertOpen();
    const targets = partitions.length === 0 ? this.subscriptions.assignedPartitions() : partitions;
    for (const tp of targets) this.subscriptions.requestReset(tp, strategy);
    this.signal.notify();
  }

  /** Until the deadline, or sooner when a backed-off lookup or fetch may be retried. */
  private waitMs(nowMs: number, deadlineMs: number): number {
    const retryAtMs = Math.min(this.fetcher.nextRetryMs(nowMs), this.subscriptions.nextResetRetryMs(nowMs));
    return Math.max(0, Math.min(deadlineMs, retryAtMs) - nowMs);
  }

  private assertOpen(): void {
    if (this.closed) throw new IllegalStateError('the consumer is closed');
  }
}

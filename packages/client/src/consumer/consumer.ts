/**
 * The consumer (Kafka's `KafkaConsumer`): reads either the partitions its group assigns it (`subscribe`,
 * with group.id) or the partitions it is given (`assign`), from positions it keeps and, in a group,
 * commits.
 *
 * poll() is where everything the application sees happens, as in Kafka: it drives the group membership
 * (joins on the first poll, runs the rebalance listener before and after a rebalance, auto-commits every
 * auto.commit.interval.ms), resolves positions (committed offset, else auto.offset.reset), hands out
 * buffered records (at most max.poll.records), and sends the next fetches before returning so the brokers
 * work while the application does. Not calling poll() within max.poll.interval.ms makes the member leave
 * its group: its partitions are lost and it rejoins on the next poll().
 *
 * Errors: poll() throws NoOffsetForPartitionError (auto.offset.reset=none and nothing committed),
 * OFFSET_OUT_OF_RANGE (with none), LogTruncationError (with none, when a new leader's log no longer holds
 * the position: KIP-320), CORRUPT_MESSAGE, a fatal group error (INCONSISTENT_GROUP_PROTOCOL,
 * GROUP_MAX_SIZE_REACHED, ... as KafkaProtocolError; FencedInstanceIdError when another process took
 * this group.instance.id), RebalanceListenerError (a listener callback threw); CooperativeAssignmentViolationError
 * (this leader's assignor broke the COOPERATIVE rule; once, then it rejoins);
 * commits throw CommitFailedError (the member was fenced out of its generation) or
 * RebalanceInProgressError (the group is rebalancing: poll, then commit again); group calls without
 * group.id throw INVALID_GROUP_ID; IllegalStateError for calls after close(), subscribe and assign mixed,
 * poll() with neither, or two polls at once.
 */
import { KafkaProtocolError, type ConsumerConfig } from '@kactor/protocol';
import type { Logger } from '@kactor/runtime';
import { resolveClientConfig, type ClientConfigInput } from '../client-config.js';
import { systemClientRuntime, type ClientRuntime } from '../client-runtime.js';
import { DEFAULT_CLOSE_TIMEOUT_MS } from '../constants.js';
import { IllegalStateError, timeoutError } from '../errors.js';
import { Signal } from '../internal/signal.js';
import { clusterClientFor, type ClusterClient } from '../network/cluster-client.js';
import { assertTopicPartition, formatTopicPartition, type TopicPartition } from '../topic-partition.js';
import { ConsumerEvents, type ConsumerEventHandler, type ConsumerRebalanceListener } from './consumer-events.js';
import type { ConsumerGroupMetadata, ConsumerRecord } from './consumer-types.js';
import { Fetcher } from './fetcher.js';
import { ConsumerCoordinator, type CommitCallback } from './group/consumer-coordinator.js';
import { assertCommittableOffsets, type CommittedOffset, type TopicPartitionOffset } from './group/group-offsets.js';
import type { MembershipStateName } from './group/group-membership.js';
import type { RebalanceRecord } from './group/rebalance-record.js';
import { OffsetResetter } from './offset-resetter.js';
import { PositionValidator } from './position-validator.js';
import { matchingTopics, wholeNamePattern } from './pattern-subscription.js';
import { SubscriptionState } from './subscription-state.js';

export interface PositionOptions {
  /** Bound on looking the position up (default.api.timeout.ms). */
  readonly timeoutMs?: number;
}

/** Options of calls bounded by default.api.timeout.ms unless told otherwise. */
export interface ConsumerCallOptions {
  readonly timeoutMs?: number;
}

type SubscriptionMode = 'none' | 'topics' | 'pattern' | 'assigned';

export class Consumer {
  private readonly cluster: ClusterClient;
  private readonly subscriptions: SubscriptionState;
  private readonly fetcher: Fetcher;
  private readonly resetter: OffsetResetter;
  private readonly validator: PositionValidator;
  private readonly signal: Signal;
  private readonly events: ConsumerEvents;
  private readonly group: ConsumerCoordinator | null;
  private readonly stopWatchingMetadata: () => void;
  private mode: SubscriptionMode = 'none';
  private pattern: RegExp | null = null;
  private listener: ConsumerRebalanceListener = {};
  private subscribedTopics: readonly string[] = [];
  private nextPatternRefreshMs = 0;
  private patternRefreshing = false;
  private polling = false;
  /**
   * `closing` while close() commits, revokes and leaves: as in Kafka's Java client the consumer counts as
   * closed only once that is done, so the rebalance listener may still commit (commitSync() in
   * onPartitionsRevoked is the standard at-least-once pattern); only poll() and changes of the
   * subscription are refused meanwhile.
   */
  private lifecycle: 'open' | 'closing' | 'closed' = 'open';

  private constructor(
    readonly config: ConsumerConfig,
    private readonly runtime: ClientRuntime,
    bootstrapUrls: readonly string[],
    clientId: string,
    private readonly logger: Logger,
  ) {
    this.cluster = clusterClientFor(config, runtime, bootstrapUrls, logger, { allowAutoTopicCreation: config.allowAutoCreateTopics });
    this.signal = new Signal(runtime.clock);
    this.events = new ConsumerEvents((error) => logger.warn({ err: error }, 'a consumer event handler threw'));
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
    this.validator = new PositionValidator({
      cluster: this.cluster,
      subscriptions: this.subscriptions,
      runtime,
      logger,
      requestTimeoutMs: config.requestTimeoutMs,
      backoff: { initialMs: config.retryBackoffMs, maxMs: config.retryBackoffMaxMs },
      onValidationCompleted: wake,
    });
    this.group =
      config.groupId === null
        ? null
        : new ConsumerCoordinator({
            groupId: config.groupId,
            clientId,
            config,
            cluster: this.cluster,
            subscriptions: this.subscriptions,
            fetcher: this.fetcher,
            runtime,
            logger,
            signal: this.signal,
            events: this.events,
            autoAssigned: () => this.mode === 'topics' || this.mode === 'pattern',
          });
    this.stopWatchingMetadata = this.cluster.onMetadataUpdate(() => {
      this.group?.metadataUpdated();
      wake();
    });
  }

  /** Settings by Kafka name (`{ 'bootstrap.servers': '127.0.0.1:9101', 'group.id': 'billing' }`) or a parsed ConsumerConfig. */
  static create(config: ClientConfigInput<'consumer'>, runtime: ClientRuntime = systemClientRuntime()): Consumer {
    const resolved = resolveClientConfig('consumer', config, runtime);
    const clientId = resolved.config.clientId || runtime.ids.next('consumer');
    return new Consumer(resolved.config, runtime, resolved.bootstrapUrls, clientId, runtime.logger.child({ client: clientId }));
  }

  /**
   * Joins the group (on the next poll()) for these topics, or for every topic whose whole name matches
   * the pattern (re-checked every metadata.max.age.ms). Replaces an earlier topic subscription; an empty
   * list unsubscribes, as in Kafka. The listener's callbacks run inside poll(), unsubscribe() and close().
   */
  subscribe(topics: readonly string[] | RegExp, listener: ConsumerRebalanceListener = {}): void {
    this.assertNotClosing('subscribe()');
    const group = this.requireGroup('subscribe()');
    if (this.mode === 'assigned') throw new IllegalStateError('subscribe() and assign() are mutually exclusive: unsubscribe() first');
    this.listener = listener;
    if (topics instanceof RegExp) {
      if (this.mode === 'topics') throw new IllegalStateError('a topic subscription and a pattern subscription are mutually exclusive: unsubscribe() first');
      this.mode = 'pattern';
      this.pattern = wholeNamePattern(topics);
      this.refreshPattern();
      return;
    }
    if (this.mode === 'pattern') throw new IllegalStateError('a topic subscription and a pattern subscription are mutually exclusive: unsubscribe() first');
    for (const topic of topics) if (typeof topic !== 'string' || topic.trim() === '') throw new TypeError('subscribe() needs non-empty topic names');
    if (topics.length === 0) {
      this.unsubscribe().catch((error: unknown) => this.logger.warn({ err: error }, 'unsubscribing (an empty subscription) failed'));
      return;
    }
    this.mode = 'topics';
    this.setSubscribedTopics(topics);
    group.subscribe(this.subscribedTopics, listener);
  }

  /** The subscribed topics (for a pattern: those it matches now). */
  subscription(): string[] {
    return [...this.subscribedTopics];
  }

  /**
   * Gives up the subscription or the manual assignment. A group member runs onPartitionsRevoked (or
   * onPartitionsLost) for what it owns and sends LeaveGroup; the returned promise waits for the callback.
   */
  async unsubscribe(): Promise<void> {
    this.assertNotClosing('unsubscribe()');
    const wasSubscribed = this.mode === 'topics' || this.mode === 'pattern';
    try {
      if (wasSubscribed && this.group !== null) await this.group.unsubscribe();
    } finally {
      this.mode = 'none';
      this.pattern = null;
      this.listener = {};
      this.setSubscribedTopics([]);
      this.subscriptions.assign([]);
      this.fetcher.retainAssigned();
      this.group?.assignmentChanged();
    }
  }

  /** Reads exactly these partitions from now on (no group management); an empty list unassigns everything. */
  assign(partitions: readonly TopicPartition[]): void {
    this.assertNotClosing('assign()');
    if (this.mode === 'topics' || this.mode === 'pattern') throw new IllegalStateError('assign() and subscribe() are mutually exclusive: unsubscribe() first');
    for (const tp of partitions) assertTopicPartition(tp);
    const before = new Set(this.subscriptions.assignedPartitions().map((tp) => tp.topic));
    // With a group.id, a new partition starts from the group's committed offset, as in Kafka.
    this.subscriptions.assign(partitions, { awaitCommitted: this.group !== null });
    this.group?.assignmentChanged();
    this.mode = partitions.length === 0 ? 'none' : 'assigned';
    this.fetcher.retainAssigned();
    const topics = new Set(this.subscriptions.assignedPartitions().map((tp) => tp.topic));
    this.cluster.untrackTopics([...before].filter((topic) => !topics.has(topic)));
    this.cluster.trackTopics(topics);
  }

  /** The partitions this consumer reads now (its group assignment, or what assign() gave). */
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

  /** The offset of the next record poll() returns for `tp`, looking it up (committed offset, auto.offset.reset) when needed. */
  async position(tp: TopicPartition, options: PositionOptions = {}): Promise<number> {
    this.assertOpen();
    if (!this.subscriptions.isAssigned(tp)) throw new IllegalStateError(`partition ${formatTopicPartition(tp)} is not assigned to this consumer`);
    const timeoutMs = options.timeoutMs ?? this.config.defaultApiTimeoutMs;
    const deadlineMs = this.runtime.clock.now() + timeoutMs;
    for (;;) {
      this.assertOpen();
      if (!this.subscriptions.isAssigned(tp)) throw new IllegalStateError(`partition ${formatTopicPartition(tp)} is no longer assigned to this consumer`);
      const position = this.subscriptions.position(tp);
      if (position !== null && !this.subscriptions.isAwaitingValidation(tp)) return position;
      const nowMs = this.runtime.clock.now();
      this.updateFetchPositions(nowMs);
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
   * are buffered. In a group, also joins, rebalances and auto-commits (see the module comment).
   * Resolves with [] when the time passes (or the consumer is closed meanwhile).
   */
  async poll(timeoutMs: number): Promise<ConsumerRecord[]> {
    this.assertNotClosing('poll()');
    if (!Number.isFinite(timeoutMs) || timeoutMs < 0) throw new RangeError(`poll timeout must be a number of ms >= 0, got ${timeoutMs}`);
    if (this.mode === 'none') throw new IllegalStateError('the consumer is neither subscribed to topics nor assigned partitions: call subscribe() or assign() first');
    if (this.polling) throw new IllegalStateError('poll() is already running: a consumer is polled by one caller at a time');
    this.polling = true;
    try {
      const deadlineMs = this.runtime.clock.now() + timeoutMs;
      for (;;) {
        if (this.lifecycle !== 'open') return [];
        this.cluster.checkMetadataAge(this.runtime.clock.now());
        if (this.mode === 'pattern' && this.runtime.clock.now() >= this.nextPatternRefreshMs) this.refreshPattern();
        await this.group?.poll(this.runtime.clock.now());
        if (this.lifecycle !== 'open') return [];
        const nowMs = this.runtime.clock.now();
        this.updateFetchPositions(nowMs);
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

  /**
   * Commits `offsets` (default: the position of every assigned partition, i.e. everything poll()
   * returned) and waits for the answer, retrying retriable errors until `timeoutMs`
   * (default.api.timeout.ms). At-least-once: process the records, then commit. As with Kafka's classic
   * consumer, offsets of partitions this member does not own are not refused here: the coordinator
   * checks only the member and its generation, so keep commits to owned partitions (under COOPERATIVE,
   * commit in onPartitionsRevoked for the partitions that move).
   */
  async commitSync(offsets?: readonly TopicPartitionOffset[], options: ConsumerCallOptions = {}): Promise<void> {
    this.assertOpen();
    const group = this.requireGroup('commitSync()');
    if (offsets !== undefined) assertCommittableOffsets(offsets);
    await group.commitSync(offsets, options.timeoutMs ?? this.config.defaultApiTimeoutMs);
  }

  /**
   * Sends a commit without waiting (one attempt, no retries, as Kafka); `callback` runs inside a later
   * poll(), commitSync() or close(), with null or the error (CommitFailedError, RebalanceInProgressError, ...).
   */
  commitAsync(callback?: CommitCallback): void;
  commitAsync(offsets: readonly TopicPartitionOffset[] | null, callback?: CommitCallback): void;
  commitAsync(offsetsOrCallback?: readonly TopicPartitionOffset[] | null | CommitCallback, callback?: CommitCallback): void {
    this.assertOpen();
    const group = this.requireGroup('commitAsync()');
    const offsets = typeof offsetsOrCallback === 'function' || offsetsOrCallback === null ? undefined : offsetsOrCallback;
    const done = typeof offsetsOrCallback === 'function' ? offsetsOrCallback : callback;
    if (offsets !== undefined) assertCommittableOffsets(offsets);
    group.commitAsync(offsets, done);
  }

  /** What the group has committed for each partition, in the order asked (`offset: null` when nothing). */
  async committed(partitions: readonly TopicPartition[], options: ConsumerCallOptions = {}): Promise<CommittedOffset[]> {
    this.assertOpen();
    const group = this.requireGroup('committed()');
    for (const tp of partitions) assertTopicPartition(tp);
    return group.committed(partitions, options.timeoutMs ?? this.config.defaultApiTimeoutMs);
  }

  /**
   * Lifecycle events, delivered synchronously as they happen: `{ type: 'state', from, to, generation, protocol }`
   * when the group membership changes state (classic: unjoined, joining, syncing, stable, rebalancing, dead;
   * group.protocol=consumer: KIP-848's MemberState names, UNSUBSCRIBED ... STABLE ... FENCED),
   * `{ type: 'assigned' | 'revoked' | 'lost', partitions, generation }` with each listener call, and
   * `{ type: 'rebalance', record }` when one of the member's rebalances ends (see rebalances()).
   * Returns the function that removes the handler.
   */
  on(type: 'event', handler: ConsumerEventHandler): () => void {
    if (type !== 'event') throw new TypeError(`unknown consumer event type "${String(type)}": only 'event' exists`);
    return this.events.add(handler);
  }

  off(type: 'event', handler: ConsumerEventHandler): void {
    if (type === 'event') this.events.remove(handler);
  }

  /**
   * This consumer's own rebalances, oldest first (the last MAX_REBALANCE_RECORDS), as copies: what
   * started each, the protocol, generations, start and end on the runtime's clock, partitions revoked,
   * assigned and lost, and how long it processed nothing (`pausedMs`) or only part of what it held
   * (`partiallyPausedMs`). Empty without group.id. Each one is also a `{ type: 'rebalance' }` event.
   */
  rebalances(): RebalanceRecord[] {
    return this.group?.rebalances() ?? [];
  }

  /** The group membership right now (null without group.id): its state, generation and member id. */
  groupMembership(): { state: MembershipStateName; generationId: number; memberId: string } | null {
    return this.group?.membership ?? null;
  }

  /**
   * The group membership a transactional producer commits this consumer's offsets with (Kafka's
   * `KafkaConsumer.groupMetadata()`, KIP-447): `producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata())`.
   * Take it after the poll() whose records the transaction processes: the coordinator checks its generation and
   * member id, as for commitSync(). Throws INVALID_GROUP_ID without group.id.
   */
  groupMetadata(): ConsumerGroupMetadata {
    this.assertOpen();
    const { generationId, memberId } = this.requireGroup('groupMetadata()').membership;
    // requireGroup refused a consumer without group.id, so groupId is set here.
    return { groupId: this.config.groupId ?? '', generationId, memberId, groupInstanceId: this.config.groupInstanceId };
  }

  /**
   * Commits (with enable.auto.commit), revokes the partitions (listener), leaves the group and closes
   * the connections, within `timeoutMs` (30 s, Kafka's default). A poll() waiting meanwhile resolves
   * with []. A closed consumer's membership is `dead`.
   */
  async close(options: ConsumerCallOptions = {}): Promise<void> {
    if (this.lifecycle !== 'open') return;
    this.lifecycle = 'closing';
    this.signal.notify();
    let failure: unknown;
    try {
      await this.group?.close(this.runtime.clock.now() + (options.timeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS));
    } catch (error) {
      failure = error;
    }
    this.stopWatchingMetadata();
    this.fetcher.close();
    this.resetter.close();
    this.validator.close();
    this.cluster.close();
    this.lifecycle = 'closed';
    this.signal.notify();
    if (failure !== undefined) throw failure;
  }

  private refreshPattern(): void {
    if (this.mode !== 'pattern' || this.patternRefreshing || this.pattern === null) return;
    this.patternRefreshing = true;
    this.nextPatternRefreshMs = this.runtime.clock.now() + this.config.metadataMaxAgeMs;
    const pattern = this.pattern;
    this.cluster
      .fetchMetadata(null)
      .then(
        (metadata) => {
          if (this.mode !== 'pattern' || this.pattern !== pattern || this.lifecycle !== 'open') return;
          this.setSubscribedTopics(matchingTopics(pattern, metadata));
          this.group?.subscribe(this.subscribedTopics, this.listener);
        },
        (error: unknown) => {
          this.logger.debug({ err: error }, 'matching the subscription pattern failed; retrying');
          this.nextPatternRefreshMs = this.runtime.clock.now() + this.config.retryBackoffMs;
        },
      )
      .finally(() => {
        this.patternRefreshing = false;
        this.signal.notify();
      });
  }

  /** Tracks the subscribed topics' metadata (and stops tracking those dropped, unless still assigned). */
  private setSubscribedTopics(topics: readonly string[]): void {
    const next = [...new Set(topics)].sort();
    const assignedTopics = new Set(this.subscriptions.assignedPartitions().map((tp) => tp.topic));
    this.cluster.untrackTopics(this.subscribedTopics.filter((topic) => !next.includes(topic) && !assignedTopics.has(topic)));
    this.subscribedTopics = next;
    this.cluster.trackTopics(next);
  }

  /**
   * Kafka's order: positions under a new leader epoch are validated (KIP-320), new partitions get their
   * committed offsets, then auto.offset.reset applies where there are none. As in Kafka, when every
   * partition has its position already (a consumer reading steadily) there is nothing to look up.
   */
  private updateFetchPositions(nowMs: number): void {
    this.validator.validatePositionsIfNeeded(nowMs);
    if (this.subscriptions.hasAllFetchPositions()) return;
    this.group?.refreshCommittedOffsetsIfNeeded(nowMs);
    this.resetter.resetPositionsIfNeeded(nowMs);
  }

  private requestReset(partitions: readonly TopicPartition[], strategy: 'earliest' | 'latest'): void {
    this.assertOpen();
    const targets = partitions.length === 0 ? this.subscriptions.assignedPartitions() : partitions;
    for (const tp of targets) this.subscriptions.requestReset(tp, strategy);
    this.signal.notify();
  }

  /** Until the deadline, or sooner when a backed-off lookup or fetch may be retried. */
  private waitMs(nowMs: number, deadlineMs: number): number {
    const retryAtMs = Math.min(this.fetcher.nextRetryMs(nowMs), this.subscriptions.nextResetRetryMs(nowMs), this.subscriptions.nextValidationRetryMs(nowMs), this.mode === 'pattern' ? this.nextPatternRefreshMs : Number.POSITIVE_INFINITY);
    return Math.max(0, Math.min(deadlineMs, retryAtMs) - nowMs);
  }

  private requireGroup(call: string): ConsumerCoordinator {
    if (this.group === null) throw KafkaProtocolError.from('INVALID_GROUP_ID', `${call} needs a group: set group.id in the consumer configuration`);
    return this.group;
  }

  private assertOpen(): void {
    if (this.lifecycle === 'closed') throw new IllegalStateError('the consumer is closed');
  }

  /** poll() and subscription changes: refused from the moment close() starts. */
  private assertNotClosing(call: string): void {
    this.assertOpen();
    if (this.lifecycle === 'closing') throw new IllegalStateError(`${call} was called while the consumer is closing`);
  }
}

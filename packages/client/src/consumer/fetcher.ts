/**
 * Kafka's `Fetcher`: keeps one Fetch v0 in flight per leader broker for the fetchable partitions it leads,
 * buffers each partition's answer, and hands records to poll() from the consumer's positions.
 *
 * - A partition with buffered records is not fetched again until they are handed out, so memory stays
 *   bounded by what one response per partition carries (fetch.max.bytes, max.partition.fetch.bytes).
 * - poll() sends the next fetches before it returns records, so the brokers prepare the next answers
 *   while the application works on these (prefetch).
 * - Each partition is sent with the leader epoch metadata gives (KIP-320); FENCED_LEADER_EPOCH,
 *   UNKNOWN_LEADER_EPOCH, NOT_LEADER_OR_FOLLOWER and the like refresh metadata, and the partition is
 *   fetched again, from the new leader, after retry.backoff.ms (growing while errors repeat). A partition
 *   whose leader epoch changed is not fetched until its position is validated (position-validator.ts).
 * - Records are handed out as the broker returns them: it sends consumers only what lies below the high
 *   watermark, and the client assumes nothing beyond that (the HW is kept only for lag). With
 *   isolation.level=read_committed the fetch asks for committed data only (isolationLevel 1): records of
 *   aborted transactions are dropped and nothing at or past the last stable offset is handed out
 *   (partition-records.ts, aborted-transactions.ts).
 * - OFFSET_OUT_OF_RANGE resets the position per auto.offset.reset, or fails poll() when it is none.
 * - A fetch that fails as a whole (the broker went away, timed out) backs off that broker likewise.
 */
import type { ConsumerConfig, ErrorName, RequestBody, ResponseBody } from '@kactor/protocol';
import { errorCodes, errorForCode, KafkaProtocolError } from '@kactor/protocol';
import type { Logger, RpcResult } from '@kactor/runtime';
import type { ClientRuntime } from '../client-runtime.js';
import { backoffMs, type BackoffPolicy } from '../internal/backoff.js';
import type { ClusterClient } from '../network/cluster-client.js';
import { isDisconnection, isStaleMetadataError } from '../network/stale-metadata.js';
import { formatTopicPartition, topicPartitionKey, type TopicPartition } from '../topic-partition.js';
import type { ConsumerRecord } from './consumer-types.js';
import { PartitionRecords } from './partition-records.js';
import type { SubscriptionState } from './subscription-state.js';

type FetchedPartition = ResponseBody<'fetch'>['responses'][number]['partitions'][number];

/** One partition's answer, waiting for poll(). */
interface CompletedFetch {
  readonly tp: TopicPartition;
  readonly fetchOffset: number;
  readonly answer: FetchedPartition;
}

interface Backoff {
  untilMs: number;
  failures: number;
}

export interface FetcherOptions {
  readonly cluster: ClusterClient;
  readonly subscriptions: SubscriptionState;
  readonly config: ConsumerConfig;
  readonly runtime: ClientRuntime;
  readonly logger: Logger;
  /** Called when an answer arrives, so a waiting poll() wakes up. */
  readonly onFetchCompleted: () => void;
}

export class Fetcher {
  private readonly inFlightUrls = new Set<string>();
  private readonly completed: CompletedFetch[] = [];
  private readonly bufferedKeys = new Set<string>();
  private current: PartitionRecords | undefined;
  private readonly partitionBackoff = new Map<string, Backoff>();
  private readonly brokerBackoff = new Map<string, Backoff>();
  private readonly backoff: BackoffPolicy;
  /** An error met after records were already collected for this poll: thrown by the next one. */
  private deferredError: unknown;
  private closed = false;

  constructor(private readonly options: FetcherOptions) {
    this.backoff = { initialMs: options.config.retryBackoffMs, maxMs: options.config.retryBackoffMaxMs };
  }

  /** Sends one fetch to each leader of fetchable, unbuffered partitions that has none in flight. */
  sendFetches(nowMs: number): number {
    if (this.closed) return 0;
    const { cluster, subscriptions, config } = this.options;
    const metadata = cluster.metadata;
    // Built only when some leader has no fetch in flight: a consumer waiting on its fetches (the usual
    // case between two answers) allocates nothing here.
    let byUrl: Map<string, Array<{ tp: TopicPartition; fetchOffset: number; leaderEpoch: number }>> | undefined;
    // Leaders of partitions left out because records of theirs wait for poll(): see maxWaitMs below.
    let bufferedUrls: Set<string> | undefined;
    let leaderUnknown = false;
    for (const tp of subscriptions.fetchablePartitions()) {
      const key = topicPartitionKey(tp.topic, tp.partition);
      if (this.bufferedKeys.has(key)) {
        const leader = metadata.leaderFor(tp.topic, tp.partition);
        if (leader !== undefined) (bufferedUrls ??= new Set()).add(leader.url);
        continue;
      }
      if ((this.partitionBackoff.get(key)?.untilMs ?? 0) > nowMs) continue;
      const leader = metadata.leaderFor(tp.topic, tp.partition);
      if (leader === undefined) {
        leaderUnknown = true;
        continue;
      }
      // A new leader epoch since the position was last known good: validate it first (KIP-320).
      if (subscriptions.maybeValidatePositionForCurrentLeader(tp, leader.leaderEpoch)) continue;
      if (this.inFlightUrls.has(leader.url) || (this.brokerBackoff.get(leader.url)?.untilMs ?? 0) > nowMs) continue;
      byUrl ??= new Map();
      let partitions = byUrl.get(leader.url);
      if (partitions === undefined) byUrl.set(leader.url, (partitions = []));
      partitions.push({ tp, fetchOffset: subscriptions.position(tp) as number, leaderEpoch: leader.leaderEpoch });
    }
    if (leaderUnknown) cluster.requestMetadataUpdate();
    if (byUrl === undefined) return 0;
    for (const [url, partitions] of byUrl) {
      const byTopic = new Map<string, RequestBody<'fetch'>['topics'][number]['partitions']>();
      for (const { tp, fetchOffset, leaderEpoch } of partitions) {
        let list = byTopic.get(tp.topic);
        if (list === undefined) byTopic.set(tp.topic, (list = []));
        list.push({ partition: tp.partition, currentLeaderEpoch: leaderEpoch, fetchOffset, logStartOffset: -1, partitionMaxBytes: config.maxPartitionFetchBytes });
      }
      const body: RequestBody<'fetch'> = {
        replicaId: -1,
        // One fetch is in flight per leader, so a fetch parked at the broker (no new data for these
        // partitions) would keep the partitions left out, whose buffered records poll() is handing out,
        // from being fetched again for up to fetch.max.wait.ms. While such records wait, the broker
        // answers at once instead; what is fetched, and in what order, does not change. Paused partitions
        // are not fetchable, so they never count here.
        maxWaitMs: bufferedUrls?.has(url) === true ? 0 : config.fetchMaxWaitMs,
        minBytes: config.fetchMinBytes,
        maxBytes: config.fetchMaxBytes,
        isolationLevel: config.isolationLevel === 'read_committed' ? 1 : 0,
        topics: [...byTopic].map(([topic, list]) => ({ topic, partitions: list })),
      };
      this.inFlightUrls.add(url);
      // The broker may hold the fetch for fetch.max.wait.ms before it answers: that is not a timeout.
      const timeoutMs = config.requestTimeoutMs + config.fetchMaxWaitMs;
      cluster.send(url, 'fetch', body, (result) => this.onResult(url, partitions, result), { timeoutMs });
    }
    return byUrl.size;
  }

  /**
   * Up to `maxRecords` records from the buffered answers, advancing positions. Throws what Kafka's poll
   * throws: OFFSET_OUT_OF_RANGE with auto.offset.reset=none, a damaged batch, an authorization error.
   */
  collect(maxRecords: number): ConsumerRecord[] {
    if (this.deferredError !== undefined) {
      const error = this.deferredError;
      this.deferredError = undefined;
      throw error;
    }
    const { subscriptions } = this.options;
    const records: ConsumerRecord[] = [];
    const pausedFetches: CompletedFetch[] = [];
    try {
      while (records.length < maxRecords) {
        if (this.current === undefined || this.current.isDrained) {
          if (this.current !== undefined) this.bufferedKeys.delete(topicPartitionKey(this.current.tp.topic, this.current.tp.partition));
          this.current = undefined;
          const next = this.completed.shift();
          if (next === undefined) break;
          if (subscriptions.isAssigned(next.tp) && subscriptions.isPaused(next.tp)) {
            pausedFetches.push(next); // kept for when the partition is resumed
            continue;
          }
          this.current = this.initialize(next);
          continue;
        }
        const { tp } = this.current;
        const position = subscriptions.isFetchable(tp) ? subscriptions.position(tp) : null;
        if (position === null) {
          // Paused, reset or unassigned while records waited: drop them; they are fetched again when needed.
          this.bufferedKeys.delete(topicPartitionKey(tp.topic, tp.partition));
          this.current = undefined;
          continue;
        }
        const taken = this.current.take(maxRecords - records.length, position);
        for (const record of taken.records) records.push(record);
        if (taken.nextPosition !== position) subscriptions.advance(tp, taken.nextPosition, taken.lastEpoch);
        if (taken.error !== null) throw taken.error;
      }
    } catch (error) {
      if (records.length === 0) throw error;
      this.deferredError = error;
    } finally {
      this.completed.unshift(...pausedFetches);
    }
    // A partition whose records were all handed out is fetched again by the sendFetches() that follows.
    if (this.current?.isDrained === true) {
      this.bufferedKeys.delete(topicPartitionKey(this.current.tp.topic, this.current.tp.partition));
      this.current = undefined;
    }
    return records;
  }

  /** The earliest time after `nowMs` when a backed-off partition or broker may be fetched again, or Infinity. */
  nextRetryMs(nowMs: number): number {
    let next = Number.POSITIVE_INFINITY;
    for (const backoffs of [this.partitionBackoff, this.brokerBackoff]) {
      for (const backoff of backoffs.values()) if (backoff.untilMs > nowMs) next = Math.min(next, backoff.untilMs);
    }
    return next;
  }

  /** Drops buffered answers of partitions no longer assigned. */
  retainAssigned(): void {
    const { subscriptions } = this.options;
    const kept = this.completed.filter((fetch) => subscriptions.isAssigned(fetch.tp));
    this.completed.splice(0, this.completed.length, ...kept);
    if (this.current !== undefined && !subscriptions.isAssigned(this.current.tp)) this.current = undefined;
    this.bufferedKeys.clear();
    for (const fetch of kept) this.bufferedKeys.add(topicPartitionKey(fetch.tp.topic, fetch.tp.partition));
    if (this.current !== undefined) this.bufferedKeys.add(topicPartitionKey(this.current.tp.topic, this.current.tp.partition));
    const assigned = new Set(subscriptions.assignedPartitions().map((tp) => topicPartitionKey(tp.topic, tp.partition)));
    for (const key of [...this.partitionBackoff.keys()]) if (!assigned.has(key)) this.partitionBackoff.delete(key);
  }

  close(): void {
    this.closed = true;
  }

  private onResult(url: string, partitions: ReadonlyArray<{ tp: TopicPartition; fetchOffset: number }>, result: RpcResult<'fetch'>): void {
    this.inFlightUrls.delete(url);
    if (this.closed) return;
    const nowMs = this.options.runtime.clock.now();
    if (!result.ok || result.body.errorCode !== errorCodes.NONE) {
      const error = result.ok ? errorForCode(result.body.errorCode) : result.error;
      this.options.logger.debug({ url, error: error.name }, 'fetch failed; backing off this broker');
      if (isStaleMetadataError(error.name) || (!result.ok && isDisconnection(error.name))) this.options.cluster.requestMetadataUpdate();
      this.fail(this.brokerBackoff, url, nowMs);
      this.options.onFetchCompleted();
      return;
    }
    this.brokerBackoff.delete(url);
    const requested = new Map(partitions.map((entry) => [topicPartitionKey(entry.tp.topic, entry.tp.partition), entry]));
    for (const topic of result.body.responses) {
      for (const answer of topic.partitions) {
        const key = topicPartitionKey(topic.topic, answer.partitionIndex);
        const entry = requested.get(key);
        if (entry === undefined) continue; // an answer for a partition not asked about: ignore it
        if (answer.errorCode !== errorCodes.NONE && isStaleMetadataError(errorForCode(answer.errorCode).name)) this.options.cluster.requestMetadataUpdate();
        this.completed.push({ tp: entry.tp, fetchOffset: entry.fetchOffset, answer });
        this.bufferedKeys.add(key);
      }
    }
    this.options.onFetchCompleted();
  }

  /** Turns a buffered answer into records to hand out, or handles its error (returns undefined then). */
  private initialize(fetch: CompletedFetch): PartitionRecords | undefined {
    const { subscriptions, config, logger } = this.options;
    const { tp, fetchOffset, answer } = fetch;
    const key = topicPartitionKey(tp.topic, tp.partition);
    this.bufferedKeys.delete(key);
    // A seek, a reset or an unassignment since the fetch was sent makes its answer stale.
    if (!subscriptions.isAssigned(tp) || subscriptions.position(tp) !== fetchOffset) return undefined;
    const error = errorForCode(answer.errorCode);
    const nowMs = this.options.runtime.clock.now();
    if (error.name === 'NONE') {
      this.partitionBackoff.delete(key);
      subscriptions.updateFetchState(tp, answer.highWatermark, answer.logStartOffset);
      if (answer.records.length === 0) return undefined;
      this.bufferedKeys.add(key);
      const readCommitted = config.isolationLevel === 'read_committed' ? { lastStableOffset: answer.lastStableOffset, abortedTransactions: answer.abortedTransactions } : undefined;
      return new PartitionRecords(tp, fetchOffset, answer.records, config.checkCrcs, readCommitted);
    }
    if (error.name === 'OFFSET_OUT_OF_RANGE') {
      if (subscriptions.defaultResetStrategy === 'none') {
        throw KafkaProtocolError.from('OFFSET_OUT_OF_RANGE', `fetch offset ${fetchOffset} is out of range for ${formatTopicPartition(tp)} and auto.offset.reset is none`);
      }
      // A warning, not a detail: records the caller asked for (a seek past the log end, or data removed) are skipped.
      logger.warn(
        { partition: formatTopicPartition(tp), fetchOffset, logStartOffset: answer.logStartOffset, highWatermark: answer.highWatermark },
        `fetch offset ${fetchOffset} is out of range for ${formatTopicPartition(tp)}; resetting to ${subscriptions.defaultResetStrategy} (auto.offset.reset)`,
      );
      subscriptions.requestReset(tp, subscriptions.defaultResetStrategy);
      return undefined;
    }
    if (error.retriable || isStaleMetadataError(error.name) || isRetriedAnyway(error.name)) {
      logger.debug({ partition: formatTopicPartition(tp), error: error.name }, 'fetch error; refreshing metadata and retrying');
      this.fail(this.partitionBackoff, key, nowMs);
      return undefined;
    }
    throw KafkaProtocolError.from(error.code, `fetching ${formatTopicPartition(tp)} at offset ${fetchOffset} failed`);
  }

  private fail(backoffs: Map<string, Backoff>, key: string, nowMs: number): void {
    const failures = (backoffs.get(key)?.failures ?? 0) + 1;
    backoffs.set(key, { failures, untilMs: nowMs + backoffMs(this.backoff, failures - 1, this.options.runtime.random) });
  }
}

/** Errors Kafka's consumer logs and retries although they are not retriable in the table. */
function isRetriedAnyway(name: ErrorName): boolean {
  return name === 'UNKNOWN_SERVER_ERROR';
}

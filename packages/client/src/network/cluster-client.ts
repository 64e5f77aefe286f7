/**
 * A client's connection to the cluster: one RPC client per broker URL (opened on demand, reconnected with
 * backoff), and the metadata cache that says which broker leads which partition and which one is the
 * controller (Kafka's `NetworkClient` + `Metadata`).
 *
 * Metadata is fetched with Metadata v0 from any reachable broker, known brokers first and the bootstrap URLs
 * after, trying them in turn. Refreshes of the tracked topics set `allowAutoTopicCreation` as the client asks
 * (producers always, consumers with allow.auto.create.topics: Kafka's rule), so a broker with
 * auto.create.topics.enable creates a missing topic; an admin's `fetchMetadata` never does. It is refreshed
 * - when it is older than `metadata.max.age.ms` (checked by `checkMetadataAge`, which the producer's
 *   sender and the consumer's poll call),
 * - when a caller asks (`requestMetadataUpdate`, after an error meaning stale metadata), no sooner than
 *   `retry.backoff.ms` after the previous attempt, backing off exponentially while refreshes fail,
 * - at once when a new topic is tracked (a producer's first send to it),
 * - and on demand (`refreshMetadata`, `fetchMetadata`).
 */
import type { ApiName, RequestBody, ResponseBody } from '@kactor/protocol';
import { errorForCode, KafkaProtocolError } from '@kactor/protocol';
import type { Logger, RequestOptions, RpcResult } from '@kactor/runtime';
import { RpcClientPool } from '@kactor/runtime';
import type { ClientRuntime } from '../client-runtime.js';
import { MAX_QUEUED_REQUESTS_PER_BROKER, MAX_RESPONSE_FRAME_BYTES, MAX_TRACKED_TOPICS } from '../constants.js';
import { IllegalStateError, kafkaError } from '../errors.js';
import { backoffMs, type BackoffPolicy } from '../internal/backoff.js';
import { ClusterMetadata, type PartitionLeader } from './cluster-metadata.js';
import { connectFailureReason, ConnectionWarnings, ThrottledWarnings } from './connection-warnings.js';

export interface ClusterClientOptions {
  readonly bootstrapUrls: readonly string[];
  readonly runtime: ClientRuntime;
  readonly logger: Logger;
  /** request.timeout.ms */
  readonly requestTimeoutMs: number;
  /** reconnect.backoff.ms */
  readonly reconnectBackoffMs: number;
  /** reconnect.backoff.max.ms */
  readonly reconnectBackoffMaxMs: number;
  /** max.in.flight.requests.per.connection (5 for consumers and admins, as Kafka's NetworkClient). */
  readonly maxInFlightRequestsPerConnection: number;
  /** retry.backoff.ms */
  readonly retryBackoffMs: number;
  /** retry.backoff.max.ms */
  readonly retryBackoffMaxMs: number;
  /** metadata.max.age.ms */
  readonly metadataMaxAgeMs: number;
  /** Ask brokers to create missing tracked topics (producers; consumers with allow.auto.create.topics). */
  readonly allowAutoTopicCreation?: boolean;
}

/** Kafka's NetworkClient allows 5 unanswered requests per connection for clients without that setting. */
export const DEFAULT_MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION = 5;

/** The settings every client scope shares, by their camelCase Kafka names. */
export interface ClusterClientConfig {
  readonly requestTimeoutMs: number;
  readonly reconnectBackoffMs: number;
  readonly reconnectBackoffMaxMs: number;
  readonly retryBackoffMs: number;
  readonly retryBackoffMaxMs: number;
  readonly metadataMaxAgeMs: number;
  /** Only producers have max.in.flight.requests.per.connection; others use Kafka's default of 5. */
  readonly maxInFlightRequestsPerConnection?: number;
}

export interface ClusterClientForOptions {
  /** See ClusterClientOptions.allowAutoTopicCreation; false unless given. */
  readonly allowAutoTopicCreation?: boolean;
}

/** The cluster connection of an admin, producer or consumer, from its parsed config. */
export function clusterClientFor(
  config: ClusterClientConfig,
  runtime: ClientRuntime,
  bootstrapUrls: readonly string[],
  logger: Logger,
  options: ClusterClientForOptions = {},
): ClusterClient {
  return new ClusterClient({
    allowAutoTopicCreation: options.allowAutoTopicCreation ?? false,
    bootstrapUrls,
    runtime,
    logger,
    requestTimeoutMs: config.requestTimeoutMs,
    reconnectBackoffMs: config.reconnectBackoffMs,
    reconnectBackoffMaxMs: config.reconnectBackoffMaxMs,
    maxInFlightRequestsPerConnection: config.maxInFlightRequestsPerConnection ?? DEFAULT_MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
    retryBackoffMs: config.retryBackoffMs,
    retryBackoffMaxMs: config.retryBackoffMaxMs,
    metadataMaxAgeMs: config.metadataMaxAgeMs,
  });
}

type MetadataListener = (metadata: ClusterMetadata) => void;

export class ClusterClient {
  private metadataValue = ClusterMetadata.empty();
  private metadataVersionValue = 0;
  private readonly trackedTopics = new Set<string>();
  private readonly pool: RpcClientPool;
  private readonly bootstrapUrls: readonly string[];
  private readonly listeners = new Set<MetadataListener>();
  private readonly backoff: BackoffPolicy;
  private refreshing: Promise<ClusterMetadata> | undefined;
  private refreshTimer: unknown;
  private refreshTimerDueMs = Number.POSITIVE_INFINITY;
  private updateRequested = false;
  private failedRefreshes = 0;
  private lastRefreshAttemptMs = Number.NEGATIVE_INFINITY;
  private candidateRotation = 0;
  private closed = false;
  private readonly connectionWarnings: ConnectionWarnings;
  private readonly topicWarnings: ThrottledWarnings;

  constructor(private readonly options: ClusterClientOptions) {
    if (options.bootstrapUrls.length === 0) throw new RangeError('bootstrap.servers must name at least one broker');
    this.bootstrapUrls = [...new Set(options.bootstrapUrls)];
    this.backoff = { initialMs: options.retryBackoffMs, maxMs: options.retryBackoffMaxMs };
    this.connectionWarnings = new ConnectionWarnings(options.logger, options.reconnectBackoffMaxMs);
    this.topicWarnings = new ThrottledWarnings(options.logger, options.reconnectBackoffMaxMs);
    const { runtime } = options;
    this.pool = new RpcClientPool({
      transport: runtime.transport,
      clock: runtime.clock,
      random: runtime.random,
      logger: options.logger,
      secret: runtime.secret,
      requestTimeoutMs: options.requestTimeoutMs,
      reconnectBackoffMs: options.reconnectBackoffMs,
      reconnectBackoffMaxMs: options.reconnectBackoffMaxMs,
      maxInFlightRequests: options.maxInFlightRequestsPerConnection,
      maxQueuedRequests: MAX_QUEUED_REQUESTS_PER_BROKER,
      maxResponseBytes: MAX_RESPONSE_FRAME_BYTES,
    });
  }

  /** The current picture of the cluster (possibly empty or stale: see `refreshMetadata`). */
  get metadata(): ClusterMetadata {
    return this.metadataValue;
  }

  /** Counts successful metadata fetches: a caller that saw an error can wait for the next one. */
  get metadataVersion(): number {
    return this.metadataVersionValue;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  leaderFor(topic: string, partition: number): PartitionLeader | undefined {
    return this.metadataValue.leaderFor(topic, partition);
  }

  brokerUrl(nodeId: number): string | undefined {
    return this.metadataValue.brokerUrl(nodeId);
  }

  controllerUrl(): string | undefined {
    return this.metadataValue.controllerUrl();
  }

  partitionCount(topic: string): number | undefined {
    return this.metadataValue.partitionCount(topic);
  }

  /**
   * A broker for a request any broker can answer (FindCoordinator): connected ones first, spread over the
   * known brokers and bootstrap URLs like metadata requests (Kafka's least-loaded node, roughly).
   */
  anyBrokerUrl(): string {
    return this.metadataCandidates()[0] as string;
  }

  /** Topics whose metadata every refresh fetches. A topic not tracked before triggers a refresh at once. */
  trackTopics(topics: Iterable<string>): void {
    let added = false;
    for (const topic of topics) {
      if (this.trackedTopics.has(topic)) continue;
      if (this.trackedTopics.size >= MAX_TRACKED_TOPICS) {
        throw new RangeError(`a client tracks at most ${MAX_TRACKED_TOPICS} topics`);
      }
      this.trackedTopics.add(topic);
      added = true;
    }
    if (added) this.requestMetadataUpdate({ immediately: true });
  }

  untrackTopics(topics: Iterable<string>): void {
    for (const topic of topics) this.trackedTopics.delete(topic);
  }

  isTracked(topic: string): boolean {
    return this.trackedTopics.has(topic);
  }

  /** Calls `listener` after every successful refresh; returns the function that removes it. */
  onMetadataUpdate(listener: MetadataListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Refreshes in the background when the metadata is older than metadata.max.age.ms. */
  checkMetadataAge(nowMs: number): void {
    if (nowMs - this.metadataValue.updatedAtMs >= this.options.metadataMaxAgeMs) this.requestMetadataUpdate();
  }

  /**
   * Asks for a background refresh of the tracked topics, rate limited: not before `retry.backoff.ms`
   * after the previous attempt (longer while refreshes fail), unless `immediately`.
   */
  requestMetadataUpdate(options: { immediately?: boolean } = {}): void {
    if (this.closed) return;
    this.updateRequested = true;
    if (this.refreshing !== undefined) return; // the refresh's end schedules the next one
    const nowMs = this.options.runtime.clock.now();
    const dueMs = options.immediately === true ? nowMs : Math.max(nowMs, this.lastRefreshAttemptMs + this.refreshBackoffMs());
    if (this.refreshTimer !== undefined) {
      if (dueMs >= this.refreshTimerDueMs) return;
      this.options.runtime.clock.clearTimeout(this.refreshTimer);
    }
    this.refreshTimerDueMs = dueMs;
    this.refreshTimer = this.options.runtime.clock.setTimeout(() => {
      this.refreshTimer = undefined;
      this.refreshTimerDueMs = Number.POSITIVE_INFINITY;
      this.refreshMetadata().catch((error: unknown) => {
        this.options.logger.debug({ err: error }, 'metadata refresh failed; retrying after backoff');
      });
    }, dueMs - nowMs);
  }

  /**
   * Fetches metadata for the tracked topics now (joining a refresh already under way) and resolves with
   * the new picture; rejects when no broker answered.
   */
  refreshMetadata(): Promise<ClusterMetadata> {
    if (this.closed) return Promise.reject(new IllegalStateError('the client is closed'));
    if (this.refreshing === undefined) {
      this.updateRequested = false;
      this.refreshing = this.fetchFromAnyBroker([...this.trackedTopics], this.options.allowAutoTopicCreation ?? false).then(
        (metadata) => {
          const topicsWaiting = this.warnAboutTopicErrors(metadata);
          this.refreshing = undefined;
          // A tracked topic answered with an error (missing, being auto-created) is asked for again, backing off as
          // after a failure (retry.backoff.ms doubling to retry.backoff.max.ms), as Kafka's Metadata does for an
          // InvalidMetadataException: a consumer subscribed to it learns of it soon after it appears.
          this.failedRefreshes = topicsWaiting ? this.failedRefreshes + 1 : 0;
          if (this.updateRequested || topicsWaiting) this.requestMetadataUpdate();
          return metadata;
        },
        (error: unknown) => {
          this.refreshing = undefined;
          this.failedRefreshes += 1;
          // A producer or consumer needs its topics' metadata to make progress: keep trying, backing off.
          if (this.updateRequested || this.trackedTopics.size > 0) this.requestMetadataUpdate();
          throw error;
        },
      );
    }
    return this.refreshing;
  }

  /**
   * Fetches metadata for exactly `topics` (null: every topic) and merges it into the cache; for admin
   * calls, which describe topics the client does not track.
   */
  fetchMetadata(topics: readonly string[] | null): Promise<ClusterMetadata> {
    if (this.closed) return Promise.reject(new IllegalStateError('the client is closed'));
    return this.fetchFromAnyBroker(topics, false);
  }

  /** The callback form of a request (for the producer and fetcher hot paths): the result arrives as a value. */
  send<A extends ApiName>(url: string, api: A, body: RequestBody<A>, onResult: (result: RpcResult<A>) => void, options?: RequestOptions): void {
    this.pool.request(url, api, body, onResult, options);
  }

  /** The promise form: resolves with the response body, rejects with a `KafkaProtocolError`. */
  request<A extends ApiName>(url: string, api: A, body: RequestBody<A>, options?: RequestOptions): Promise<ResponseBody<A>> {
    return new Promise((resolve, reject) => {
      this.pool.request(
        url,
        api,
        body,
        (result) => (result.ok ? resolve(result.body) : reject(KafkaProtocolError.from(result.error.code, result.error.message))),
        options,
      );
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.refreshTimer !== undefined) this.options.runtime.clock.clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    this.listeners.clear();
    this.pool.close();
  }

  /**
   * Kafka's "Error while fetching metadata ... {nosuch=UNKNOWN_TOPIC_OR_PARTITION}" warning: a tracked topic the
   * cluster answers with an error (it does not exist, or it is being created) is said while the client waits for it,
   * rather than a producer or consumer waiting in silence. True when some tracked topic has a retriable error.
   */
  private warnAboutTopicErrors(metadata: ClusterMetadata): boolean {
    const nowMs = this.options.runtime.clock.now();
    const failing = new Set<string>();
    let retriable = false;
    for (const name of this.trackedTopics) {
      const errorCode = metadata.topicErrorCode(name);
      if (errorCode === undefined || errorCode === 0) continue;
      const { name: errorName, retriable: errorRetriable } = errorForCode(errorCode);
      retriable ||= errorRetriable;
      const key = `${name}\u0000${errorName}`;
      failing.add(key);
      const explanation =
        errorName === 'LEADER_NOT_AVAILABLE'
          ? 'the broker is creating it (auto.create.topics.enable)'
          : errorName === 'UNKNOWN_TOPIC_OR_PARTITION'
            ? 'it does not exist; waiting for it to be created'
            : 'retrying';
      this.topicWarnings.warn(key, { topic: name, errorName }, `metadata for topic ${name}: ${errorName} (${explanation})`, nowMs);
    }
    this.topicWarnings.clearExcept((key) => failing.has(key));
    return retriable;
  }

  private refreshBackoffMs(): number {
    return this.failedRefreshes === 0 ? this.options.retryBackoffMs : backoffMs(this.backoff, this.failedRefreshes - 1, this.options.runtime.random);
  }

  private async fetchFromAnyBroker(topics: readonly string[] | null, allowAutoTopicCreation: boolean): Promise<ClusterMetadata> {
    this.lastRefreshAttemptMs = this.options.runtime.clock.now();
    let lastError: unknown = kafkaError('NETWORK_EXCEPTION', 'no broker to ask for metadata');
    for (const url of this.metadataCandidates()) {
      if (this.closed) throw new IllegalStateError('the client is closed');
      try {
        const response = await this.request(url, 'metadata', { topics: topics === null ? null : [...topics], allowAutoTopicCreation: allowAutoTopicCreation && topics !== null });
        if (response.brokers.length === 0) {
          // A broker that has not received the cluster's metadata yet (still starting) knows nothing useful.
          lastError = kafkaError('LEADER_NOT_AVAILABLE', `${url} has no cluster metadata yet`);
          continue;
        }
        this.connectionWarnings.succeeded(url);
        this.metadataValue = this.metadataValue.merge(response, topics, this.options.runtime.clock.now());
        this.metadataVersionValue += 1;
        for (const listener of [...this.listeners]) listener(this.metadataValue);
        return this.metadataValue;
      } catch (error) {
        this.options.logger.debug({ url, err: error }, 'metadata request failed; trying the next broker');
        const reason = error instanceof Error ? connectFailureReason(url, error.message) : undefined;
        if (reason !== undefined) this.connectionWarnings.failed(url, reason, this.options.runtime.clock.now());
        lastError = error;
      }
    }
    throw lastError;
  }

  /**
   * Known brokers then bootstrap URLs, connected ones first and those backing off last (Kafka's
   * least-loaded node, roughly), rotated so that repeated refreshes spread over the brokers.
   */
  private metadataCandidates(): string[] {
    const known = [...this.metadataValue.brokers.values()].map((broker) => broker.url);
    const urls = [...new Set([...known, ...this.bootstrapUrls])];
    this.candidateRotation = (this.candidateRotation + 1) % urls.length;
    const rotated = [...urls.slice(this.candidateRotation), ...urls.slice(0, this.candidateRotation)];
    const rank = { connected: 0, idle: 1, connecting: 2, backingOff: 3, closed: 4 } as const;
    return rotated
      .map((url, index) => ({ url, index, rank: rank[this.pool.client(url).state] }))
      .sort((a, b) => a.rank - b.rank || a.index - b.index)
      .map(({ url }) => url);
  }
}

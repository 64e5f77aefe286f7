/**
 * Hosts the partition actors of one broker: starts, updates and stops them so that they match the metadata
 * image, and bridges what they emit (produce results, high watermark moves) to the request router. Each
 * partition is its own root actor on the node's clock, with a readable id (`broker-1/partition/orders-3`).
 */
import type { ErrorName, MetadataImage, MetadataImageTopic, TopicConfig } from '@kactor/protocol';
import { actorIds, type Clock, type Logger, type TimerHandle } from '@kactor/runtime';
import { KafkaStorageError, type LogStore } from '@kactor/storage';
import { createActor, type ActorRefFrom, type InspectionEvent } from 'xstate';
import type { PartitionHostPort } from '../broker/broker.machine.js';
import type { PartitionView } from '../partition/partition-reader.js';
import {
  partitionMachine,
  type FollowerFetchResponse,
  type FollowerFetchVerdict,
  type PartitionEmitted,
  type ProduceCompleted,
} from '../partition/partition.machine.js';
import type { AlterPartitionAnswer, FollowerFetchRequest } from '../replication/index.js';

type PartitionActor = ActorRefFrom<typeof partitionMachine>;

export interface PartitionHostOptions {
  brokerId: number;
  logStore: LogStore;
  clock: Clock;
  logger: Logger;
  /** The topic's effective configs: its overrides on top of the broker's defaults. */
  topicConfig(configs: ReadonlyArray<{ name: string; value: string }>): TopicConfig & { minInsyncReplicas?: number };
  /** replica.lag.time.max.ms */
  replicaLagTimeMaxMs: number;
  /** producer.id.expiration.ms */
  producerIdExpirationMs: number;
  /** producer.id.expiration.check.interval.ms */
  producerIdExpirationCheckIntervalMs: number;
  /** replica.high.watermark.checkpoint.interval.ms */
  replicaHighWatermarkCheckpointIntervalMs: number;
  /** Whether a follower may be in an ISR (unfenced, current broker epoch), from the broker's metadata image. */
  isReplicaIsrEligible(brokerId: number, brokerEpoch: number | undefined): boolean;
  /** This broker's registration epoch (for AlterPartition). */
  ownBrokerEpoch(): number;
  onProduceCompleted(event: ProduceCompleted): void;
  /** A partition's high watermark or (on a leader) its log end moved: waiting fetches may complete. */
  onPartitionDataChanged(topic: string, partition: number): void;
  /** A leader proposes an ISR change: send it to the controller and hand the answer to `answerAlterPartition`. */
  onAlterPartitionRequested(event: Extract<PartitionEmitted, { type: 'isr.alterPartitionRequested' }>): void;
  /** A replica became Leader, Follower or Offline: the replica fetchers follow. */
  onRoleChanged(event: Extract<PartitionEmitted, { type: 'partition.roleChanged' }>): void;
  /** A follower could not use the leader's answer: its fetcher backs off for the partition. */
  onFollowerFetchFailed(event: Extract<PartitionEmitted, { type: 'replica.fetchFailed' }>): void;
  /** A follower cut its log to match the leader's (for the cluster's timeline). */
  onTruncated?(event: Extract<PartitionEmitted, { type: 'replica.truncated' }>): void;
  onFatalError(error: unknown): void;
  inspect?: ((event: InspectionEvent) => void) | undefined;
  /**
   * Logs that could not be opened (a full disk) are tried again every `intervalMs` by applying the last image
   * through `reapply` (the node's whole image path, so a group coordinator also loads a partition that opens);
   * undefined: only at the next image.
   */
  offlineRetry?: { intervalMs: number; reapply(image: MetadataImage): void } | undefined;
}

interface HostedPartition {
  actor: PartitionActor;
  topicId: string;
  leader: number;
  leaderEpoch: number;
  partitionEpoch: number;
  isr: string;
  replicas: string;
}

export const partitionKey = (topic: string, partition: number) => `${topic}-${partition}`;

export class PartitionHost implements PartitionHostPort {
  private readonly hosted = new Map<string, HostedPartition>();
  private readonly internalAppends = new Map<string, (errorName: ErrorName) => void>();
  private nextInternalAppend = 1;
  private readonly pendingMarkers = new Map<string, (errorName: ErrorName) => void>();
  private nextMarker = 1;
  /** Verdicts on follower fetches, emitted in the same turn as the `replica.fetch` that asked (see checkFollowerFetch). */
  private readonly fetchVerdicts = new Map<number, FollowerFetchVerdict>();
  private nextFetchId = 1;
  private imageApplied = false;
  /** Partitions placed here whose log could not be opened (KafkaStorageError), with why: offline until it opens. */
  private readonly offlineLogs = new Map<string, string>();
  private lastImage: MetadataImage | null = null;
  private offlineRetry: TimerHandle | null = null;

  constructor(private readonly options: PartitionHostOptions) {}

  /** The partition actor's state and context, for reads; undefined when this broker does not host it. */
  view(topic: string, partition: number): PartitionView | undefined {
    const hosted = this.hosted.get(partitionKey(topic, partition));
    if (hosted === undefined) return undefined;
    const snapshot = hosted.actor.getSnapshot();
    return { state: typeof snapshot.value === 'string' ? snapshot.value : JSON.stringify(snapshot.value), context: snapshot.context };
  }

  /** Whether the partition is placed here but its log could not be opened (Kafka: an offline replica, KAFKA_STORAGE_ERROR). */
  isOffline(topic: string, partition: number): boolean {
    return this.offlineLogs.has(partitionKey(topic, partition));
  }

  actorFor(topic: string, partition: number): PartitionActor | undefined {
    return this.hosted.get(partitionKey(topic, partition))?.actor;
  }

  /**
   * Appends records written by the broker itself (a group coordinator's records) through the partition
   * actor, with acks=all, exactly as a producer's would be; `onDone` gets NONE once they are committed.
   */
  appendInternal(topic: string, partition: number, records: Uint8Array, timeoutMs: number, onDone: (errorName: ErrorName) => void): void {
    const actor = this.actorFor(topic, partition);
    if (actor === undefined) {
      onDone('NOT_LEADER_OR_FOLLOWER');
      return;
    }
    const produceId = `internal-${this.nextInternalAppend}`;
    this.nextInternalAppend += 1;
    this.internalAppends.set(produceId, onDone);
    actor.send({ type: 'produce.append', produceId, acks: -1, timeoutMs, records, origin: 'coordinator' });
  }

  /**
   * Writes a transaction's COMMIT or ABORT marker on a partition this broker leads (WriteTxnMarkers, KIP-98): the
   * partition checks it (INVALID_PRODUCER_EPOCH, TRANSACTION_COORDINATOR_FENCED), appends it and answers `onDone` once
   * the high watermark passes it (acks=all), or with why not (NOT_LEADER_OR_FOLLOWER, REQUEST_TIMED_OUT, ...).
   */
  writeTxnMarker(
    topic: string,
    partition: number,
    marker: { producerId: number; producerEpoch: number; coordinatorEpoch: number; result: 'COMMIT' | 'ABORT' },
    timeoutMs: number,
    onDone: (errorName: ErrorName) => void,
  ): void {
    const actor = this.actorFor(topic, partition);
    if (actor === undefined) {
      onDone(this.isOffline(topic, partition) ? 'KAFKA_STORAGE_ERROR' : 'NOT_LEADER_OR_FOLLOWER');
      return;
    }
    const markerId = `marker-${this.nextMarker}`;
    this.nextMarker += 1;
    this.pendingMarkers.set(markerId, onDone);
    actor.send({ type: 'txn.writeMarker', markerId, ...marker, timeoutMs });
  }

  /**
   * A follower's fetch at this leader: the partition actor checks it and records the follower's position, and
   * emits its verdict in the same turn (XState processes an event sent from outside an actor at once), so the
   * replica manager can read the records right after. Undefined when this broker does not host the partition.
   */
  checkFollowerFetch(topic: string, partition: number, request: FollowerFetchRequest): FollowerFetchVerdict | undefined {
    const actor = this.actorFor(topic, partition);
    if (actor === undefined) return undefined;
    const fetchId = this.nextFetchId;
    this.nextFetchId += 1;
    actor.send({ type: 'replica.fetch', fetchId, ...request });
    const verdict = this.fetchVerdicts.get(fetchId);
    this.fetchVerdicts.delete(fetchId);
    if (verdict === undefined) throw new Error(`${topic}-${partition} gave no verdict on follower fetch ${fetchId}`);
    return verdict;
  }

  /** The replica fetcher's share of a Fetch response for one partition this broker follows. */
  deliverFollowerFetchResponse(topic: string, partition: number, response: FollowerFetchResponse): void {
    this.actorFor(topic, partition)?.send({ type: 'follower.fetchResponse', ...response });
  }

  /** The controller's answer to a leader's AlterPartition. */
  answerAlterPartition(topic: string, partition: number, answer: AlterPartitionAnswer): void {
    this.actorFor(topic, partition)?.send({ type: 'isr.alterPartitionAnswered', answer });
  }

  hostedPartitions(): Array<{ topic: string; partition: number }> {
    return [...this.hosted.values()].map(({ actor }) => {
      const { topic, partition } = actor.getSnapshot().context;
      return { topic, partition };
    });
  }

  applyImage(image: MetadataImage): void {
    this.lastImage = image;
    const desired = new Map<string, { topic: MetadataImageTopic; partitionIndex: number }>();
    for (const topic of image.topics) {
      for (const partition of topic.partitions) {
        if (partition.replicas.includes(this.options.brokerId)) desired.set(partitionKey(topic.name, partition.partitionIndex), { topic, partitionIndex: partition.partitionIndex });
      }
    }
    for (const [key, hosted] of this.hosted) {
      const wanted = desired.get(key);
      if (wanted === undefined || wanted.topic.topicId !== hosted.topicId) this.stop(key, true);
    }
    for (const key of this.offlineLogs.keys()) if (!desired.has(key)) this.offlineLogs.delete(key);
    if (!this.imageApplied) this.deleteStaleLogs(image);
    this.imageApplied = true;
    for (const [key, { topic, partitionIndex }] of desired) {
      const partition = topic.partitions[partitionIndex];
      if (partition === undefined) continue;
      const hosted = this.hosted.get(key);
      if (hosted === undefined) {
        this.start(topic, partitionIndex);
        continue;
      }
      const isr = partition.isr.join(',');
      const replicas = partition.replicas.join(',');
      const changed =
        hosted.leader !== partition.leader ||
        hosted.leaderEpoch !== partition.leaderEpoch ||
        hosted.partitionEpoch !== partition.partitionEpoch ||
        hosted.isr !== isr ||
        hosted.replicas !== replicas;
      if (changed) {
        Object.assign(hosted, { leader: partition.leader, leaderEpoch: partition.leaderEpoch, partitionEpoch: partition.partitionEpoch, isr, replicas });
        hosted.actor.send({
          type: 'partition.leadershipChanged',
          leader: partition.leader,
          leaderEpoch: partition.leaderEpoch,
          partitionEpoch: partition.partitionEpoch,
          replicas: partition.replicas,
          isr: partition.isr,
        });
      }
    }
  }

  stopAll(): void {
    this.cancelOfflineRetry();
    for (const key of [...this.hosted.keys()]) this.stop(key, false);
  }

  /** A crash (kill -9): the partition actors stop where they are, and their logs are left as they are (no close). */
  haltAll(): void {
    this.cancelOfflineRetry();
    for (const hosted of this.hosted.values()) hosted.actor.stop();
    this.hosted.clear();
  }

  /** Logs on disk that the metadata no longer names (a topic deleted while this broker was down) are removed. */
  private deleteStaleLogs(image: MetadataImage): void {
    const known = new Map(image.topics.map((topic) => [topic.name, topic]));
    for (const local of this.options.logStore.listLogs()) {
      if (local.topic.startsWith('__cluster_metadata')) continue;
      const topic = known.get(local.topic);
      const stillHere = topic !== undefined && topic.topicId === local.topicId && topic.partitions[local.partition]?.replicas.includes(this.options.brokerId);
      if (stillHere) continue;
      this.options.logger.info({ topic: local.topic, partition: local.partition }, 'deleting the log of a partition the metadata no longer places here');
      const config = this.options.topicConfig([]);
      this.options.logStore.open(local.topic, local.partition, local.topicId ?? 'unknown', config).delete();
    }
  }

  private start(topic: MetadataImageTopic, partitionIndex: number): void {
    const partition = topic.partitions[partitionIndex];
    if (partition === undefined) return;
    const config = this.options.topicConfig(topic.configs);
    const key = partitionKey(topic.name, partitionIndex);
    let log;
    try {
      log = this.options.logStore.open(topic.name, partitionIndex, topic.topicId, config);
    } catch (error) {
      if (!(error instanceof KafkaStorageError)) throw error;
      // As Kafka takes a failed log directory offline: the rest of the broker keeps serving.
      if (!this.offlineLogs.has(key)) this.options.logger.error({ err: error, topic: topic.name, partition: partitionIndex }, 'cannot open the log: the partition is offline here until it opens');
      this.offlineLogs.set(key, error.message);
      this.scheduleOfflineRetry();
      return;
    }
    if (this.offlineLogs.delete(key)) this.options.logger.info({ topic: topic.name, partition: partitionIndex }, 'opened the log of an offline partition: serving it again');
    const id = actorIds.partition(this.options.brokerId, topic.name, partitionIndex);
    const actor = createActor(partitionMachine, {
      id,
      clock: this.options.clock,
      inspect: this.options.inspect,
      input: {
        brokerId: this.options.brokerId,
        topic: topic.name,
        partition: partitionIndex,
        topicId: topic.topicId,
        leader: partition.leader,
        leaderEpoch: partition.leaderEpoch,
        partitionEpoch: partition.partitionEpoch,
        replicas: partition.replicas,
        isr: partition.isr,
        config: {
          maxMessageBytes: config.maxMessageBytes,
          minInsyncReplicas: config.minInsyncReplicas ?? 1,
          replicaLagTimeMaxMs: this.options.replicaLagTimeMaxMs,
          producerIdExpirationMs: this.options.producerIdExpirationMs,
          producerIdExpirationCheckIntervalMs: this.options.producerIdExpirationCheckIntervalMs,
          replicaHighWatermarkCheckpointIntervalMs: this.options.replicaHighWatermarkCheckpointIntervalMs,
        },
        ports: {
          log,
          clock: this.options.clock,
          logger: this.options.logger.child({ actor: id }),
          isReplicaIsrEligible: (brokerId, brokerEpoch) => this.options.isReplicaIsrEligible(brokerId, brokerEpoch),
          ownBrokerEpoch: () => this.options.ownBrokerEpoch(),
        },
      },
    });
    actor.on('*', (event: PartitionEmitted) => this.onEmitted(event));
    actor.subscribe({ error: (error) => this.options.onFatalError(error) });
    // Hosted before it starts: its first role change reaches the replica fetchers, which look the partition up.
    this.hosted.set(partitionKey(topic.name, partitionIndex), {
      actor,
      topicId: topic.topicId,
      leader: partition.leader,
      leaderEpoch: partition.leaderEpoch,
      partitionEpoch: partition.partitionEpoch,
      isr: partition.isr.join(','),
      replicas: partition.replicas.join(','),
    });
    actor.start();
  }

  private onEmitted(event: PartitionEmitted): void {
    switch (event.type) {
      case 'produce.completed': {
        const internal = this.internalAppends.get(event.produceId);
        if (internal === undefined) {
          this.options.onProduceCompleted(event);
          return;
        }
        this.internalAppends.delete(event.produceId);
        internal(event.errorName);
        return;
      }
      case 'partition.highWatermarkAdvanced':
      case 'partition.logEndOffsetAdvanced':
        this.options.onPartitionDataChanged(event.topic, event.partition);
        return;
      case 'replica.fetchChecked':
        this.fetchVerdicts.set(event.fetchId, event.verdict);
        return;
      case 'isr.alterPartitionRequested':
        this.options.onAlterPartitionRequested(event);
        return;
      case 'partition.roleChanged':
        this.options.onRoleChanged(event);
        return;
      case 'replica.truncated':
        this.options.onTruncated?.(event);
        return;
      case 'replica.fetchFailed':
        this.options.onFollowerFetchFailed(event);
        return;
      case 'txn.markerWritten': {
        const onDone = this.pendingMarkers.get(event.markerId);
        this.pendingMarkers.delete(event.markerId);
        onDone?.(event.errorName);
        return;
      }
    }
  }

  /** Tries the offline partitions again on the injected clock (space may have come back) until all open. */
  private scheduleOfflineRetry(): void {
    const retry = this.options.offlineRetry;
    if (retry === undefined || this.offlineRetry !== null) return;
    this.offlineRetry = this.options.clock.setTimeout(() => {
      this.offlineRetry = null;
      if (this.lastImage !== null && this.offlineLogs.size > 0) retry.reapply(this.lastImage);
    }, retry.intervalMs);
  }

  private cancelOfflineRetry(): void {
    if (this.offlineRetry !== null) this.options.clock.clearTimeout(this.offlineRetry);
    this.offlineRetry = null;
  }

  private stop(key: string, deleteLog: boolean): void {
    const hosted = this.hosted.get(key);
    if (hosted === undefined) return;
    this.hosted.delete(key);
    hosted.actor.send({ type: 'partition.stop', deleteLog });
    hosted.actor.stop();
  }
}

/**
 * One broker's runtime for a coordinator of an internal, replicated topic (Kafka's CoordinatorRuntime, shared by the
 * group coordinator over `__consumer_offsets` and the transaction coordinator over `__transaction_state`):
 *
 * - a key belongs to partition `abs(javaHashCode(key)) % partitions`; FindCoordinator answers that partition's leader,
 *   creating the topic on first use;
 * - it follows the topic's leadership in the metadata image: one shard per partition this broker leads, per leader
 *   epoch (LOADING -> ACTIVE, or FAILED; CLOSED once led elsewhere or in a newer epoch, since another leader may have
 *   written meanwhile);
 * - loading replays the partition's records and transaction markers in log order, one chunk per turn of the clock;
 * - appends go to the partition with acks=all, and the shard applies them only once written (append-then-apply);
 * - transaction markers for the partition are written through it and replayed into the shard once written.
 */
import { errorByName, groupCoordinatorPartition, type ErrorName, type MetadataImage, type ResponseBody } from '@kactor/protocol';
import type { Clock, Logger, PeerRequester, TimerHandle } from '@kactor/runtime';
import type { PartitionHost } from '../node/partition-host.js';
import { encodeCoordinatorBatch, encodeTransactionMarkerBatch, readCoordinatorChunk } from './coordinator-loader.js';
import { shardRefusal, type CoordinatorRecordSerde, type CoordinatorShard, type CoordinatorShardBuilder, type CoordinatorShardState, type TransactionMarker } from './coordinator-shard.js';
import { InternalTopicCreator, type InternalTopicSpec } from './internal-topic-creator.js';

export interface CoordinatorRuntimeOptions<R, S extends CoordinatorShard<R>> {
  /** Names the coordinator in logs: `group coordinator`, `transaction coordinator`. */
  name: string;
  brokerId: number;
  topic: InternalTopicSpec;
  /** How long an append may wait for acks=all (offsets.commit.timeout.ms, transaction.state.log... as Kafka). */
  appendTimeoutMs: number;
  serde: CoordinatorRecordSerde<R>;
  buildShard: CoordinatorShardBuilder<R, S>;
  clock: Clock;
  logger: Logger;
  peers: PeerRequester;
  /** The active controller's URL now, or undefined while none is known (KRaft, during an election). */
  controllerUrl(): string | undefined;
  partitions: Pick<PartitionHost, 'view' | 'appendInternal'>;
  currentImage(): MetadataImage | null;
}

interface ShardEntry<S> {
  partition: number;
  leaderEpoch: number;
  state: CoordinatorShardState;
  shard: S;
  loadTimer: TimerHandle | null;
}

export type ShardLookup<S> = { ok: true; shard: S; partition: number } | { ok: false; errorName: ErrorName };

export type FindCoordinatorAnswer = ResponseBody<'findCoordinator'>;

/** Bound on the remembered partitions of keys (group or transactional ids): past it they are forgotten and worked out again. */
const PARTITION_BY_KEY_ENTRIES_MAX = 10_000;

export class CoordinatorRuntime<R, S extends CoordinatorShard<R>> {
  private readonly entries = new Map<number, ShardEntry<S>>();
  private readonly topicCreator: InternalTopicCreator;
  private countedImage: MetadataImage | null = null;
  private partitionCount = 0;
  /** Each key's partition under `partitionCount` (the key's Java hash is not worked out again per request). */
  private readonly partitionByKey = new Map<string, number>();

  constructor(private readonly options: CoordinatorRuntimeOptions<R, S>) {
    this.topicCreator = new InternalTopicCreator({ topic: options.topic, peers: options.peers, controllerUrl: options.controllerUrl, logger: options.logger });
  }

  get topicName(): string {
    return this.options.topic.name;
  }

  /** The partition of the topic coordinating `key`, or undefined while the topic does not exist. */
  partitionFor(key: string): number | undefined {
    const partitionCount = this.partitionCountIn(this.options.currentImage());
    if (partitionCount === 0) return undefined;
    let partition = this.partitionByKey.get(key);
    if (partition === undefined) {
      if (this.partitionByKey.size >= PARTITION_BY_KEY_ENTRIES_MAX) this.partitionByKey.clear();
      partition = groupCoordinatorPartition(key, partitionCount);
      this.partitionByKey.set(key, partition);
    }
    return partition;
  }

  /**
   * The topic's partition count in `image` (0 while it does not exist), looked up once per image: every group request
   * asks, and an image changes only with the cluster's metadata. A new count forgets the keys' partitions.
   */
  private partitionCountIn(image: MetadataImage | null): number {
    if (image !== this.countedImage) {
      const count = image?.topics.find((candidate) => candidate.name === this.topicName)?.partitions.length ?? 0;
      if (count !== this.partitionCount) this.partitionByKey.clear();
      this.countedImage = image;
      this.partitionCount = count;
    }
    return this.partitionCount;
  }

  /** The shard serving `key`, or why not (NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS). */
  shardFor(key: string): ShardLookup<S> {
    const partition = this.partitionFor(key);
    return partition === undefined ? { ok: false, errorName: 'NOT_COORDINATOR' } : this.shardOf(partition);
  }

  shardOf(partition: number): ShardLookup<S> {
    const entry = this.entries.get(partition);
    const problem = shardRefusal(entry?.state);
    if (entry === undefined || problem !== undefined) return { ok: false, errorName: problem ?? 'NOT_COORDINATOR' };
    return { ok: true, shard: entry.shard, partition };
  }

  /** Every serving shard (ListGroups, ListTransactions). */
  activeShards(): S[] {
    return [...this.entries.values()].filter((entry) => entry.state === 'ACTIVE').map((entry) => entry.shard);
  }

  /** Whether some led partition is still loading (a listing would be incomplete: Kafka answers COORDINATOR_LOAD_IN_PROGRESS). */
  isLoading(): boolean {
    return [...this.entries.values()].some((entry) => entry.state === 'LOADING');
  }

  /** FindCoordinator for one key: the leader of its partition, creating the topic when it does not exist yet. */
  findCoordinator(key: string): FindCoordinatorAnswer {
    const answer = (errorName: ErrorName, errorMessage: string | null, node?: { brokerId: number; host: string; port: number; url: string }) => ({
      throttleTimeMs: 0,
      errorCode: errorByName(errorName).code,
      errorMessage,
      nodeId: node?.brokerId ?? -1,
      host: node?.host ?? '',
      port: node?.port ?? -1,
      url: node?.url ?? '',
    });
    const image = this.options.currentImage();
    const topic = image?.topics.find((candidate) => candidate.name === this.topicName);
    if (image === null || topic === undefined) {
      this.topicCreator.create();
      return answer('COORDINATOR_NOT_AVAILABLE', `${this.topicName} is being created`);
    }
    const partition = topic.partitions[groupCoordinatorPartition(key, topic.partitions.length)];
    const leader = image.brokers.find((broker) => broker.brokerId === partition?.leader && !broker.fenced);
    if (leader === undefined) return answer('COORDINATOR_NOT_AVAILABLE', `partition ${partition?.partitionIndex} of ${this.topicName} has no leader`);
    return answer('NONE', null, leader);
  }

  /**
   * Follows the topic's leadership in the image (Kafka's onElection/onResignation with the leader epoch): a shard per
   * partition this broker leads, loaded from the log under that leader epoch. A partition led elsewhere now is unloaded;
   * one led here under a newer epoch (this broker lost and regained it, A -> B -> A) is unloaded and loaded again, since
   * the other leader may have written meanwhile. The partition actor must already be Leader in that epoch, so its log
   * is the leader's log (a former follower has truncated where it must) before the shard is read from it.
   */
  onImage(image: MetadataImage): void {
    const topic = image.topics.find((candidate) => candidate.name === this.topicName);
    const ledEpochs = new Map<number, number>();
    for (const partition of topic?.partitions ?? []) {
      if (partition.leader === this.options.brokerId) ledEpochs.set(partition.partitionIndex, partition.leaderEpoch);
    }
    for (const [partition, entry] of this.entries) {
      if (ledEpochs.get(partition) === entry.leaderEpoch && entry.state !== 'FAILED') continue;
      this.close(entry);
      this.entries.delete(partition);
    }
    for (const [partition, leaderEpoch] of ledEpochs) {
      if (this.entries.has(partition)) continue;
      const replica = this.options.partitions.view(this.topicName, partition);
      if (replica?.state !== 'Leader' || replica.context.leaderEpoch !== leaderEpoch) continue;
      this.load(partition, leaderEpoch);
    }
  }

  closeAll(): void {
    for (const entry of this.entries.values()) this.close(entry);
    this.entries.clear();
  }

  /** A crash (kill -9): every shard stops at once, answering no one; clients find out by timing out. */
  haltAll(): void {
    for (const entry of this.entries.values()) {
      this.cancelLoad(entry);
      entry.state = 'CLOSED';
      entry.shard.halt();
    }
    this.entries.clear();
  }

  /**
   * Writes a transaction marker on a partition this broker coordinates (Kafka's CoordinatorRuntime.scheduleTransactionCompletion,
   * reached from WriteTxnMarkers): the control batch is appended with acks=all, then replayed into the shard, so pending
   * transactional records are applied (COMMIT) or dropped (ABORT) only once the marker is durable. `onDone` gets NONE
   * or why not (NOT_COORDINATOR while the partition is not served here: the transaction coordinator retries).
   */
  completeTransaction(partition: number, marker: TransactionMarker, onDone: (errorName: ErrorName) => void): void {
    const entry = this.entries.get(partition);
    const problem = shardRefusal(entry?.state);
    if (entry === undefined || problem !== undefined) {
      onDone(problem ?? 'NOT_COORDINATOR');
      return;
    }
    const batch = encodeTransactionMarkerBatch(marker, this.options.clock.now());
    this.options.partitions.appendInternal(this.topicName, partition, batch, this.options.appendTimeoutMs, (errorName) => {
      if (errorName === 'NONE' && entry.state === 'ACTIVE' && this.entries.get(partition) === entry) entry.shard.replayEndTransaction(marker, -1);
      onDone(errorName === 'NONE' || entry.state === 'ACTIVE' ? errorName : 'NOT_COORDINATOR');
    });
  }

  private load(partition: number, leaderEpoch: number): void {
    const { clock, serde } = this.options;
    const logger = this.options.logger.child({ actor: `coordinator-${partition}` });
    const shard = this.options.buildShard({
      partition,
      leaderEpoch,
      logger,
      append: (records, transactional, onDone) => {
        let batch: Uint8Array;
        try {
          batch = encodeCoordinatorBatch(serde, records, clock.now(), transactional);
        } catch (error) {
          // A record the serde cannot write (a consumer group record naming a topic id that is not a Kafka Uuid) fails
          // this write alone, as Kafka's runtime fails an operation that throws with UNKNOWN_SERVER_ERROR; the shard
          // and every other group keep being served.
          logger.error({ err: error, partition }, `${this.options.name} could not encode a write: ${error instanceof Error ? error.message : String(error)}`);
          onDone({ ok: false, errorName: 'UNKNOWN_SERVER_ERROR' });
          return;
        }
        this.options.partitions.appendInternal(this.topicName, partition, batch, this.options.appendTimeoutMs, (errorName) =>
          onDone(errorName === 'NONE' ? { ok: true } : { ok: false, errorName }),
        );
      },
    });
    const entry: ShardEntry<S> = { partition, leaderEpoch, state: 'LOADING', shard, loadTimer: null };
    this.entries.set(partition, entry);
    const startedMs = clock.now();
    const view = this.options.partitions.view(this.topicName, partition);
    if (view === undefined) {
      this.fail(entry, logger, new Error(`partition ${partition} is not hosted here`));
      return;
    }
    // Read up to the log end, as Kafka's CoordinatorLoaderImpl does (not the high watermark: a new leader may not have
    // learnt the HW that acknowledged the old leader's last writes, but holds them, being from the ISR).
    const log = view.context.ports.log;
    const endOffset = log.logEndOffset;
    let offset = log.logStartOffset;
    let replayed = 0;
    const step = () => {
      entry.loadTimer = null;
      if (entry.state !== 'LOADING') return;
      try {
        const chunk = readCoordinatorChunk(log, serde, offset, endOffset);
        for (const loaded of chunk.entries) {
          if (loaded.kind === 'record') shard.replay(loaded.record, loaded.origin);
          else shard.replayEndTransaction(loaded.marker, loaded.offset);
        }
        replayed += chunk.entries.length;
        offset = chunk.nextOffset;
        if (!chunk.done) {
          entry.loadTimer = clock.setTimeout(step, 0);
          return;
        }
        shard.onLoaded();
      } catch (error) {
        this.fail(entry, logger, error);
        return;
      }
      entry.state = 'ACTIVE';
      logger.info({ partition, leaderEpoch, endOffset, records: replayed, loadMs: clock.now() - startedMs }, `${this.options.name} loaded its partition`);
    };
    entry.loadTimer = clock.setTimeout(step, 0);
  }

  private close(entry: ShardEntry<S>): void {
    this.cancelLoad(entry);
    const wasLoaded = entry.state === 'ACTIVE';
    entry.state = 'CLOSED';
    if (wasLoaded) this.options.logger.info({ partition: entry.partition, leaderEpoch: entry.leaderEpoch }, `${this.options.name} unloaded its partition`);
    entry.shard.onUnloaded();
  }

  /** Kafka's FAILED: the partition is not served here (NOT_COORDINATOR) until it is loaded again. */
  private fail(entry: ShardEntry<S>, logger: Logger, error: unknown): void {
    entry.shard.halt();
    entry.state = 'FAILED';
    logger.error({ err: error, partition: entry.partition, leaderEpoch: entry.leaderEpoch }, `${this.options.name} could not load its partition`);
  }

  private cancelLoad(entry: ShardEntry<S>): void {
    if (entry.loadTimer !== null) this.options.clock.clearTimeout(entry.loadTimer);
    entry.loadTimer = null;
  }
}

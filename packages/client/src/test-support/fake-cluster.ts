/**
 * A test fixture, not shipped API: brokers that answer Metadata, Produce, Fetch, ListOffsets, the topic
 * APIs and DescribeLogDirs from memory, over the real RPC layer on a MemoryTransport and a SimulatedClock.
 * It follows the broker's observable rules (leaders only, KIP-320 epochs, whole batches from the fetch
 * offset, long-polling fetches, RecordBatch validation) closely enough to test the clients end to end
 * until real-cluster tests replace it; it has no replication, no persistence and no controller log.
 *
 * Group APIs go to `groupCoordinator` (a FakeGroupCoordinator) on the broker `coordinatorId`; other
 * brokers answer them NOT_COORDINATOR (FindCoordinator is answered by every broker); ConsumerGroupDescribe
 * describes the consumer groups put in `consumerGroupDescriptions` (fake-consumer-group-descriptions.ts). The admin's transaction
 * calls go to `transactionCoordinators` (fake-transaction-coordinator.ts), FindCoordinator with key type 1 too.
 *
 * Idempotence (fake-producer-state.ts): every broker answers InitProducerId without a transactional id, and a
 * leader checks produced batches' producer ids, epochs and sequences, answering a retried batch with its first
 * offsets. `failAfterAppend` writes a batch and then answers an error, as a lost answer looks to a producer.
 *
 * Faults: `injectErrors` makes the next answers for a partition fail with given errors, `moveLeader`
 * changes a leader and bumps its epoch, `failOver` does both at once (the old leader's last answer is the
 * error, as a broker that just lost leadership answers), `stopBroker` takes a broker off the network.
 *
 * Replication is modelled only as far as clients see it: every appended batch is stamped with the leader
 * epoch, OffsetsForLeaderEpoch answers from those stamps (KIP-320 position validation), `holdHighWatermark`
 * keeps the HW below the log end (consumers read only below it), and `truncate` cuts the log as a new
 * leader without the tail would.
 */
import type { ApiName, ErrorName, RequestBody, ResponseBody } from '@kactor/protocol';
import { coordinatorKeyTypes, errorByName, readBatchHeader, setBaseOffset, setPartitionLeaderEpoch, validateRecordBatches } from '@kactor/protocol';
import type { InboundRequest, RequestRef } from '@kactor/runtime';
import { createIdGenerator, createLogger, createSeededRandom, MemoryTransport, RpcServer, SimulatedClock, waitForSimulated } from '@kactor/runtime';
import type { ClientRuntime } from '../client-runtime.js';
import { FakeConsumerGroupDescriptions } from './fake-consumer-group-descriptions.js';
import { FakeGroupCoordinator, groupErrorBody, type FakeGroupApi } from './fake-group-coordinator.js';
import { FakeProducerIds } from './fake-producer-state.js';
import { FakeTransactionCoordinators } from './fake-transaction-coordinator.js';
import { FakeTxnCoordinator } from './fake-txn-coordinator.js';

export interface FakePartition {
  leader: number;
  leaderEpoch: number;
  logStartOffset: number;
  logEndOffset: number;
  readonly batches: Array<{ baseOffset: number; lastOffset: number; bytes: Uint8Array }>;
  /** Errors the next produce/fetch/listOffsets answers for this partition carry, one per answer. */
  readonly injected: ErrorName[];
  /** Errors the next produce answers carry after the batch was written (its answer was lost), one per answer. */
  failAfterAppend?: ErrorName[];
  /** Where consumers' reads stop when below the log end (an ISR member has not caught up); absent: the log end. */
  highWatermark?: number;
  /** Where read_committed reads stop (the first offset of the oldest open transaction, KIP-98); absent: the high watermark. */
  lastStableOffset?: number;
  /** The aborted transactions of the log, each from its first record to its ABORT marker (a broker's aborted-transaction index). */
  abortedTransactions?: Array<{ producerId: number; firstOffset: number; lastOffset: number }>;
}

export interface FakeTopic {
  readonly name: string;
  readonly topicId: string;
  readonly partitions: FakePartition[];
}

/** One replica of the fake metadata quorum, as its leader reports it (DescribeQuorum's ReplicaState). */
export interface FakeQuorumReplica {
  replicaId: number;
  logEndOffset: number;
  lastFetchTimestamp: number;
  lastCaughtUpTimestamp: number;
}

/**
 * The fake metadata quorum DescribeQuorum answers from: the leader (-1: none) answers it, every other broker
 * answers NOT_LEADER_OR_FOLLOWER naming `knownLeaderOf[brokerId]` if set (a stale or missing view), else the leader.
 */
export interface FakeQuorum {
  leaderId: number;
  leaderEpoch: number;
  highWatermark: number;
  voters: FakeQuorumReplica[];
  observers: FakeQuorumReplica[];
  knownLeaderOf?: Record<number, number>;
}

export interface FakeClusterOptions {
  brokers?: number;
  latencyMs?: number;
  /** The largest batch a partition accepts (max.message.bytes). */
  maxBatchBytes?: number;
}

interface ParkedFetch {
  readonly brokerId: number;
  readonly server: RpcServer;
  readonly ref: RequestRef;
  readonly body: RequestBody<'fetch'>;
  timer: unknown;
}

const code = (name: ErrorName): number => errorByName(name).code;

export class FakeCluster {
  readonly clock = new SimulatedClock({ startMs: 1_700_000_000_000 });
  readonly network: MemoryTransport;
  readonly topics = new Map<string, FakeTopic>();
  readonly requests: Array<{ brokerId: number; api: ApiName; body: unknown; atMs: number }> = [];
  /** The broker that acts as controller; others answer controller APIs with NOT_CONTROLLER. */
  controllerId = 0;
  /** The broker that coordinates every group (FindCoordinator names it). */
  coordinatorId = 0;
  readonly groupCoordinator: FakeGroupCoordinator;
  /** The consumer groups (KIP-848) the coordinator describes with ConsumerGroupDescribe; every other group is classic. */
  readonly consumerGroupDescriptions = new FakeConsumerGroupDescriptions();
  /** What Metadata names as controller when it differs from the acting one (a stale view), else null. */
  advertisedControllerId: number | null = null;
  /**
   * auto.create.topics.enable: a Metadata request allowing it creates a missing topic with this many partitions
   * (answering LEADER_NOT_AVAILABLE that once, as a broker does while the controller creates it); null is off.
   */
  autoCreateTopicPartitions: number | null = null;
  /** The metadata quorum DescribeQuorum describes; null: the brokers run none and refuse DescribeQuorum as today's brokers do. */
  quorum: FakeQuorum | null = null;
  /** Each topic's config overrides as CreateTopics gave them (DescribeConfigs answers them as TOPIC_CONFIG). */
  readonly topicConfigs = new Map<string, Record<string, string>>();
  /** InitProducerId answers and each partition's producer state. */
  readonly producerIds = new FakeProducerIds();
  /** The transactional ids each broker's transaction coordinator holds (ListTransactions, DescribeTransactions). */
  readonly transactionCoordinators = new FakeTransactionCoordinators();
  /** Answer a retried batch with DUPLICATE_SEQUENCE_NUMBER instead of its first offsets. */
  answerDuplicatesWithError = false;
  /**
   * The transactional producer's coordinator (fake-txn-coordinator.ts): InitProducerId with a transactional id and the
   * transaction APIs, on the broker `transactionCoordinators.coordinatorOf` names; TxnOffsetCommit on the group's.
   */
  readonly txnCoordinator: FakeTxnCoordinator;
  private readonly servers = new Map<number, RpcServer>();
  private readonly alive = new Set<number>();
  private readonly parked = new Set<ParkedFetch>();
  /** The leader a partition moves to once its injected errors are used up (`failOver`). */
  private readonly pendingMoves = new Map<FakePartition, number>();
  private readonly maxBatchBytes: number;
  private topicCount = 0;

  private constructor(private readonly brokerCount: number, latencyMs: number, maxBatchBytes: number) {
    this.network = new MemoryTransport({ clock: this.clock, latencyMs });
    this.maxBatchBytes = maxBatchBytes;
    this.groupCoordinator = new FakeGroupCoordinator({ clock: this.clock, latencyMs: 0, nodeId: this.coordinatorId, url: this.url(this.coordinatorId) });
    this.txnCoordinator = new FakeTxnCoordinator({
      nextProducerId: () => this.producerIds.nextProducerId++,
      now: () => this.clock.now(),
      appendMarker: (topic, partition, bytes) => this.append(topic, partition, bytes),
      group: (groupId) => {
        const group = this.groupCoordinator.group(groupId);
        return group === undefined ? undefined : { generationId: group.generationId, members: new Set(group.members.keys()) };
      },
      commitOffset: (groupId, topic, partition, offset) => this.groupCoordinator.commit(groupId, topic, partition, offset),
    });
  }

  static async start(options: FakeClusterOptions = {}): Promise<FakeCluster> {
    const cluster = new FakeCluster(options.brokers ?? 3, options.latencyMs ?? 1, options.maxBatchBytes ?? 1_048_588);
    for (let id = 0; id < cluster.brokerCount; id++) await cluster.startBroker(id);
    return cluster;
  }

  get bootstrapServers(): string {
    return 'broker-0:9092';
  }

  url(brokerId: number): string {
    return `memory://broker-${brokerId}:9092`;
  }

  /** Ports for a client of this cluster, seeded so that runs repeat; `host` names its node on the network (for link filters). */
  clientRuntime(seed = 1, host = 'client'): ClientRuntime {
    return {
      clock: this.clock,
      random: createSeededRandom(seed),
      ids: createIdGenerator(createSeededRandom(`${seed}/ids`)),
      transport: this.network.forHost(host),
      logger: createLogger({ clock: this.clock }),
      urlScheme: 'memory',
    };
  }

  /** Creates a topic directly (not through the controller); leaders round-robin unless given. */
  createTopic(name: string, partitions: number, leaderOf: (partition: number) => number = (partition) => partition % this.brokerCount): FakeTopic {
    this.topicCount += 1;
    const topic: FakeTopic = {
      name,
      topicId: `topic-id-${this.topicCount}`,
      partitions: Array.from({ length: partitions }, (_, partition) => ({
        leader: leaderOf(partition),
        leaderEpoch: 0,
        logStartOffset: 0,
        logEndOffset: 0,
        batches: [],
        injected: [],
      })),
    };
    this.topics.set(name, topic);
    return topic;
  }

  partition(topic: string, partition: number): FakePartition {
    const found = this.topics.get(topic)?.partitions[partition];
    if (found === undefined) throw new Error(`no partition ${topic}-${partition}`);
    return found;
  }

  injectErrors(topic: string, partition: number, ...errors: ErrorName[]): void {
    this.partition(topic, partition).injected.push(...errors);
  }

  moveLeader(topic: string, partition: number, leader: number): void {
    const state = this.partition(topic, partition);
    state.leader = leader;
    state.leaderEpoch += 1;
  }

  /** The current leader answers its next request for the partition with `error`, and leadership moves to `leader` as it does. */
  failOver(topic: string, partition: number, error: ErrorName, leader: number): void {
    const state = this.partition(topic, partition);
    state.injected.push(error);
    this.pendingMoves.set(state, leader);
  }

  /** Keeps consumers' reads (and ListOffsets latest) below `offset` until released with undefined. */
  holdHighWatermark(topic: string, partition: number, offset: number | undefined): void {
    const state = this.partition(topic, partition);
    state.highWatermark = offset;
    if (offset === undefined) this.wakeParkedFetches();
  }

  /** Drops every batch at or after `offset` (a batch boundary), as a new leader that never had that tail. */
  truncate(topic: string, partition: number, offset: number): void {
    const state = this.partition(topic, partition);
    if (state.batches.some((batch) => batch.baseOffset < offset && batch.lastOffset >= offset)) throw new Error(`truncate to ${offset}: not a batch boundary`);
    const kept = state.batches.filter((batch) => batch.lastOffset < offset);
    state.batches.splice(0, state.batches.length, ...kept);
    state.logEndOffset = offset;
    if (state.highWatermark !== undefined) state.highWatermark = Math.min(state.highWatermark, offset);
  }

  /** Takes a broker off the network: its listener closes and its connections drop. */
  async stopBroker(brokerId: number): Promise<void> {
    this.alive.delete(brokerId);
    await this.servers.get(brokerId)?.close();
    this.servers.delete(brokerId);
  }

  /** Appends stored batches directly, as if produced (for consumer tests). Returns the base offset. */
  append(topic: string, partition: number, batchBytes: Uint8Array): number {
    const state = this.partition(topic, partition);
    const copy = batchBytes.slice();
    const header = readBatchHeader(copy, 0);
    if (header === null) throw new Error('not a record batch');
    const baseOffset = state.logEndOffset;
    setBaseOffset(copy, 0, baseOffset);
    setPartitionLeaderEpoch(copy, 0, state.leaderEpoch);
    state.batches.push({ baseOffset, lastOffset: baseOffset + header.lastOffsetDelta, bytes: copy });
    state.logEndOffset = baseOffset + header.lastOffsetDelta + 1;
    this.wakeParkedFetches();
    return baseOffset;
  }

  requestsOf<A extends ApiName>(api: A): Array<{ brokerId: number; body: RequestBody<A>; atMs: number }> {
    return this.requests.filter((request) => request.api === api) as Array<{ brokerId: number; body: RequestBody<A>; atMs: number }>;
  }

  /** Runs the simulated clock until `promise` settles (bounded), then returns its outcome. */
  async settle<T>(promise: Promise<T>, maxVirtualMs = 600_000): Promise<T> {
    let settled = false;
    promise.then(
      () => (settled = true),
      () => (settled = true),
    );
    await waitForSimulated(this.clock, () => settled, 'the operation settles', maxVirtualMs);
    return promise;
  }

  async close(): Promise<void> {
    for (const fetch of this.parked) this.clock.clearTimeout(fetch.timer);
    this.parked.clear();
    for (const server of this.servers.values()) await server.close();
    this.servers.clear();
  }

  private async startBroker(brokerId: number): Promise<void> {
    const server: RpcServer = new RpcServer({
      transport: this.network.forHost(`broker-${brokerId}`),
      logger: createLogger({ clock: this.clock }),
      maxRequestBytes: 104_857_600,
      maxQueuedRequestsPerConnection: 500,
      onRequest: (request) => this.handle(brokerId, server, request),
    });
    await server.listen({ host: `broker-${brokerId}`, port: 9092 });
    this.servers.set(brokerId, server);
    this.alive.add(brokerId);
  }

  private handle(brokerId: number, server: RpcServer, request: InboundRequest): void {
    this.requests.push({ brokerId, api: request.api, body: request.body, atMs: this.clock.now() });
    const respond = <A extends ApiName>(body: ResponseBody<A>): void => server.respond(request.ref as RequestRef & { api: A }, body);
    switch (request.api) {
      case 'metadata':
        return respond<'metadata'>(this.metadata(request.body));
      case 'produce': {
        const body = this.produce(brokerId, request.body);
        if (request.body.acks === 0) server.finish(request.ref);
        else respond<'produce'>(body);
        return;
      }
      case 'fetch':
        return this.fetch(brokerId, server, request.ref, request.body);
      case 'listOffsets':
        return respond<'listOffsets'>(this.listOffsets(brokerId, request.body));
      case 'offsetsForLeaderEpoch':
        return respond<'offsetsForLeaderEpoch'>(this.offsetsForLeaderEpoch(brokerId, request.body));
      case 'createTopics':
        return respond<'createTopics'>(this.createTopics(brokerId, request.body));
      case 'deleteTopics':
        return respond<'deleteTopics'>(this.deleteTopics(brokerId, request.body));
      case 'createPartitions':
        return respond<'createPartitions'>(this.createPartitions(brokerId, request.body));
      case 'electLeaders':
        return respond<'electLeaders'>(this.electLeaders(brokerId, request.body));
      case 'describeLogDirs':
        return respond<'describeLogDirs'>(this.describeLogDirs(brokerId, request.body));
      case 'describeConfigs':
        return respond<'describeConfigs'>(this.describeConfigs(request.body));
      case 'describeQuorum': {
        if (this.quorum === null) return server.respondError(request.ref, { code: code('INVALID_REQUEST'), name: 'INVALID_REQUEST', retriable: false, message: 'describeQuorum is not served by brokers' });
        return respond<'describeQuorum'>(this.describeQuorum(brokerId, this.quorum));
      }
      case 'initProducerId':
        if (request.body.transactionalId !== null) {
          if (!this.coordinatesTransactions(brokerId, request.body.transactionalId)) return respond<'initProducerId'>({ throttleTimeMs: 0, errorCode: code('NOT_COORDINATOR'), errorMessage: null, producerId: -1, producerEpoch: -1 });
          return respond<'initProducerId'>(this.txnCoordinator.initProducerId(request.body));
        }
        return respond<'initProducerId'>(this.initProducerId(request.body));
      case 'addPartitionsToTxn':
        if (!this.coordinatesTransactions(brokerId, request.body.transactionalId)) {
          const notCoordinator = code('NOT_COORDINATOR');
          return respond<'addPartitionsToTxn'>({ throttleTimeMs: 0, results: request.body.topics.map((topic) => ({ name: topic.name, resultsByPartition: topic.partitions.map((partitionIndex) => ({ partitionIndex, partitionErrorCode: notCoordinator })) })) });
        }
        return respond<'addPartitionsToTxn'>(this.txnCoordinator.addPartitionsToTxn(request.body));
      case 'addOffsetsToTxn':
        if (!this.coordinatesTransactions(brokerId, request.body.transactionalId)) return respond<'addOffsetsToTxn'>({ throttleTimeMs: 0, errorCode: code('NOT_COORDINATOR') });
        return respond<'addOffsetsToTxn'>(this.txnCoordinator.addOffsetsToTxn(request.body));
      case 'endTxn':
        if (!this.coordinatesTransactions(brokerId, request.body.transactionalId)) return respond<'endTxn'>({ throttleTimeMs: 0, errorCode: code('NOT_COORDINATOR') });
        return respond<'endTxn'>(this.txnCoordinator.endTxn(request.body));
      case 'txnOffsetCommit':
        if (brokerId !== this.coordinatorId) {
          const notCoordinator = code('NOT_COORDINATOR');
          return respond<'txnOffsetCommit'>({ throttleTimeMs: 0, topics: request.body.topics.map((topic) => ({ name: topic.name, partitions: topic.partitions.map((partition) => ({ partitionIndex: partition.partitionIndex, errorCode: notCoordinator })) })) });
        }
        return respond<'txnOffsetCommit'>(this.txnCoordinator.txnOffsetCommit(request.body));
      case 'listTransactions':
        return respond<'listTransactions'>(this.transactionCoordinators.list(brokerId, request.body));
      case 'describeTransactions':
        return respond<'describeTransactions'>(this.transactionCoordinators.describe(brokerId, request.body));
      case 'consumerGroupDescribe': {
        const refusal = this.consumerGroupDescriptions.refusal;
        if (refusal !== null) return server.respondError(request.ref, { code: code(refusal), name: refusal, retriable: false, message: 'consumerGroupDescribe is not served' });
        return respond<'consumerGroupDescribe'>(this.consumerGroupDescriptions.describe(request.body, brokerId === this.coordinatorId));
      }
      case 'findCoordinator':
        if (request.body.keyType === coordinatorKeyTypes.transaction) return respond<'findCoordinator'>(this.findTransactionCoordinator(request.body.key));
        return this.handleGroupRequest(brokerId, server, request.ref, request.api, request.body);
      case 'joinGroup':
      case 'syncGroup':
      case 'heartbeat':
      case 'leaveGroup':
      case 'offsetCommit':
      case 'offsetFetch':
      case 'describeGroups':
      case 'listGroups':
      case 'deleteGroups':
        return this.handleGroupRequest(brokerId, server, request.ref, request.api, request.body);
      default:
        server.respondError(request.ref, { code: code('INVALID_REQUEST'), name: 'INVALID_REQUEST', retriable: false, message: `the fake cluster does not serve ${request.api}` });
    }
  }

  private handleGroupRequest<A extends FakeGroupApi>(brokerId: number, server: RpcServer, ref: RequestRef, api: A, body: RequestBody<A>): void {
    const respond = (answer: ResponseBody<A>) => server.respond(ref as RequestRef & { api: A }, answer);
    const everyBrokerAnswers = api === 'findCoordinator' || api === 'listGroups';
    if (!everyBrokerAnswers && brokerId !== this.coordinatorId) return respond(groupErrorBody(api, 'NOT_COORDINATOR', body) as ResponseBody<A>);
    if (api === 'listGroups' && brokerId !== this.coordinatorId) return respond({ throttleTimeMs: 0, errorCode: 0, groups: [] } as unknown as ResponseBody<A>);
    this.groupCoordinator.nodeId = this.coordinatorId;
    this.groupCoordinator.url = this.url(this.coordinatorId);
    this.groupCoordinator.handle(api, body, (result) => {
      // The coordinator lists its consumer groups (KIP-848) beside its classic ones.
      if (result.ok && api === 'listGroups') respond(this.consumerGroupDescriptions.addListings(result.body as ResponseBody<'listGroups'>) as ResponseBody<A>);
      else if (result.ok) respond(result.body);
      else server.respondError(ref, result.error);
    });
  }

  /** Where the id lives (without using up an injected FindCoordinator answer). */
  private coordinatesTransactions(brokerId: number, transactionalId: string): boolean {
    return (this.transactionCoordinators.transactions.get(transactionalId)?.coordinatorId ?? this.coordinatorId) === brokerId;
  }

  /** FindCoordinator with key type 1: the broker holding the transactional id, COORDINATOR_NOT_AVAILABLE while it is stopped. */
  private findTransactionCoordinator(transactionalId: string): ResponseBody<'findCoordinator'> {
    const nodeId = this.transactionCoordinators.coordinatorOf(transactionalId, this.coordinatorId);
    if (!this.alive.has(nodeId)) return { throttleTimeMs: 0, errorCode: code('COORDINATOR_NOT_AVAILABLE'), errorMessage: null, nodeId: -1, host: '', port: -1, url: '' };
    return { throttleTimeMs: 0, errorCode: 0, errorMessage: null, nodeId, host: `broker-${nodeId}`, port: 9092, url: this.url(nodeId) };
  }

  private initProducerId(body: RequestBody<'initProducerId'>): ResponseBody<'initProducerId'> {
    if (body.transactionalId !== null) {
      return { throttleTimeMs: 0, errorCode: code('COORDINATOR_NOT_AVAILABLE'), errorMessage: 'fake: no transaction coordinator', producerId: -1, producerEpoch: -1 };
    }
    const answer = this.producerIds.answer();
    return { throttleTimeMs: 0, errorCode: answer.errorCode === null ? 0 : code(answer.errorCode), errorMessage: null, producerId: answer.producerId, producerEpoch: answer.producerEpoch };
  }

  private metadata(body: RequestBody<'metadata'>): ResponseBody<'metadata'> {
    const names = body.topics ?? [...this.topics.keys()];
    return {
      throttleTimeMs: 0,
      clusterId: 'fake-cluster',
      controllerId: this.advertisedControllerId ?? this.controllerId,
      brokers: [...this.alive].sort((a, b) => a - b).map((id) => ({ nodeId: id, host: `broker-${id}`, port: 9092, url: this.url(id), rack: null })),
      topics: names.map((name) => {
        const topic = this.topics.get(name);
        if (topic === undefined) {
          const create = body.allowAutoTopicCreation && this.autoCreateTopicPartitions !== null;
          if (create) this.createTopic(name, this.autoCreateTopicPartitions as number);
          return { errorCode: code(create ? 'LEADER_NOT_AVAILABLE' : 'UNKNOWN_TOPIC_OR_PARTITION'), name, topicId: null, isInternal: false, partitions: [] };
        }
        return {
          errorCode: 0,
          name,
          topicId: topic.topicId,
          isInternal: name.startsWith('__'),
          partitions: topic.partitions.map((partition, index) => ({
            errorCode: 0,
            partitionIndex: index,
            leaderId: partition.leader,
            leaderEpoch: partition.leaderEpoch,
            replicaNodes: [partition.leader],
            isrNodes: [partition.leader],
            offlineReplicas: [],
          })),
        };
      }),
    };
  }

  /** The error a request for a partition gets from `brokerId`, if any (leadership, KIP-320 epoch, injected). */
  private partitionProblem(brokerId: number, topic: string, partition: number, currentLeaderEpoch: number): ErrorName | undefined {
    const state = this.topics.get(topic)?.partitions[partition];
    if (state === undefined) return 'UNKNOWN_TOPIC_OR_PARTITION';
    if (state.leader !== brokerId) return 'NOT_LEADER_OR_FOLLOWER';
    if (currentLeaderEpoch >= 0 && currentLeaderEpoch < state.leaderEpoch) return 'FENCED_LEADER_EPOCH';
    if (currentLeaderEpoch > state.leaderEpoch) return 'UNKNOWN_LEADER_EPOCH';
    const injected = state.injected.shift();
    const moveTo = this.pendingMoves.get(state);
    if (injected !== undefined && state.injected.length === 0 && moveTo !== undefined) {
      this.pendingMoves.delete(state);
      state.leader = moveTo;
      state.leaderEpoch += 1;
    }
    return injected;
  }

  /** Kafka's `endOffsetForEpoch` over the epochs stamped on the batches, with the leader's (epoch, log end) entry. */
  private endOffsetForEpoch(state: FakePartition, requested: number): { leaderEpoch: number; endOffset: number } {
    const entries: Array<{ epoch: number; start: number }> = [];
    for (const batch of state.batches) {
      const epoch = readBatchHeader(batch.bytes, 0)?.partitionLeaderEpoch ?? -1;
      if (epoch >= 0 && (entries.at(-1)?.epoch ?? -1) < epoch) entries.push({ epoch, start: batch.baseOffset });
    }
    if ((entries.at(-1)?.epoch ?? -1) < state.leaderEpoch) entries.push({ epoch: state.leaderEpoch, start: state.logEndOffset });
    if (requested < 0 || requested > state.leaderEpoch) return { leaderEpoch: -1, endOffset: -1 };
    if (requested === state.leaderEpoch) return { leaderEpoch: requested, endOffset: state.logEndOffset };
    if (requested < entries[0]!.epoch) return { leaderEpoch: requested, endOffset: entries[0]!.start };
    const index = entries.findLastIndex((entry) => entry.epoch <= requested);
    return { leaderEpoch: entries[index]!.epoch, endOffset: entries[index + 1]?.start ?? state.logEndOffset };
  }

  private offsetsForLeaderEpoch(brokerId: number, body: RequestBody<'offsetsForLeaderEpoch'>): ResponseBody<'offsetsForLeaderEpoch'> {
    return {
      throttleTimeMs: 0,
      topics: body.topics.map((topic) => ({
        topic: topic.topic,
        partitions: topic.partitions.map((request) => {
          const problem = this.partitionProblem(brokerId, topic.topic, request.partition, request.currentLeaderEpoch);
          if (problem !== undefined) return { errorCode: code(problem), partition: request.partition, leaderEpoch: -1, endOffset: -1 };
          return { errorCode: 0, partition: request.partition, ...this.endOffsetForEpoch(this.partition(topic.topic, request.partition), request.leaderEpoch) };
        }),
      })),
    };
  }

  private produce(brokerId: number, body: RequestBody<'produce'>): ResponseBody<'produce'> {
    const validAcks = body.acks === -1 || body.acks === 0 || body.acks === 1;
    return {
      throttleTimeMs: 0,
      responses: body.topicData.map((topic) => ({
        name: topic.name,
        partitionResponses: topic.partitionData.map((data) => {
          const failed = (name: ErrorName, message: string | null = null) => ({ index: data.index, errorCode: code(name), errorMessage: message, baseOffset: -1, logAppendTimeMs: -1, logStartOffset: -1 });
          if (!validAcks) return failed('INVALID_REQUIRED_ACKS');
          const problem = this.partitionProblem(brokerId, topic.name, data.index, -1);
          if (problem !== undefined) return failed(problem);
          const check = validateRecordBatches(data.records, { maxBatchBytes: this.maxBatchBytes });
          if (!check.ok) return failed(check.error, check.message);
          const state = this.partition(topic.name, data.index);
          const producers = this.producerIds.of(state);
          // A request carries one batch per partition from a producer; its sequence is checked as the leader does.
          const first = check.batches[0];
          if (first !== undefined && check.batches.length === 1) {
            const lastSequence = first.baseSequence + first.lastOffsetDelta;
            const verdict = producers.check(first.producerId, first.producerEpoch, first.baseSequence, lastSequence);
            if (verdict.kind === 'error') return failed(verdict.error, verdict.message);
            if (verdict.kind === 'duplicate') {
              if (this.answerDuplicatesWithError) return failed('DUPLICATE_SEQUENCE_NUMBER');
              return { index: data.index, errorCode: 0, errorMessage: null, baseOffset: verdict.firstOffset, logAppendTimeMs: -1, logStartOffset: state.logStartOffset };
            }
            producers.record(first.producerId, first.producerEpoch, first.baseSequence, lastSequence, state.logEndOffset);
          }
          const baseOffset = state.logEndOffset;
          let position = 0;
          for (const header of check.batches) {
            const bytes = data.records.slice(position, position + header.sizeInBytes);
            setBaseOffset(bytes, 0, state.logEndOffset);
            setPartitionLeaderEpoch(bytes, 0, state.leaderEpoch);
            state.batches.push({ baseOffset: state.logEndOffset, lastOffset: state.logEndOffset + header.lastOffsetDelta, bytes });
            state.logEndOffset += header.lastOffsetDelta + 1;
            position += header.sizeInBytes;
          }
          this.wakeParkedFetches();
          const lostAnswer = state.failAfterAppend?.shift();
          if (lostAnswer !== undefined) return failed(lostAnswer);
          return { index: data.index, errorCode: 0, errorMessage: null, baseOffset, logAppendTimeMs: -1, logStartOffset: state.logStartOffset };
        }),
      })),
    };
  }

  private readFetch(brokerId: number, body: RequestBody<'fetch'>): { response: ResponseBody<'fetch'>; bytes: number; hasError: boolean } {
    let total = 0;
    let hasError = false;
    const responses = body.topics.map((topic) => ({
      topic: topic.topic,
      partitions: topic.partitions.map((request) => {
        const empty = new Uint8Array(0);
        const problem = this.partitionProblem(brokerId, topic.topic, request.partition, request.currentLeaderEpoch);
        if (problem !== undefined) {
          hasError = true;
          return { partitionIndex: request.partition, errorCode: code(problem), highWatermark: -1, lastStableOffset: -1, logStartOffset: -1, abortedTransactions: null, records: empty };
        }
        const state = this.partition(topic.topic, request.partition);
        const highWatermark = state.highWatermark ?? state.logEndOffset;
        const readCommitted = body.replicaId < 0 && body.isolationLevel === 1;
        const lastStableOffset = Math.min(highWatermark, state.lastStableOffset ?? highWatermark);
        const readLimit = readCommitted ? lastStableOffset : highWatermark;
        const base = { partitionIndex: request.partition, highWatermark, lastStableOffset, logStartOffset: state.logStartOffset };
        if (request.fetchOffset < state.logStartOffset || request.fetchOffset > state.logEndOffset) {
          hasError = true;
          return { ...base, abortedTransactions: null, errorCode: code('OFFSET_OUT_OF_RANGE'), records: empty };
        }
        const chunks: Uint8Array[] = [];
        let size = 0;
        for (const batch of state.batches) {
          if (batch.lastOffset < request.fetchOffset) continue;
          // Consumers read only what every ISR member has: below the high watermark (Kafka's maxOffset for a consumer fetch).
          // read_committed ones only what lies below the last stable offset (KIP-98).
          if (body.replicaId < 0 && batch.lastOffset >= readLimit) break;
          const budget = Math.min(request.partitionMaxBytes, body.maxBytes - total);
          // The first batch of the response comes whole even when larger than the budget (KIP-74).
          if (size + batch.bytes.length > budget && !(total === 0 && size === 0)) break;
          chunks.push(batch.bytes);
          size += batch.bytes.length;
        }
        total += size;
        const records = new Uint8Array(size);
        let position = 0;
        for (const chunk of chunks) {
          records.set(chunk, position);
          position += chunk.length;
        }
        // The aborted transactions that overlap the returned range, as Kafka's LogSegment.collectAbortedTxns finds them.
        const returnedEnd = request.fetchOffset + Math.max(0, ...chunks.map((chunk) => readBatchHeader(chunk, 0)!.lastOffset + 1 - request.fetchOffset));
        const abortedTransactions = readCommitted
          ? (state.abortedTransactions ?? [])
              .filter((aborted) => aborted.lastOffset >= request.fetchOffset && aborted.firstOffset < returnedEnd)
              .map(({ producerId, firstOffset }) => ({ producerId, firstOffset }))
          : null;
        return { ...base, abortedTransactions, errorCode: 0, records };
      }),
    }));
    return { response: { throttleTimeMs: 0, errorCode: 0, responses }, bytes: total, hasError };
  }

  private fetch(brokerId: number, server: RpcServer, ref: RequestRef, body: RequestBody<'fetch'>): void {
    const outcome = this.readFetch(brokerId, body);
    if (outcome.hasError || outcome.bytes >= body.minBytes || body.maxWaitMs <= 0) {
      server.respond(ref as RequestRef & { api: 'fetch' }, outcome.response);
      return;
    }
    const parked: ParkedFetch = { brokerId, server, ref, body, timer: undefined };
    parked.timer = this.clock.setTimeout(() => {
      this.parked.delete(parked);
      server.respond(ref as RequestRef & { api: 'fetch' }, this.readFetch(brokerId, body).response);
    }, body.maxWaitMs);
    this.parked.add(parked);
  }

  private wakeParkedFetches(): void {
    for (const parked of [...this.parked]) {
      const outcome = this.readFetch(parked.brokerId, parked.body);
      if (!outcome.hasError && outcome.bytes < parked.body.minBytes) continue;
      this.parked.delete(parked);
      this.clock.clearTimeout(parked.timer);
      parked.server.respond(parked.ref as RequestRef & { api: 'fetch' }, outcome.response);
    }
  }

  private listOffsets(brokerId: number, body: RequestBody<'listOffsets'>): ResponseBody<'listOffsets'> {
    return {
      throttleTimeMs: 0,
      topics: body.topics.map((topic) => ({
        name: topic.name,
        partitions: topic.partitions.map((request) => {
          const problem = this.partitionProblem(brokerId, topic.name, request.partitionIndex, request.currentLeaderEpoch);
          if (problem !== undefined) return { partitionIndex: request.partitionIndex, errorCode: code(problem), timestamp: -1, offset: -1, leaderEpoch: -1 };
          const state = this.partition(topic.name, request.partitionIndex);
          const offset = request.timestamp === -2 ? state.logStartOffset : (state.highWatermark ?? state.logEndOffset);
          return { partitionIndex: request.partitionIndex, errorCode: 0, timestamp: -1, offset, leaderEpoch: state.leaderEpoch };
        }),
      })),
    };
  }

  private createTopics(brokerId: number, body: RequestBody<'createTopics'>): ResponseBody<'createTopics'> {
    return {
      throttleTimeMs: 0,
      topics: body.topics.map((topic) => {
        const answer = (name: ErrorName | null, numPartitions = -1, replicationFactor = -1, topicId: string | null = null) => ({
          name: topic.name,
          topicId,
          errorCode: name === null ? 0 : code(name),
          errorMessage: name === null ? null : `fake: ${name}`,
          numPartitions,
          replicationFactor,
        });
        if (brokerId !== this.controllerId) return answer('NOT_CONTROLLER');
        if (this.topics.has(topic.name)) return answer('TOPIC_ALREADY_EXISTS');
        const numPartitions = topic.numPartitions === -1 ? 1 : topic.numPartitions;
        const replicationFactor = topic.replicationFactor === -1 ? 1 : topic.replicationFactor;
        if (numPartitions < 1) return answer('INVALID_PARTITIONS');
        if (replicationFactor < 1 || replicationFactor > this.alive.size) return answer('INVALID_REPLICATION_FACTOR');
        if (body.validateOnly) return answer(null, numPartitions, replicationFactor);
        const created = this.createTopic(topic.name, numPartitions);
        this.topicConfigs.set(topic.name, Object.fromEntries(topic.configs.filter((entry) => entry.value !== null).map((entry) => [entry.name, entry.value as string])));
        return answer(null, numPartitions, replicationFactor, created.topicId);
      }),
    };
  }

  /** The leader answers the whole quorum; another broker NOT_LEADER_OR_FOLLOWER with the leader it knows and that leader's address. */
  private describeQuorum(brokerId: number, quorum: FakeQuorum): ResponseBody<'describeQuorum'> {
    const partition = { partitionIndex: 0, errorCode: 0, errorMessage: null, leaderId: quorum.leaderId, leaderEpoch: quorum.leaderEpoch, highWatermark: quorum.highWatermark };
    if (brokerId === quorum.leaderId) {
      const voters = quorum.voters.map((voter) => ({ ...voter }));
      const observers = quorum.observers.map((observer) => ({ ...observer }));
      return { errorCode: 0, errorMessage: null, topics: [{ topicName: '__cluster_metadata', partitions: [{ ...partition, currentVoters: voters, observers }] }], nodes: [] };
    }
    const knownLeaderId = quorum.knownLeaderOf?.[brokerId] ?? quorum.leaderId;
    const nodes = knownLeaderId < 0 ? [] : [{ nodeId: knownLeaderId, listeners: [{ name: 'PLAINTEXT', host: `broker-${knownLeaderId}`, port: 9092 }] }];
    return {
      errorCode: code('NOT_LEADER_OR_FOLLOWER'),
      errorMessage: `fake: broker ${brokerId} does not lead the metadata quorum`,
      topics: [{ topicName: '__cluster_metadata', partitions: [{ ...partition, errorCode: code('NOT_LEADER_OR_FOLLOWER'), errorMessage: null, leaderId: knownLeaderId, highWatermark: -1, currentVoters: [], observers: [] }] }],
      nodes,
    };
  }

  /** Only the topics' own overrides (configSource 1, TOPIC_CONFIG): the fake knows no broker defaults. */
  private describeConfigs(body: RequestBody<'describeConfigs'>): ResponseBody<'describeConfigs'> {
    return {
      throttleTimeMs: 0,
      results: body.resources.map((resource) => {
        const known = this.topics.has(resource.resourceName);
        const configs = Object.entries(this.topicConfigs.get(resource.resourceName) ?? {}).map(([name, value]) => ({ name, value, readOnly: false, configSource: 1, isSensitive: false }));
        return {
          errorCode: known ? 0 : code('UNKNOWN_TOPIC_OR_PARTITION'),
          errorMessage: known ? null : `fake: topic ${resource.resourceName} does not exist`,
          resourceType: resource.resourceType,
          resourceName: resource.resourceName,
          configs: known ? configs : [],
        };
      }),
    };
  }

  /** Every fake leader is the preferred one: a known partition is ELECTION_NOT_NEEDED (left out when asked for all). */
  private electLeaders(brokerId: number, body: RequestBody<'electLeaders'>): ResponseBody<'electLeaders'> {
    if (brokerId !== this.controllerId) return { throttleTimeMs: 0, errorCode: code('NOT_CONTROLLER'), replicaElectionResults: [] };
    if (body.topicPartitions === null) return { throttleTimeMs: 0, errorCode: 0, replicaElectionResults: [] };
    return {
      throttleTimeMs: 0,
      errorCode: 0,
      replicaElectionResults: body.topicPartitions.map(({ topic, partitions }) => ({
        topic,
        partitionResult: partitions.map((partitionId) => {
          const known = partitionId < (this.topics.get(topic)?.partitions.length ?? 0);
          return { partitionId, errorCode: code(known ? 'ELECTION_NOT_NEEDED' : 'UNKNOWN_TOPIC_OR_PARTITION'), errorMessage: null };
        }),
      })),
    };
  }

  private deleteTopics(brokerId: number, body: RequestBody<'deleteTopics'>): ResponseBody<'deleteTopics'> {
    return {
      throttleTimeMs: 0,
      responses: body.topicNames.map((name) => {
        if (brokerId !== this.controllerId) return { name, topicId: null, errorCode: code('NOT_CONTROLLER'), errorMessage: null };
        const topic = this.topics.get(name);
        if (topic === undefined) return { name, topicId: null, errorCode: code('UNKNOWN_TOPIC_OR_PARTITION'), errorMessage: null };
        this.topics.delete(name);
        return { name, topicId: topic.topicId, errorCode: 0, errorMessage: null };
      }),
    };
  }

  private createPartitions(brokerId: number, body: RequestBody<'createPartitions'>): ResponseBody<'createPartitions'> {
    return {
      throttleTimeMs: 0,
      results: body.topics.map((request) => {
        if (brokerId !== this.controllerId) return { name: request.name, errorCode: code('NOT_CONTROLLER'), errorMessage: null };
        const topic = this.topics.get(request.name);
        if (topic === undefined) return { name: request.name, errorCode: code('UNKNOWN_TOPIC_OR_PARTITION'), errorMessage: null };
        if (request.count <= topic.partitions.length) return { name: request.name, errorCode: code('INVALID_PARTITIONS'), errorMessage: `topic has ${topic.partitions.length} partitions` };
        if (!body.validateOnly) {
          for (let partition = topic.partitions.length; partition < request.count; partition++) {
            topic.partitions.push({ leader: partition % this.brokerCount, leaderEpoch: 0, logStartOffset: 0, logEndOffset: 0, batches: [], injected: [] });
          }
        }
        return { name: request.name, errorCode: 0, errorMessage: null };
      }),
    };
  }

  private describeLogDirs(brokerId: number, body: RequestBody<'describeLogDirs'>): ResponseBody<'describeLogDirs'> {
    const topics = [...this.topics.values()]
      .map((topic) => ({
        name: topic.name,
        partitions: topic.partitions
          .map((state, index) => ({ state, index }))
          .filter(({ state, index }) => state.leader === brokerId && (body.topics === null || body.topics.some((wanted) => wanted.topic === topic.name && wanted.partitions.includes(index))))
          .map(({ state, index }) => ({
            partitionIndex: index,
            errorCode: 0,
            partitionSize: state.batches.reduce((sum, batch) => sum + batch.bytes.length, 0),
            logStartOffset: state.logStartOffset,
            logEndOffset: state.logEndOffset,
            highWatermark: state.highWatermark ?? state.logEndOffset,
            leaderEpoch: state.leaderEpoch,
            segmentCount: 1,
          })),
      }))
      .filter((topic) => topic.partitions.length > 0);
    return { throttleTimeMs: 0, errorCode: 0, logDir: `/fake/broker-${brokerId}`, topics };
  }
}

/**
 * Routes every validated request that reaches a broker to the actor that serves it (Kafka's KafkaApis):
 * controller APIs to the controller actor (or NOT_CONTROLLER), metadata updates to the broker actor,
 * produce to partition actors (one event per partition, answered once all have replied), fetch and
 * list-offsets as reads of partition state, with fetches that must wait parked as DelayedFetch actors and
 * woken when a partition's high watermark moves.
 */
import type { ApiName, ErrorName, MetadataImage, RequestBody, ResponseBody } from '@kactor/protocol';
import { errorByName, requiresClusterAction, supportedApiVersions, wireError } from '@kactor/protocol';
import { actorIds, type Clock, type InboundRequest, type Logger, type RequestRef, type Responder } from '@kactor/runtime';
import { createActor, type ActorRefFrom, type AnyActorRef, type InspectionEvent } from 'xstate';
import { delayedFetchMachine } from '../fetch/delayed-fetch.machine.js';
import { readFetch, type PartitionLookup } from '../fetch/fetch-reader.js';
import { listOffsetForPartition } from '../partition/partition-reader.js';
import type { ProduceCompleted } from '../partition/partition.machine.js';
import type { GroupCoordinator } from '../coordinator/group-coordinator.js';
import { topicNameProblem } from '../controller/topic-names.js';
import type { AutoTopicCreator } from './auto-topic-creation.js';
import { describeConfigs, type TopicConfigOf } from './describe-configs.js';
import { notControllerResponse } from './not-controller.js';
import { partitionKey, type PartitionHost } from './partition-host.js';

type DelayedFetchActor = ActorRefFrom<typeof delayedFetchMachine>;

export interface RequestRouterOptions {
  brokerId: number;
  logDir: string;
  clock: Clock;
  logger: Logger;
  responder: Responder;
  partitions: PartitionHost;
  /** The broker lifecycle actor (receives metadata updates; its snapshot holds the current image). */
  broker: AnyActorRef;
  currentImage(): MetadataImage | null;
  /** A topic's effective settings from its stored overrides (DescribeConfigs). */
  topicConfigOf: TopicConfigOf;
  /** Creates topics a Metadata request names (auto.create.topics.enable); undefined when that is off. */
  autoTopicCreator?: AutoTopicCreator | undefined;
  /** The controller actor when this broker runs one. */
  controller: AnyActorRef | undefined;
  /** The group coordinator of this broker (FindCoordinator and every group API). */
  groups: GroupCoordinator;
  onFatalError(error: unknown): void;
  inspect?: ((event: InspectionEvent) => void) | undefined;
}

interface PendingProduce {
  ref: RequestRef;
  acks: number;
  remaining: number;
  results: Map<string, ResponseBody<'produce'>['responses'][number]['partitionResponses'][number]>;
  order: RequestBody<'produce'>['topicData'];
}

/** A partition named twice in one request would be answered once and wait forever for its second answer. */
function firstDuplicatePartition(body: RequestBody<'produce'>): string | undefined {
  const seen = new Set<string>();
  for (const topic of body.topicData) {
    for (const partition of topic.partitionData) {
      const key = partitionKey(topic.name, partition.index);
      if (seen.has(key)) return key;
      seen.add(key);
    }
  }
  return undefined;
}

const controllerApis: ReadonlySet<ApiName> = new Set(['createTopics', 'deleteTopics', 'createPartitions', 'brokerRegistration', 'brokerHeartbeat']);

export class RequestRouter {
  private readonly pendingProduces = new Map<string, PendingProduce>();
  /** Waiting fetches by the partitions they read, and by connection (to cancel them when it closes). */
  private readonly fetchesByPartition = new Map<string, Set<DelayedFetchActor>>();
  private readonly fetchesByConnection = new Map<string, Set<DelayedFetchActor>>();
  private delayedFetchCount = 0;

  constructor(private readonly options: RequestRouterOptions) {}

  handle(request: InboundRequest): void {
    const { ref } = request;
    // The RPC server already refuses these from client connections before decoding them; this is the
    // router's own check (Kafka's ClusterAction), so no other path can hand one to an actor.
    if (requiresClusterAction(request.api) && ref.principal !== 'cluster') {
      this.options.responder.respondError(ref, wireError('CLUSTER_AUTHORIZATION_FAILED', `${request.api} is a control-plane request: only brokers and controllers that present the cluster secret may send it`));
      return;
    }
    if (this.options.groups.handles(request.api)) {
      this.options.groups.handle(request);
      return;
    }
    if (controllerApis.has(request.api)) {
      const controller = this.options.controller;
      if (controller === undefined) this.options.responder.respond(ref as RequestRef & { api: 'createTopics' }, notControllerResponse(request) as ResponseBody<'createTopics'>);
      else controller.send({ type: `request.${request.api}`, ref, body: request.body });
      return;
    }
    switch (request.api) {
      case 'apiVersions':
        return this.respond(ref, { errorCode: 0, apiKeys: supportedApiVersions().map(({ apiKey, name, minVersion, maxVersion }) => ({ apiKey, name, minVersion, maxVersion })), throttleTimeMs: 0 });
      case 'metadata':
        return this.respond(ref, this.metadata(request.body));
      case 'updateMetadata':
        this.options.broker.send({ type: 'request.updateMetadata', ref, body: request.body });
        return;
      case 'produce':
        return this.produce(ref, request.body);
      case 'fetch':
        return this.fetch(ref, request.body);
      case 'listOffsets':
        return this.respond(ref, this.listOffsets(request.body));
      case 'describeLogDirs':
        return this.respond(ref, this.describeLogDirs(request.body));
      case 'describeConfigs':
        return this.respond(ref, describeConfigs(request.body, this.options.currentImage(), this.options.topicConfigOf));
      default:
        this.options.responder.respondError(ref, wireError('INVALID_REQUEST', `${request.api} is not served by brokers`));
    }
  }

  /** Called by the partition host for every produce result. */
  onProduceCompleted(event: ProduceCompleted): void {
    const pending = this.pendingProduces.get(event.produceId);
    if (pending === undefined) return;
    this.recordProduceResult(event.produceId, pending, event.topic, event.partition, event.errorName, event.errorMessage, event.baseOffset, event.logStartOffset);
  }

  /** Called by the partition host when a partition's high watermark advances: waiting fetches re-check. */
  onHighWatermarkAdvanced(topic: string, partition: number): void {
    const waiting = this.fetchesByPartition.get(partitionKey(topic, partition));
    if (waiting === undefined) return;
    for (const actor of [...waiting]) actor.send({ type: 'partition.dataAvailable', topic, partition });
  }

  /** A closed connection's waiting fetches are dropped: nobody would read their answers. */
  onConnectionClosed(connectionId: string): void {
    for (const actor of [...(this.fetchesByConnection.get(connectionId) ?? [])]) actor.send({ type: 'fetch.cancelled' });
  }

  cancelAllFetches(): void {
    for (const actors of [...this.fetchesByConnection.values()]) for (const actor of [...actors]) actor.send({ type: 'fetch.cancelled' });
  }

  get waitingFetches(): number {
    let count = 0;
    for (const actors of this.fetchesByConnection.values()) count += actors.size;
    return count;
  }

  private respond<A extends ApiName>(ref: RequestRef, body: ResponseBody<A>): void {
    this.options.responder.respond(ref as RequestRef & { api: A }, body);
  }

  private topicProblem(topic: string, partition: number): ErrorName {
    const image = this.options.currentImage();
    const known = image?.topics.find((candidate) => candidate.name === topic);
    if (known === undefined || partition < 0 || partition >= known.partitions.length) return 'UNKNOWN_TOPIC_OR_PARTITION';
    if (this.options.partitions.isOffline(topic, partition)) return 'KAFKA_STORAGE_ERROR';
    return 'NOT_LEADER_OR_FOLLOWER';
  }

  private readonly lookup: PartitionLookup = (topic, partition) => this.options.partitions.view(topic, partition) ?? this.topicProblem(topic, partition);

  private metadata(body: RequestBody<'metadata'>): ResponseBody<'metadata'> {
    const image = this.options.currentImage();
    if (image === null) return { throttleTimeMs: 0, clusterId: null, controllerId: -1, brokers: [], topics: [] };
    const fenced = new Set(image.brokers.filter((broker) => broker.fenced).map((broker) => broker.brokerId));
    const brokers = image.brokers
      .filter((broker) => !broker.fenced)
      .map((broker) => ({ nodeId: broker.brokerId, host: broker.host, port: broker.port, url: broker.url, rack: broker.rack }));
    const byName = new Map(image.topics.map((topic) => [topic.name, topic]));
    const names = body.topics ?? image.topics.map((topic) => topic.name);
    const topics = names.map((name) => {
      const topic = byName.get(name);
      if (topic === undefined) {
        return { errorCode: errorByName(this.missingTopicError(name, body.allowAutoTopicCreation)).code, name, topicId: null, isInternal: false, partitions: [] };
      }
      return {
        errorCode: 0,
        name,
        topicId: topic.topicId,
        isInternal: topic.isInternal,
        partitions: topic.partitions.map((partition) => ({
          errorCode: partition.leader === -1 ? errorByName('LEADER_NOT_AVAILABLE').code : 0,
          partitionIndex: partition.partitionIndex,
          leaderId: partition.leader,
          leaderEpoch: partition.leaderEpoch,
          replicaNodes: partition.replicas,
          isrNodes: partition.isr,
          offlineReplicas: partition.replicas.filter((replica) => fenced.has(replica)),
        })),
      };
    });
    return { throttleTimeMs: 0, clusterId: image.clusterId, controllerId: image.controllerId, brokers, topics };
  }

  /**
   * A Metadata request names a topic the image lacks: with auto-creation allowed on both sides it is being created
   * (LEADER_NOT_AVAILABLE, retriable, as Kafka answers); an illegal name cannot be (INVALID_TOPIC_EXCEPTION); else it
   * is unknown. Internal names (`__...`) are never created on demand.
   */
  private missingTopicError(name: string, allowAutoTopicCreation: boolean): ErrorName {
    const creator = this.options.autoTopicCreator;
    if (!allowAutoTopicCreation || creator === undefined || name.startsWith('__')) return 'UNKNOWN_TOPIC_OR_PARTITION';
    if (topicNameProblem(name) !== undefined) return 'INVALID_TOPIC_EXCEPTION';
    creator.create(name);
    return 'LEADER_NOT_AVAILABLE';
  }

  private produce(ref: RequestRef, body: RequestBody<'produce'>): void {
    const duplicate = firstDuplicatePartition(body);
    if (duplicate !== undefined) {
      this.options.responder.respondError(ref, wireError('INVALID_REQUEST', `partition ${duplicate} appears more than once in the produce request`));
      return;
    }
    const produceId = `${ref.connectionId}:${ref.correlationId}`;
    const partitionCount = body.topicData.reduce((sum, topic) => sum + topic.partitionData.length, 0);
    const pending: PendingProduce = { ref, acks: body.acks, remaining: partitionCount, results: new Map(), order: body.topicData };
    this.pendingProduces.set(produceId, pending);
    const validAcks = body.acks === -1 || body.acks === 0 || body.acks === 1;
    for (const topic of body.topicData) {
      for (const partition of topic.partitionData) {
        const actor = validAcks ? this.options.partitions.actorFor(topic.name, partition.index) : undefined;
        if (actor === undefined) {
          const errorName = validAcks ? this.topicProblem(topic.name, partition.index) : 'INVALID_REQUIRED_ACKS';
          this.recordProduceResult(produceId, pending, topic.name, partition.index, errorName, null, -1, -1);
          continue;
        }
        actor.send({ type: 'produce.append', produceId, acks: body.acks as -1 | 0 | 1, timeoutMs: body.timeoutMs, records: partition.records });
      }
    }
    if (partitionCount === 0) this.completeProduce(produceId, pending);
  }

  private recordProduceResult(
    produceId: string,
    pending: PendingProduce,
    topic: string,
    partition: number,
    errorName: ErrorName,
    errorMessage: string | null,
    baseOffset: number,
    logStartOffset: number,
  ): void {
    const key = partitionKey(topic, partition);
    if (pending.results.has(key)) return;
    pending.results.set(key, { index: partition, errorCode: errorByName(errorName).code, errorMessage, baseOffset, logAppendTimeMs: -1, logStartOffset });
    pending.remaining -= 1;
    if (pending.remaining === 0) this.completeProduce(produceId, pending);
  }

  private completeProduce(produceId: string, pending: PendingProduce): void {
    this.pendingProduces.delete(produceId);
    if (pending.acks === 0) {
      this.options.responder.finish(pending.ref);
      return;
    }
    const responses = pending.order.map((topic) => ({
      name: topic.name,
      partitionResponses: topic.partitionData.map((partition) => {
        const result = pending.results.get(partitionKey(topic.name, partition.index));
        if (result === undefined) throw new Error(`produce ${produceId} completed without a result for ${topic.name}-${partition.index}`);
        return result;
      }),
    }));
    this.respond<'produce'>(pending.ref, { responses, throttleTimeMs: 0 });
  }

  private fetch(ref: RequestRef, body: RequestBody<'fetch'>): void {
    const outcome = readFetch(body, this.lookup);
    if (outcome.hasError || outcome.totalBytes >= body.minBytes || body.maxWaitMs <= 0) {
      this.respond<'fetch'>(ref, outcome.response);
      return;
    }
    this.delayedFetchCount += 1;
    const actor: DelayedFetchActor = createActor(delayedFetchMachine, {
      id: actorIds.delayedFetch(this.options.brokerId, this.delayedFetchCount),
      clock: this.options.clock,
      inspect: this.options.inspect,
      input: {
        ref,
        request: body,
        ports: {
          read: () => readFetch(body, this.lookup),
          respond: (result) => this.respond<'fetch'>(ref, result.response),
        },
      },
    });
    const keys = body.topics.flatMap((topic) => topic.partitions.map((partition) => partitionKey(topic.topic, partition.partition)));
    for (const key of keys) this.index(this.fetchesByPartition, key).add(actor);
    this.index(this.fetchesByConnection, ref.connectionId).add(actor);
    actor.subscribe({
      complete: () => {
        for (const key of keys) this.unindex(this.fetchesByPartition, key, actor);
        this.unindex(this.fetchesByConnection, ref.connectionId, actor);
      },
      error: (error) => this.options.onFatalError(error),
    });
    actor.start();
  }

  private index(map: Map<string, Set<DelayedFetchActor>>, key: string): Set<DelayedFetchActor> {
    let set = map.get(key);
    if (set === undefined) {
      set = new Set();
      map.set(key, set);
    }
    return set;
  }

  private unindex(map: Map<string, Set<DelayedFetchActor>>, key: string, actor: DelayedFetchActor): void {
    const set = map.get(key);
    set?.delete(actor);
    if (set?.size === 0) map.delete(key);
  }

  private listOffsets(body: RequestBody<'listOffsets'>): ResponseBody<'listOffsets'> {
    return {
      throttleTimeMs: 0,
      topics: body.topics.map((topic) => ({
        name: topic.name,
        partitions: topic.partitions.map((partition) => {
          const view = this.lookup(topic.name, partition.partitionIndex);
          const result =
            typeof view === 'string'
              ? { errorName: view, timestamp: -1, offset: -1, leaderEpoch: -1 }
              : listOffsetForPartition(view, partition.timestamp, partition.currentLeaderEpoch);
          return { partitionIndex: partition.partitionIndex, errorCode: errorByName(result.errorName).code, timestamp: result.timestamp, offset: result.offset, leaderEpoch: result.leaderEpoch };
        }),
      })),
    };
  }

  private describeLogDirs(body: RequestBody<'describeLogDirs'>): ResponseBody<'describeLogDirs'> {
    const wanted = body.topics === null ? null : new Map(body.topics.map((topic) => [topic.topic, new Set(topic.partitions)]));
    const byTopic = new Map<string, ResponseBody<'describeLogDirs'>['topics'][number]['partitions']>();
    for (const { topic, partition } of this.options.partitions.hostedPartitions()) {
      if (wanted !== null && !wanted.get(topic)?.has(partition)) continue;
      const view = this.options.partitions.view(topic, partition);
      if (view === undefined) continue;
      const { log } = view.context.ports;
      const entries = byTopic.get(topic) ?? [];
      entries.push({
        partitionIndex: partition,
        errorCode: 0,
        partitionSize: log.sizeBytes,
        logStartOffset: log.logStartOffset,
        logEndOffset: log.logEndOffset,
        highWatermark: view.context.highWatermark,
        leaderEpoch: view.context.leaderEpoch,
        segmentCount: log.segmentCount,
      });
      byTopic.set(topic, entries);
    }
    const topics = [...byTopic.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, partitions]) => ({ name, partitions: partitions.sort((a, b) => a.partitionIndex - b.partitionIndex) }));
    return { throttleTimeMs: 0, errorCode: 0, logDir: this.options.logDir, topics };
  }
}

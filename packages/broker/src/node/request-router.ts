/**
 * Request dispatch (Kafka's KafkaApis): every validated request that reaches a broker goes to the part that
 * serves it, after the control-plane authorization check. Controller APIs go to the controller actor (or are
 * answered NOT_CONTROLLER), group APIs to the group coordinator, metadata updates to the broker actor,
 * InitProducerId to the broker's producer ids (`producer-ids/`), produce, fetch and list-offsets to the replica
 * manager (`replica-manager.ts`), whose waiting fetches sit in the delayed-operation purgatory (`purgatory.ts`);
 * Metadata, DescribeConfigs and DescribeLogDirs are answered from the image and the hosted partitions.
 */
import type { ApiName, MetadataImage, ResponseBody } from '@kactor/protocol';
import { requiresClusterAction, supportedApiVersions, wireError } from '@kactor/protocol';
import type { Clock, InboundRequest, Logger, RequestRef, Responder } from '@kactor/runtime';
import type { AnyActorRef } from 'xstate';
import type { ProduceCompleted } from '../partition/partition.machine.js';
import type { GroupCoordinator } from '../coordinator/group-coordinator.js';
import type { AutoTopicCreator } from './auto-topic-creation.js';
import type { DelayedFetch } from '../fetch/delayed-fetch.js';
import { DelayedFetches } from './delayed-fetch.js';
import { describeConfigs, type TopicConfigOf } from './describe-configs.js';
import { describeLogDirs } from './describe-log-dirs.js';
import { metadataResponse } from './metadata-response.js';
import { notControllerResponse } from '../controller/not-controller.js';
import { offsetsForLeaderEpochResponse } from './offsets-for-leader-epoch.js';
import { handleInitProducerId, type InitProducerIdOptions } from '../producer-ids/index.js';
import { isUnauthorizedFollowerFetch, unauthorizedFollowerFetchResponse } from './follower-fetch-authorization.js';
import { partitionKey, type PartitionHost } from './partition-host.js';
import { DelayedOperationPurgatory } from './purgatory.js';
import { ReplicaManager } from './replica-manager.js';
import { handleWriteTxnMarkers, type WriteTxnMarkersPorts } from './write-txn-markers.js';

export interface RequestRouterOptions {
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
  /** KRaft mode: the node's replica of the metadata quorum, which serves the Raft APIs and Fetches of `__cluster_metadata`. */
  quorum?: { handles(api: ApiName, body: unknown): boolean; handle(request: InboundRequest): void } | undefined;
  /** The group coordinator of this broker (FindCoordinator and every group API). */
  groups: GroupCoordinator;
  /** The transaction coordinator of this broker (AddPartitionsToTxn, AddOffsetsToTxn, EndTxn, DescribeTransactions, ListTransactions). */
  transactions?: { handles(api: string): boolean; handle(request: InboundRequest): void } | undefined;
  /** Where WriteTxnMarkers' markers go (undefined: the API is not served). */
  writeTxnMarkers?: WriteTxnMarkersPorts | undefined;
  /**
   * InitProducerId (KIP-98): the broker's producer id blocks (KIP-730) answer idempotent producers; `transactional` is
   * where the transaction coordinator takes transactional ids (NOT_COORDINATOR without it).
   */
  producerIds: Omit<InitProducerIdOptions, 'responder'>;
  /** The purgatory's bound (see `PurgatoryOptions.maxWaiting`). */
  maxWaitingOperations: number;
  onFatalError(error: unknown): void;
}

const controllerApis: ReadonlySet<ApiName> = new Set(['createTopics', 'deleteTopics', 'createPartitions', 'electLeaders', 'alterPartition', 'brokerRegistration', 'brokerHeartbeat', 'allocateProducerIds']);

export class RequestRouter {
  private readonly fetchPurgatory: DelayedOperationPurgatory<DelayedFetch>;
  private readonly replicaManager: ReplicaManager;

  constructor(private readonly options: RequestRouterOptions) {
    this.fetchPurgatory = new DelayedOperationPurgatory({ maxWaiting: options.maxWaitingOperations });
    const { clock, onFatalError } = options;
    this.replicaManager = new ReplicaManager({
      responder: options.responder,
      partitions: options.partitions,
      currentImage: options.currentImage,
      delayedFetches: new DelayedFetches({ clock, purgatory: this.fetchPurgatory, onFatalError }),
    });
  }

  handle(request: InboundRequest): void {
    const { ref } = request;
    // The RPC server already refuses these from client connections before decoding them; this is the
    // router's own check (Kafka's ClusterAction), so no other path can hand one to an actor.
    if (requiresClusterAction(request.api) && ref.principal !== 'cluster') {
      this.options.responder.respondError(ref, wireError('CLUSTER_AUTHORIZATION_FAILED', `${request.api} is a control-plane request: only brokers and controllers that present the cluster secret may send it`));
      return;
    }
    if (this.options.quorum?.handles(request.api, request.body) === true) {
      this.options.quorum.handle(request);
      return;
    }
    if (this.options.groups.handles(request.api)) {
      this.options.groups.handle(request);
      return;
    }
    if (this.options.transactions?.handles(request.api) === true) {
      this.options.transactions.handle(request);
      return;
    }
    if (request.api === 'writeTxnMarkers' && this.options.writeTxnMarkers !== undefined) {
      handleWriteTxnMarkers(request.body, this.options.writeTxnMarkers, (answer) => this.respond(ref, answer));
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
        return this.respond(ref, metadataResponse(request.body, this.options.currentImage(), this.options.autoTopicCreator));
      case 'updateMetadata':
        this.options.broker.send({ type: 'request.updateMetadata', ref, body: request.body });
        return;
      case 'produce':
        return this.replicaManager.produce(ref, request.body);
      case 'fetch':
        if (isUnauthorizedFollowerFetch(request.body, ref.principal)) return this.respond(ref, unauthorizedFollowerFetchResponse(request.body));
        return this.replicaManager.fetch(ref, request.body);
      case 'listOffsets':
        return this.respond(ref, this.replicaManager.listOffsets(request.body));
      case 'offsetsForLeaderEpoch':
        return this.respond(ref, offsetsForLeaderEpochResponse(request.body, this.replicaManager.lookup));
      case 'describeLogDirs':
        return this.respond(ref, describeLogDirs(request.body, this.options.partitions, this.options.logDir));
      case 'initProducerId':
        return handleInitProducerId(ref as RequestRef & { api: 'initProducerId' }, request.body, { ...this.options.producerIds, responder: this.options.responder });
      case 'describeConfigs':
        return this.respond(ref, describeConfigs(request.body, this.options.currentImage(), this.options.topicConfigOf));
      default:
        this.options.responder.respondError(ref, wireError('INVALID_REQUEST', `${request.api} is not served by brokers`));
    }
  }

  /** Called by the partition host for every produce result. */
  onProduceCompleted(event: ProduceCompleted): void {
    this.replicaManager.onProduceCompleted(event);
  }

  /** Called by the partition host when a partition's high watermark or (leader) log end moves: waiting fetches re-check. */
  onPartitionDataChanged(topic: string, partition: number): void {
    this.fetchPurgatory.checkAndComplete(partitionKey(topic, partition));
  }

  /** A closed connection's waiting fetches are dropped: nobody would read their answers. */
  onConnectionClosed(connectionId: string): void {
    this.fetchPurgatory.cancelConnection(connectionId);
  }

  cancelAllFetches(): void {
    this.fetchPurgatory.cancelAll();
  }

  get waitingFetches(): number {
    return this.fetchPurgatory.waiting;
  }

  private respond<A extends ApiName>(ref: RequestRef, body: ResponseBody<A>): void {
    this.options.responder.respond(ref as RequestRef & { api: A }, body);
  }
}

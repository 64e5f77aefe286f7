/**
 * A broker node: the process-level host of a broker's actors. It checks the data directory, opens the logs,
 * starts the controller actor (on controller nodes), the broker lifecycle actor and the partition actors,
 * listens for connections and routes requests. Everything nondeterministic comes in through the options,
 * so the same node runs as a real process (system clock, WebSocket transport, file logs) or inside a
 * simulation (simulated clock, in-memory transport, in-memory logs).
 */
import type { BrokerConfig } from '@kactor/protocol';
import { parseConfig, topicDefaults } from '@kactor/protocol';
import type { Clock, IdGenerator, Logger, Random, Transport } from '@kactor/runtime';
import { actorIds, RpcClientPool, RpcServer } from '@kactor/runtime';
import type { LogStore, QuorumStateStore } from '@kactor/storage';
import { createActor, toPromise, type ActorRefFrom, type InspectionEvent } from 'xstate';
import { brokerMachine, connectPartitionHost } from '../broker/broker.machine.js';
import { controllerConfigOf, controllerMachine } from '../controller/controller.machine.js';
import { GroupCoordinator, OFFSETS_TOPIC } from '../coordinator/group-coordinator.js';
import { TransactionCoordinatorService } from '../transaction/transaction-coordinator-service.js';
import { TransactionMarkerChannel } from '../transaction/transaction-marker-channel.js';
import { METADATA_TOPIC, METADATA_TOPIC_ID } from '../controller/metadata-log.js';
import { MAX_DEFERRED_METADATA_RECORDS, MetadataLogWriter, type MetadataLog } from '../controller/metadata-log-writer.js';
import { topicConfigProblem } from '../controller/topic-config-check.js';
import type { MetaPropertiesStore } from './meta-properties.js';
import { AutoTopicCreator } from './auto-topic-creation.js';
import { AlterPartitionSender } from './alter-partition-sender.js';
import { PartitionHost } from './partition-host.js';
import type { RaftReplicaHost } from '../quorum/raft-replica-host.js';
import { MetadataQuorum } from './metadata-quorum.js';
import { BrokerStartupError, checkKraftRoles, chooseClusterId } from './node-cluster-id.js';
import { ReplicaFetcherManager } from './replica-fetcher-manager.js';
import { ProducerIdManager } from '../producer-ids/index.js';
import { RequestRouter } from './request-router.js';
import { kafkaListenerEndpoints } from '../kafka-listener/listener-endpoints.js';
import { startKafkaClientsEdge, type KafkaClientsEdge } from './kafka-clients.js';
import type { KafkaEndpoint } from '../kafka-listener/apis/adapter.js';

export type ProcessRole = 'broker' | 'controller';

export interface BrokerNodeOptions {
  brokerId: number;
  /** Interface to bind (127.0.0.1 unless told otherwise). */
  host: string;
  port: number;
  /** Host clients should connect to, when it differs from the bind host (e.g. binding 0.0.0.0). */
  advertisedHost?: string | undefined;
  processRoles: readonly ProcessRole[];
  /**
   * The controller's URL; ignored on a controller node, which registers with itself, and in KRaft mode
   * (`controller.quorum.voters` set), where every node follows the metadata quorum's leader.
   */
  controllerUrl?: string | undefined;
  /**
   * The cluster id. KRaft mode needs it on every node (the same one; Kafka's `kafka-storage format --cluster-id`)
   * unless the data directory already has one; with a single controller the controller makes one up.
   */
  clusterId?: string | undefined;
  /** KRaft mode (required there): where the Raft replica keeps its `quorum-state` (epoch, leader, vote). */
  quorumStateStore?: QuorumStateStore | undefined;
  config: BrokerConfig;
  logStore: LogStore;
  metaProperties: MetaPropertiesStore;
  /** Where the logs live, reported by DescribeLogDirs. */
  logDir: string;
  clock: Clock;
  random: Random;
  ids: IdGenerator;
  transport: Transport;
  logger: Logger;
  /** Shared secret every connection must present (KACTOR_SECRET / --secret-file). */
  secret?: string | undefined;
  /**
   * The cluster credential (cluster.secret / --cluster-secret-file): brokers and the controller present it to
   * each other, and only connections that did may send control-plane requests (UpdateMetadata,
   * BrokerRegistration, BrokerHeartbeat). Every node of a cluster needs the same one, different from
   * `secret`. Omitted: the node makes up one that only it knows, which is enough for a single combined node
   * and keeps its control plane closed to clients.
   */
  clusterSecret?: string | undefined;
  rack?: string | null;
  /** XState's inspect option for every actor of the node (see createInspection); undefined: not inspected. */
  inspect?: ((event: InspectionEvent) => void) | undefined;
  /**
   * Serve Kafka's own clients (issue 16) on the PLAINTEXT listener of `listeners`, advertised as
   * `advertised.listeners` says. It is a real TCP socket, so the process decides: a simulated node, whose
   * network is the in-memory transport, serves none. A config without a PLAINTEXT listener serves none either.
   */
  serveKafkaClients?: boolean | undefined;
}

/** The registration name of the node's WebSocket endpoint, kept apart from Kafka's PLAINTEXT listener (issue 16). */
const KACTOR_LISTENER_NAME = 'KACTOR';

/** Kafka's CLASSIC_GROUP_NEW_MEMBER_JOIN_TIMEOUT_MS: how long a new member may wait in a join phase. */
const classicGroupNewMemberJoinTimeoutMs = 5 * 60 * 1000;

export { BrokerStartupError };

export interface BrokerNode {
  readonly brokerId: number;
  readonly url: string;
  readonly broker: ActorRefFrom<typeof brokerMachine>;
  readonly controller: ActorRefFrom<typeof controllerMachine> | undefined;
  readonly partitions: PartitionHost;
  /** KRaft mode: this node's replica of the metadata quorum (leader, epoch, DescribeQuorum); undefined with a single controller. */
  readonly metadataQuorum: RaftReplicaHost | undefined;
  /** Where Kafka's clients reach this broker (its advertised Kafka listener), when it serves them. */
  readonly kafkaEndpoint: KafkaEndpoint | undefined;
  /** The broker's lifecycle state, e.g. `RUNNING`. */
  brokerState(): string;
  /** Resolves when the broker reaches RUNNING; rejects if it stops first (see its fatal error). */
  whenRunning(): Promise<void>;
  /** Controlled shutdown, then closes logs and connections. */
  shutdown(): Promise<void>;
  /** Stops everything at once without telling the controller (a crash, for tests). */
  halt(): Promise<void>;
}

export async function startBrokerNode(options: BrokerNodeOptions): Promise<BrokerNode> {
  const { brokerId, config, clock, logger } = options;
  const isController = options.processRoles.includes('controller');
  const meta = options.metaProperties.read();
  if (meta !== null && meta.nodeId !== brokerId) {
    throw new BrokerStartupError(`the data directory belongs to node ${meta.nodeId}, not node ${brokerId}`);
  }
  // KRaft mode (issue 12): the metadata quorum's voters are configured; otherwise one controller on one node.
  const voters = config.controllerQuorumVoters;
  const kraft = voters.length > 0;
  if (kraft) checkKraftRoles(brokerId, voters, isController);
  if (kraft && options.quorumStateStore === undefined) throw new BrokerStartupError('a KRaft node needs a quorum-state store');
  const clusterId = chooseClusterId({ stored: meta?.clusterId ?? null, given: options.clusterId, kraft, isController, newId: () => options.ids.next() });
  if (meta === null || meta.clusterId !== clusterId) options.metaProperties.write({ nodeId: brokerId, clusterId });
  if (!kraft && !isController && options.controllerUrl === undefined) throw new BrokerStartupError('a broker without the controller role needs --controller URL');

  const fatal = (error: unknown) => {
    logger.fatal({ err: error }, 'actor failed');
    throw error;
  };
  const topicConfig = (configs: ReadonlyArray<{ name: string; value: string }>) =>
    // Stored configs were checked when the topic was created; an older release accepted some that are refused now
    // (cleanup.policy=compact, retention.ms), and a topic must still load with them.
    parseConfig('topic', Object.fromEntries(configs.map((entry) => [entry.name, entry.value])), { defaults: topicDefaults(config), allowUnimplemented: true });

  // The server must exist before the router (which answers through it), and it delivers requests to the router.
  const routing: { router?: RequestRouter } = {};
  const server = new RpcServer({
    transport: options.transport,
    logger: logger.child({ actor: 'rpc-server' }),
    maxRequestBytes: config.socketRequestMaxBytes,
    maxQueuedRequestsPerConnection: config.queuedMaxRequests,
    maxQueuedResponseBytesPerConnection: config.queuedMaxResponseBytes,
    idle: { clock, connectionsMaxIdleMs: config.connectionsMaxIdleMs },
    onRequest: (request) => {
      if (routing.router === undefined) throw new Error('request before the router exists');
      routing.router.handle(request);
    },
    onConnectionClosed: (connectionId) => routing.router?.onConnectionClosed(connectionId),
  });
  const clusterSecret = options.clusterSecret ?? `${options.ids.next()}${options.ids.next()}`;
  if (clusterSecret === options.secret) throw new BrokerStartupError('the cluster secret must differ from the clients\' shared secret (--secret-file / KACTOR_SECRET)');
  const listener = await server.listen({
    host: options.host,
    port: options.port,
    secret: options.secret,
    clusterSecret,
    maxConnections: config.maxConnections,
    maxConnectionsPerIp: config.maxConnectionsPerIp,
  });
  const boundPort = portOf(listener.url, options.port);
  // Kafka's clients come in on a second edge, a KafkaListener served by the same router (issue 16); answers find their edge by connection id.
  const kafkaEndpoints = options.serveKafkaClients === true ? kafkaListenerEndpoints(config) : undefined;
  let kafkaEdge: KafkaClientsEdge | undefined;
  if (kafkaEndpoints !== undefined) {
    try {
      kafkaEdge = await startKafkaClientsEdge({
        brokerId,
        endpoints: kafkaEndpoints,
        config,
        logger: logger.child({ actor: 'kafka-listener' }),
        kafkaEndpointOf: (nodeId) => currentImage()?.brokers.find((registered) => registered.brokerId === nodeId)?.kafkaListener,
        onRequest: (request) => {
          if (routing.router === undefined) throw new Error('request before the router exists');
          routing.router.handle(request);
        },
        onConnectionClosed: (connectionId) => routing.router?.onConnectionClosed(connectionId),
      });
    } catch (error) {
      await server.close();
      throw error;
    }
  }
  const responder = kafkaEdge === undefined ? server : kafkaEdge.responderWith(server);
  const advertisedHost = options.advertisedHost ?? options.host;
  const url = options.advertisedHost === undefined ? listener.url : listener.url.replace(/^(\w+:\/\/)[^:/]+/, `$1${advertisedHost}`);
  const peers = new RpcClientPool({
    transport: options.transport,
    clock,
    random: options.random,
    logger: logger.child({ actor: 'peers' }),
    // Peers present the cluster credential: it admits them as cluster members, clients' secret or not.
    secret: clusterSecret,
    requestTimeoutMs: config.requestTimeoutMs,
    reconnectBackoffMs: 50,
    reconnectBackoffMaxMs: 1_000,
    maxInFlightRequests: 5,
    maxQueuedRequests: 1_000,
    maxResponseBytes: config.socketRequestMaxBytes * 2,
  });

  const quorum = kraft
    ? new MetadataQuorum({
        nodeId: brokerId,
        clusterId: clusterId as string,
        voters,
        scheme: url.slice(0, url.indexOf('://')),
        config,
        log: options.logStore.open(METADATA_TOPIC, 0, METADATA_TOPIC_ID, topicConfig([])),
        snapshots: options.logStore.snapshots(METADATA_TOPIC, 0),
        quorumState: options.quorumStateStore as QuorumStateStore,
        clock,
        random: options.random,
        logger,
        peers,
        responder,
        inspect: options.inspect,
        onFatalError: fatal,
      })
    : undefined;

  let controller: ActorRefFrom<typeof controllerMachine> | undefined;
  let metadataLog: MetadataLogWriter | undefined;
  if (isController) {
    let controllerLog: MetadataLog;
    if (quorum !== undefined) controllerLog = quorum.controllerLog();
    else {
      // On a full disk the brokers' lifecycle records wait in memory for space (the node still starts and serves
      // reads); admin changes are refused with KAFKA_STORAGE_ERROR until the log can be written again.
      metadataLog = new MetadataLogWriter(options.logStore.open(METADATA_TOPIC, 0, METADATA_TOPIC_ID, topicConfig([])), {
        clock,
        logger: logger.child({ actor: 'metadata-log' }),
        retryIntervalMs: config.brokerHeartbeatIntervalMs,
        maxDeferredRecords: MAX_DEFERRED_METADATA_RECORDS,
      });
      controllerLog = metadataLog;
    }
    controller = createActor(controllerMachine, {
      id: actorIds.controller(brokerId),
      clock,
      inspect: options.inspect,
      input: {
        controllerId: brokerId,
        clusterId: clusterId as string,
        config: controllerConfigOf(config),
        mode: quorum === undefined ? 'single' : 'quorum',
        ports: {
          clock,
          random: options.random,
          log: controllerLog,
          peers,
          responder,
          logger: logger.child({ actor: 'controller' }),
          topicConfigProblem,
        },
      },
    });
    controller.subscribe({ error: fatal });
    controller.start();
    quorum?.attachController(controller);
  }

  // Where controller requests go: the metadata quorum's leader (none while no leader is known), or the one controller.
  const controllerUrl = (): string | undefined => (quorum !== undefined ? quorum.controllerUrl() : isController ? url : options.controllerUrl);
  const currentImage = () => broker.getSnapshot().context.image;
  const ownBrokerEpoch = () => broker.getSnapshot().context.brokerEpoch;
  const alterPartitions = new AlterPartitionSender({
    brokerId,
    peers,
    logger: logger.child({ actor: 'alter-partition' }),
    controllerUrl,
    brokerEpoch: ownBrokerEpoch,
    answer: (topic, partition, answer) => partitions.answerAlterPartition(topic, partition, answer),
  });
  const partitions = new PartitionHost({
    brokerId,
    logStore: options.logStore,
    clock,
    logger,
    topicConfig,
    replicaLagTimeMaxMs: config.replicaLagTimeMaxMs,
    producerIdExpirationMs: config.producerIdExpirationMs,
    producerIdExpirationCheckIntervalMs: config.producerIdExpirationCheckIntervalMs,
    replicaHighWatermarkCheckpointIntervalMs: config.replicaHighWatermarkCheckpointIntervalMs,
    // KIP-841/KIP-903: only a registered, unfenced broker in its current incarnation may join an ISR.
    isReplicaIsrEligible: (replicaId, replicaEpoch) => {
      const registration = currentImage()?.brokers.find((candidate) => candidate.brokerId === replicaId);
      return registration !== undefined && !registration.fenced && (replicaEpoch === undefined || registration.brokerEpoch === replicaEpoch);
    },
    ownBrokerEpoch,
    onProduceCompleted: (event) => routing.router?.onProduceCompleted(event),
    onPartitionDataChanged: (topic, partition) => routing.router?.onPartitionDataChanged(topic, partition),
    onAlterPartitionRequested: (event) => alterPartitions.send(event),
    onRoleChanged: (event) => fetchers.onRoleChanged(event),
    onFollowerFetchFailed: (event) => fetchers.onFollowerFetchFailed(event),
    onTruncated: (event) => logger.child({ actor: 'replication' }).info({ topic: event.topic, partition: event.partition, truncatedTo: event.truncatedTo }, event.reason),
    onFatalError: fatal,
    inspect: options.inspect,
    offlineRetry: {
      intervalMs: config.brokerHeartbeatIntervalMs,
      reapply: (image) => {
        partitions.applyImage(image);
        groups.onImage(image);
        transactions.onImage(image);
      },
    },
  });

  const fetchers = new ReplicaFetcherManager({
    brokerId,
    clock,
    logger,
    peers,
    config: {
      replicaFetchWaitMaxMs: config.replicaFetchWaitMaxMs,
      replicaFetchMinBytes: config.replicaFetchMinBytes,
      replicaFetchMaxBytes: config.replicaFetchMaxBytes,
      replicaFetchResponseMaxBytes: config.replicaFetchResponseMaxBytes,
      replicaFetchBackoffMs: config.replicaFetchBackoffMs,
    },
    partitions,
    currentImage,
    brokerEpoch: ownBrokerEpoch,
    onFatalError: fatal,
    inspect: options.inspect,
  });

  const groups = new GroupCoordinator({
    brokerId,
    topicConfig: {
      offsetsTopicNumPartitions: config.offsetsTopicNumPartitions,
      offsetsTopicReplicationFactor: config.offsetsTopicReplicationFactor,
      offsetsTopicSegmentBytes: config.offsetsTopicSegmentBytes,
      offsetsCommitTimeoutMs: config.offsetsCommitTimeoutMs,
    },
    limits: {
      groupMinSessionTimeoutMs: config.groupMinSessionTimeoutMs,
      groupMaxSessionTimeoutMs: config.groupMaxSessionTimeoutMs,
      groupMaxSize: config.groupMaxSize,
      groupInitialRebalanceDelayMs: config.groupInitialRebalanceDelayMs,
      offsetMetadataMaxBytes: config.offsetMetadataMaxBytes,
      newMemberJoinTimeoutMs: classicGroupNewMemberJoinTimeoutMs,
    },
    consumerConfig: {
      sessionTimeoutMs: config.groupConsumerSessionTimeoutMs,
      heartbeatIntervalMs: config.groupConsumerHeartbeatIntervalMs,
      maxSize: config.groupConsumerMaxSize,
      assignors: config.groupConsumerAssignors,
    },
    clock,
    logger: logger.child({ actor: 'group-coordinator' }),
    responder,
    ids: options.ids,
    peers,
    controllerUrl,
    partitions,
    currentImage: () => broker.getSnapshot().context.image,
    onFatalError: fatal,
    inspect: options.inspect,
    transactionCoordinator: { findCoordinator: (transactionalId) => transactions.findCoordinator(transactionalId) },
  });

  // The transaction coordinator (issue 13, KIP-98): the same coordinator runtime over __transaction_state.
  const transactions = new TransactionCoordinatorService({
    brokerId,
    topicConfig: {
      transactionStateLogNumPartitions: config.transactionStateLogNumPartitions,
      transactionStateLogReplicationFactor: config.transactionStateLogReplicationFactor,
      transactionStateLogMinIsr: config.transactionStateLogMinIsr,
      transactionStateLogSegmentBytes: config.transactionStateLogSegmentBytes,
      appendTimeoutMs: config.requestTimeoutMs,
    },
    limits: {
      transactionMaxTimeoutMs: config.transactionMaxTimeoutMs,
      offsetsTopicNumPartitions: config.offsetsTopicNumPartitions,
      transactionalIdExpirationMs: config.transactionalIdExpirationMs,
      transactionAbortTimedOutTransactionCleanupIntervalMs: config.transactionAbortTimedOutTransactionCleanupIntervalMs,
      transactionRemoveExpiredTransactionCleanupIntervalMs: config.transactionRemoveExpiredTransactionCleanupIntervalMs,
      retryBackoffMs: 100,
    },
    clock,
    logger: logger.child({ actor: 'transaction-coordinator' }),
    responder,
    peers,
    controllerUrl,
    partitions,
    currentImage,
    generateProducerId: (onDone) => producerIdManager.generateProducerId(onDone),
    sendMarkers: (markers, onAnswers) => markerChannel.send(markers, onAnswers),
    onFatalError: fatal,
    inspect: options.inspect,
  });
  const markerChannel = new TransactionMarkerChannel({ peers, currentImage, logger: logger.child({ actor: 'transaction-markers' }) });

  const broker = createActor(brokerMachine, {
    id: actorIds.broker(brokerId),
    clock,
    inspect: options.inspect,
    input: {
      brokerId,
      incarnationId: options.ids.next(),
      clusterId,
      listener: { name: KACTOR_LISTENER_NAME, host: advertisedHost, port: boundPort, url },
      kafkaListener: kafkaEdge?.advertised,
      rack: options.rack ?? null,
      controllerUrl: quorum !== undefined ? controllerUrl : (controllerUrl() as string),
      config: {
        brokerHeartbeatIntervalMs: config.brokerHeartbeatIntervalMs,
        brokerSessionTimeoutMs: config.brokerSessionTimeoutMs,
        retryBackoffMs: 100,
        retryBackoffMaxMs: 1_000,
      },
      ports: {
        clock,
        logger: logger.child({ actor: 'broker' }),
        peers,
        responder,
        saveClusterId: (id) => options.metaProperties.write({ nodeId: brokerId, clusterId: id }),
      },
    },
  });
  // Partitions follow the image first; then the group coordinator loads the __consumer_offsets partitions it now leads.
  const brokerLogger = logger.child({ actor: 'broker' });
  connectPartitionHost(broker, {
    applyImage: (image) => {
      partitions.applyImage(image);
      groups.onImage(image);
      transactions.onImage(image);
    },
    stopAll: () => {
      groups.closeAll();
      transactions.closeAll();
      fetchers.stopAll();
      partitions.stopAll();
      brokerLogger.info('partitions stopped');
    },
  });
  broker.subscribe({ error: fatal });
  // A KRaft broker follows the committed metadata log as an observer (or voter): its image comes from there, not pushed.
  quorum?.publisher.onImage((image) => broker.send({ type: 'metadata.published', image }));

  // Producer ids for InitProducerId (KIP-730): blocks from the active controller, asked for through the same channel as
  // heartbeats (the controller known at each send), with the broker actor's retry backoff.
  const producerIdManager = new ProducerIdManager({
    brokerId,
    clock,
    logger: logger.child({ actor: 'producer-ids' }),
    peers,
    controllerUrl,
    brokerEpoch: ownBrokerEpoch,
    retryBackoffMs: 100,
    retryBackoffMaxMs: 1_000,
    requestTimeoutMs: config.requestTimeoutMs,
  });

  const autoTopicCreator = config.autoCreateTopicsEnable
    ? new AutoTopicCreator({
        peers,
        controllerUrl,
        logger: logger.child({ actor: 'auto-topic-creation' }),
        requestTimeoutMs: config.requestTimeoutMs,
        // With a quorum the controller moves: a CreateTopics refused with NOT_CONTROLLER is retried at the next leader.
        clock: quorum === undefined ? undefined : clock,
      })
    : undefined;
  const router = new RequestRouter({
    logDir: options.logDir,
    clock,
    logger: logger.child({ actor: 'router' }),
    responder,
    partitions,
    broker,
    currentImage: () => broker.getSnapshot().context.image,
    topicConfigOf: topicConfig,
    autoTopicCreator,
    controller,
    quorum,
    groups,
    producerIds: {
      generator: producerIdManager,
      transactionMaxTimeoutMs: config.transactionMaxTimeoutMs,
      transactional: (ref, body) => transactions.initProducerId(ref, body),
    },
    transactions,
    // WriteTxnMarkers: markers are appended with acks=all within request.timeout.ms, as Kafka's handler does.
    writeTxnMarkers: {
      offsetsTopic: OFFSETS_TOPIC,
      completeGroupTransaction: (partition, marker, onDone) => groups.completeTransaction(partition, marker, onDone),
      writeMarker: (topic, partition, marker, onDone) => partitions.writeTxnMarker(topic, partition, marker, config.requestTimeoutMs, onDone),
    },
    // Every waiting fetch holds an unanswered request of a connection, so this is the bound the RPC server already
    // sets on client connections; it also bounds the purgatory against the brokers' own, which are not counted.
    maxWaitingOperations: config.maxConnections * config.queuedMaxRequests,
    onFatalError: fatal,
  });
  routing.router = router;
  quorum?.start();
  broker.start();

  const lifecycleState = () => {
    const value = broker.getSnapshot().value as { lifecycle: string | Record<string, string> };
    return typeof value.lifecycle === 'string' ? value.lifecycle : Object.keys(value.lifecycle)[0] ?? 'UNKNOWN';
  };

  let closed = false;
  /** A clean release closes the logs (writing the clean-shutdown marker); a crash leaves them as they are. */
  const release = async (clean: boolean) => {
    if (closed) return;
    closed = true;
    router.cancelAllFetches();
    autoTopicCreator?.close();
    producerIdManager.close();
    if (clean) await quorum?.shutdown();
    else quorum?.halt();
    if (clean) controller?.send({ type: 'controller.stop' });
    else controller?.stop();
    metadataLog?.stop();
    peers.close();
    await kafkaEdge?.close();
    await server.close();
    if (clean) options.logStore.close();
  };

  return {
    brokerId,
    url,
    broker,
    controller,
    partitions,
    metadataQuorum: quorum?.host,
    kafkaEndpoint: kafkaEdge?.advertised,
    brokerState: lifecycleState,
    whenRunning: () =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          const state = lifecycleState();
          if (state === 'RUNNING') {
            subscription.unsubscribe();
            resolve();
          } else if (state === 'NOT_RUNNING') {
            subscription.unsubscribe();
            reject(new BrokerStartupError(broker.getSnapshot().context.fatalError ?? 'the broker stopped before it was running'));
          }
        };
        const subscription = broker.subscribe(check);
        check();
      }),
    shutdown: async () => {
      if (broker.getSnapshot().status === 'active') {
        broker.send({ type: 'broker.shutdown' });
        if (quorum === undefined) await toPromise(broker);
        else if (!(await stoppedWithin(broker, clock, config.brokerSessionTimeoutMs))) {
          // A quorum without a majority commits nothing, so the controlled shutdown can never be acknowledged (the
          // last voters of a cluster stopping together): after broker.session.timeout.ms the broker stops anyway.
          logger.warn({ waitedMs: config.brokerSessionTimeoutMs }, 'controlled shutdown not acknowledged by the metadata quorum; stopping anyway');
          groups.closeAll();
          transactions.closeAll();
          fetchers.stopAll();
          partitions.stopAll();
          broker.stop();
        }
      }
      await release(true);
    },
    halt: async () => {
      broker.stop();
      // Partition and group actors are root actors, not the broker's children: without this they would
      // outlive the crash on a shared clock (a dead coordinator expiring sessions and writing records).
      groups.haltAll();
      transactions.haltAll();
      fetchers.stopAll();
      partitions.haltAll();
      await release(false);
    },
  };
}

/** Whether `broker` stopped within `timeoutMs` of `clock`. */
function stoppedWithin(broker: ActorRefFrom<typeof brokerMachine>, clock: Clock, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = clock.setTimeout(() => resolve(false), timeoutMs);
    // Stopped either way, on its own or by a fatal error.
    const stopped = () => {
      clock.clearTimeout(timer);
      resolve(true);
    };
    void toPromise(broker).then(stopped, stopped);
  });
}

function portOf(url: string, fallback: number): number {
  const match = /:(\d+)(?:\/|$)/.exec(url);
  return match ? Number(match[1]) : fallback;
}

/**
 * @kactor/broker: the broker node and its actors (broker lifecycle, controller, partitions, replica fetchers).
 *
 * ```ts
 * const node = await startBrokerNode({ brokerId: 0, host: '127.0.0.1', port: 9100, processRoles: ['broker', 'controller'], ... });
 * await node.whenRunning();
 * ```
 */
export { startBrokerNode, BrokerStartupError, type BrokerNode, type BrokerNodeOptions, type ProcessRole } from './node/broker-node.js';
/** The Kafka binary-protocol listener (issue 16): where a node serves Kafka's own clients. */
export { KafkaListener, type KafkaListenerOptions, type KafkaListenOptions } from './kafka-listener/kafka-listener.js';
export { KAFKA_LISTENER_NAME, kafkaListenerEndpoints, type KafkaListenerEndpoints } from './kafka-listener/listener-endpoints.js';
export type { KafkaEndpoint } from './kafka-listener/apis/adapter.js';
export { FileMetaPropertiesStore, MemoryMetaPropertiesStore, type MetaProperties, type MetaPropertiesStore } from './node/meta-properties.js';
export { brokerMachine } from './broker/broker.machine.js';
export { controllerMachine } from './controller/controller.machine.js';
export { partitionMachine } from './partition/partition.machine.js';
export { replicaFetcherMachine } from './fetcher/replica-fetcher.machine.js';
export { groupMachine } from './coordinator/group.machine.js';
export { consumerGroupMachine } from './coordinator/consumer/consumer-group.machine.js';
export { transactionMachine } from './transaction/transaction.machine.js';
export { placeReplicas } from './controller/placement.js';
export { electLeaderWithIsr, electPreferredLeader, type ElectionOptions, type LeaderElection, type PreferredElection } from './controller/elections.js';
/** The pure replication core (ISR, high watermark, acks, fetch validation, truncation); not wired into the broker yet. */
export * as replication from './replication/index.js';
/** The pure KRaft core (election states, votes, the Raft leader's high watermark, fetch validation); not wired into the broker yet. */
export * as raft from './raft/index.js';
/** One node's KRaft replica of `__cluster_metadata` (issue 12): the Raft statechart over RPC, its durable state and log. */
export {
  RaftReplicaHost,
  RAFT_MAX_FETCH_BYTES,
  type RaftReplicaHostOptions,
  type CommittedMetadata,
  type LeaderChange,
  type ReplicaProgress,
} from './quorum/raft-replica-host.js';
export { NotLeaderError } from './quorum/not-leader-error.js';

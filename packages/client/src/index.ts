/**
 * @kactor/client: Kafka's Java clients, for kactor clusters. Settings keep Kafka's names and defaults.
 *
 * ```ts
 * import { Admin, Consumer, Producer, requireSuccess } from '@kactor/client';
 *
 * const admin = Admin.create({ 'bootstrap.servers': '127.0.0.1:9101' });
 * requireSuccess(await admin.createTopics([{ name: 'orders', numPartitions: 6 }]));
 *
 * const producer = Producer.create({ 'bootstrap.servers': '127.0.0.1:9101', acks: 'all', 'linger.ms': 5 });
 * const { partition, offset } = await producer.send({ topic: 'orders', key: 'customer-42', value: '{"total":12}' });
 * await producer.close();
 *
 * const reader = Consumer.create({ 'bootstrap.servers': '127.0.0.1:9101', 'auto.offset.reset': 'earliest' });
 * reader.assign([{ topic: 'orders', partition }]);
 * for (const record of await reader.poll(1_000)) console.log(record.offset, new TextDecoder().decode(record.value!));
 * await reader.close();
 * admin.close();
 * ```
 *
 * A consumer group: members share the partitions of the topics they subscribe to; poll() joins, runs the
 * rebalance listener and heartbeats on; the group's committed offsets say where a member resumes.
 * Committed offsets are the next offset to read (the consumer's position).
 *
 * At-least-once (process, then commit): a crash between the two means the records are read again, never lost.
 * ```ts
 * const consumer = Consumer.create({ 'bootstrap.servers': '127.0.0.1:9101', 'group.id': 'billing', 'enable.auto.commit': false });
 * consumer.subscribe(['orders'], { onPartitionsRevoked: () => consumer.commitSync() });
 * for (;;) {
 *   const records = await consumer.poll(1_000);
 *   for (const record of records) await charge(record);
 *   if (records.length > 0) await consumer.commitSync(); // throws CommitFailedError if the group moved on
 * }
 * ```
 * (With `enable.auto.commit` left true, Kafka's default, the same holds: positions are committed during the
 * next poll(), before a rebalance and on close, so only what earlier polls returned is ever committed.)
 *
 * At-most-once (commit, then process): a crash after the commit skips the records, never repeats them.
 * ```ts
 * const consumer = Consumer.create({ 'bootstrap.servers': '127.0.0.1:9101', 'group.id': 'alerts', 'enable.auto.commit': false });
 * consumer.subscribe(['orders']);
 * for (;;) {
 *   const records = await consumer.poll(1_000);
 *   if (records.length === 0) continue;
 *   await consumer.commitSync(); // the positions after these records
 *   for (const record of records) await notify(record);
 * }
 * ```
 *
 * Lifecycle events for tooling: `consumer.on('event', (event) => ...)` delivers
 * `{ type: 'state', from, to, generation, protocol }`, `{ type: 'assigned' | 'revoked' | 'lost', partitions, generation }`
 * and `{ type: 'rebalance', record }` when one of the member's rebalances ends (all kept: `consumer.rebalances()`).
 *
 * Every client takes an optional `ClientRuntime` (clock, random, ids, transport, logger) as its second
 * argument: `systemClientRuntime()` by default; a SimulatedClock and a MemoryTransport (with
 * `urlScheme: 'memory'`) run the same clients deterministically inside a simulation.
 */
export { systemClientRuntime, type ClientRuntime, type SystemClientRuntimeOptions } from './client-runtime.js';
export { resolveClientConfig, type ClientConfigInput, type ClientScope, type ResolvedClientConfig } from './client-config.js';
export {
  CommitFailedError,
  IllegalStateError,
  KafkaClientError,
  LogTruncationError,
  NoOffsetForPartitionError,
  ProducerFencedError,
  RebalanceInProgressError,
  RebalanceListenerError,
  RecordTooLargeError,
  TransactionAbortedError,
  TransactionalIdNotFoundError,
} from './errors.js';
export type { DivergentOffset } from './errors.js';
export { formatTopicPartition, type TopicPartition } from './topic-partition.js';

export { ClusterClient, type ClusterClientOptions } from './network/cluster-client.js';
export { ClusterMetadata, type BrokerNode, type PartitionLeader, type PartitionMetadata, type TopicMetadata } from './network/cluster-metadata.js';
export { isStaleMetadataError } from './network/stale-metadata.js';
export { callWithRetries, type CallWithRetriesOptions } from './network/call-with-retries.js';
export { decideRetry, type RetryContext, type RetryDecision } from './network/retry-decision.js';

export { Admin } from './admin/admin.js';
export { requireSuccess } from './admin/require-success.js';
export { NoQuorumLeaderError, type QuorumInfo, type QuorumReplicaState, type UnreachableQuorumLeader } from './admin/metadata-quorum.js';
export type {
  AdminCallOptions,
  BrokerDescription,
  ClusterDescription,
  ConfigEntry,
  ConfigSource,
  CreatePartitionsOptions,
  CreatePartitionsResult,
  CreateTopicResult,
  CreateTopicsOptions,
  DeleteTopicResult,
  ElectionType,
  ElectLeadersResult,
  ListTopicsOptions,
  NewPartitions,
  NewTopic,
  PartitionDescription,
  TopicConfigDescription,
  TopicDescription,
  TopicListing,
  TopicResult,
} from './admin/admin-types.js';
export type {
  GroupDescription,
  GroupListing,
  GroupType,
  GroupMemberDescription,
  GroupOffsets,
  GroupResult,
  MemberToRemove,
  PartitionResult,
  GroupRebalanceRecord,
  RemoveMembersResult,
  DeleteGroupOffsetsResult,
} from './admin/group-admin-types.js';
export type { ListOffsetsResult, OffsetSpec } from './admin/offset-admin.js';
export type { ListTransactionsOptions, TransactionDescription, TransactionListing, TransactionStateName } from './admin/transaction-admin-types.js';

export { Producer, type ProducerCloseOptions } from './producer/producer.js';
export { keyedPartition, StickyPartitioner } from './producer/partitioner.js';
export type { ProducerRecord, ProducerRecordHeader, ProducerRecordHeaders, RecordBytes, RecordMetadata } from './producer/producer-types.js';

export { Consumer, type ConsumerCallOptions, type PositionOptions } from './consumer/consumer.js';
export type { ConsumerEvent, ConsumerEventHandler, ConsumerRebalanceListener } from './consumer/consumer-events.js';
export { CooperativeAssignmentViolationError, FencedInstanceIdError, NoCommonRebalanceProtocolError } from './consumer/group/group-errors.js';
export { GroupMaxSizeReachedError, UnreleasedInstanceIdError, UnsupportedAssignorError } from './consumer/group/consumer-protocol/membership-errors.js';
export { MAX_REBALANCE_RECORDS, type RebalanceRecord, type RebalanceTrigger } from './consumer/group/rebalance-record.js';
export type { RebalanceProtocol } from './consumer/group/cooperative.js';
export type { CommitCallback } from './consumer/group/consumer-coordinator.js';
export type { CommittedOffset, TopicPartitionOffset } from './consumer/group/group-offsets.js';
export type { ConsumerGroupStateName } from './consumer/group/group-types.js';
export type { ConsumerMemberStateName, GroupProtocol, MembershipStateName } from './consumer/group/group-membership.js';
export { consumerGroupMachine } from './consumer/group/consumer-group.machine.js';
export { consumerMembershipMachine } from './consumer/group/consumer-protocol/consumer-membership.machine.js';
export { producerMachine } from './producer/producer.machine.js';
export { transactionManagerMachine } from './producer/transaction-manager.machine.js';
export { findGroupCoordinator, type GroupCoordinator } from './network/find-coordinator.js';
export { NotAssignedError, SubscriptionState, type AutoOffsetReset, type OffsetResetStrategy } from './consumer/subscription-state.js';
export type { ConsumerGroupMetadata, ConsumerRecord, ConsumerRecordHeader } from './consumer/consumer-types.js';

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
 * const consumer = Consumer.create({ 'bootstrap.servers': '127.0.0.1:9101', 'auto.offset.reset': 'earliest' });
 * consumer.assign([{ topic: 'orders', partition }]);
 * for (const record of await consumer.poll(1_000)) console.log(record.offset, new TextDecoder().decode(record.value!));
 * await consumer.close();
 * admin.close();
 * ```
 *
 * Every client takes an optional `ClientRuntime` (clock, random, ids, transport, logger) as its second
 * argument: `systemClientRuntime()` by default; a SimulatedClock and a MemoryTransport (with
 * `urlScheme: 'memory'`) run the same clients deterministically inside a simulation.
 */
export { systemClientRuntime, type ClientRuntime, type SystemClientRuntimeOptions } from './client-runtime.js';
export { resolveClientConfig, type ClientConfigInput, type ClientScope, type ResolvedClientConfig } from './client-config.js';
export { IllegalStateError, KafkaClientError, NoOffsetForPartitionError } from './errors.js';
export { formatTopicPartition, type TopicPartition } from './topic-partition.js';

export { ClusterClient, type ClusterClientOptions } from './network/cluster-client.js';
export { ClusterMetadata, type BrokerNode, type PartitionLeader, type PartitionMetadata, type TopicMetadata } from './network/cluster-metadata.js';
export { isStaleMetadataError } from './network/stale-metadata.js';
export { callWithRetries, type CallWithRetriesOptions } from './network/call-with-retries.js';
export { decideRetry, type RetryContext, type RetryDecision } from './network/retry-decision.js';

export { Admin } from './admin/admin.js';
export { requireSuccess } from './admin/require-success.js';
export type {
  AdminCallOptions,
  BrokerDescription,
  ClusterDescription,
  CreatePartitionsOptions,
  CreatePartitionsResult,
  CreateTopicResult,
  CreateTopicsOptions,
  DeleteTopicResult,
  ListTopicsOptions,
  NewPartitions,
  NewTopic,
  PartitionDescription,
  TopicDescription,
  TopicListing,
  TopicResult,
} from './admin/admin-types.js';

export { Producer, type ProducerCloseOptions } from './producer/producer.js';
export { keyedPartition, StickyPartitioner } from './producer/partitioner.js';
export type { ProducerRecord, ProducerRecordHeader, ProducerRecordHeaders, RecordBytes, RecordMetadata } from './producer/producer-types.js';

export { Consumer, type PositionOptions } from './consumer/consumer.js';
export { NotAssignedError, SubscriptionState, type AutoOffsetReset, type OffsetResetStrategy } from './consumer/subscription-state.js';
export type { ConsumerRecord, ConsumerRecordHeader } from './consumer/consumer-types.js';

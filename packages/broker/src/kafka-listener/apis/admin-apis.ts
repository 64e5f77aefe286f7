/** The admin, transaction and KIP-848 APIs (CreateTopics, DeleteTopics, CreatePartitions, DescribeConfigs, DescribeCluster, AddPartitionsToTxn, AddOffsetsToTxn, EndTxn, TxnOffsetCommit, ConsumerGroupHeartbeat, ConsumerGroupDescribe), one adapter each, served by the Kafka listener. */
import type { AnyKafkaApiAdapter } from './adapter.js';

export const adminApiAdapters: readonly AnyKafkaApiAdapter[] = [];

/** The admin, transaction and KIP-848 APIs (CreateTopics, DeleteTopics, CreatePartitions, DescribeConfigs, DescribeCluster, AddPartitionsToTxn, AddOffsetsToTxn, EndTxn, TxnOffsetCommit, ConsumerGroupHeartbeat, ConsumerGroupDescribe), one adapter each, served by the Kafka listener. */
import { eraseAdapter, type AnyKafkaApiAdapter } from './adapter.js';
import { addOffsetsToTxnAdapter } from './add-offsets-to-txn.js';
import { addPartitionsToTxnAdapter } from './add-partitions-to-txn.js';
import { consumerGroupDescribeAdapter } from './consumer-group-describe.js';
import { consumerGroupHeartbeatAdapter } from './consumer-group-heartbeat.js';
import { createPartitionsAdapter } from './create-partitions.js';
import { createTopicsAdapter } from './create-topics.js';
import { deleteTopicsAdapter } from './delete-topics.js';
import { describeClusterAdapter } from './describe-cluster.js';
import { describeConfigsAdapter } from './describe-configs.js';
import { endTxnAdapter } from './end-txn.js';
import { txnOffsetCommitAdapter } from './txn-offset-commit.js';

export const adminApiAdapters: readonly AnyKafkaApiAdapter[] = [
  eraseAdapter(createTopicsAdapter),
  eraseAdapter(deleteTopicsAdapter),
  eraseAdapter(createPartitionsAdapter),
  eraseAdapter(describeConfigsAdapter),
  eraseAdapter(describeClusterAdapter),
  eraseAdapter(addPartitionsToTxnAdapter),
  eraseAdapter(addOffsetsToTxnAdapter),
  eraseAdapter(endTxnAdapter),
  eraseAdapter(txnOffsetCommitAdapter),
  eraseAdapter(consumerGroupHeartbeatAdapter),
  eraseAdapter(consumerGroupDescribeAdapter),
];

/**
 * Metadata (Kafka api key 3): brokers, the controller, and per partition the leader, replicas and ISR.
 * Clients bootstrap from any broker and learn where each partition's leader is.
 */
import { z } from 'zod';
import { boundedArray, brokerIds, int16, int32, kafkaString, nullableString } from './primitives.js';
import { wireLimits } from './wire-limits.js';

export const metadataRequestV0 = z.strictObject({
  /** Topics to describe; null means every topic. */
  topics: boundedArray(kafkaString, wireLimits.maxTopicsPerRequest).nullable(),
  /** Create missing topics (only when the broker's auto.create.topics.enable is true). */
  allowAutoTopicCreation: z.boolean(),
});

export const metadataBroker = z.strictObject({
  nodeId: int32,
  host: kafkaString,
  port: int32,
  /** The address clients connect to (`ws://127.0.0.1:9101`, or `memory://...` in simulations). */
  url: kafkaString,
  rack: nullableString,
});

export const metadataPartition = z.strictObject({
  errorCode: int16,
  partitionIndex: int32,
  /** -1 when the partition has no leader (offline). */
  leaderId: int32,
  leaderEpoch: int32,
  replicaNodes: brokerIds,
  isrNodes: brokerIds,
  offlineReplicas: brokerIds,
});

export const metadataTopic = z.strictObject({
  errorCode: int16,
  name: kafkaString,
  topicId: nullableString,
  isInternal: z.boolean(),
  partitions: boundedArray(metadataPartition, wireLimits.maxPartitionsPerTopicInRequest),
});

export const metadataResponseV0 = z.strictObject({
  throttleTimeMs: int32,
  clusterId: nullableString,
  /** -1 when no controller is known. */
  controllerId: int32,
  brokers: boundedArray(metadataBroker, wireLimits.maxBrokers),
  /** Every topic when the request asked for all (topics: null): as many as clients created. */
  topics: boundedArray(metadataTopic, wireLimits.maxListedEntries),
});

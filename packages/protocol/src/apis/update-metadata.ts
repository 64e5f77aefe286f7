/**
 * UpdateMetadata (Kafka api key 6): the controller pushes its whole metadata image to a broker after every
 * change. (KRaft brokers replicate the metadata log instead; a pushed image keeps propagation immediate
 * and simple for a single controller, and heartbeats repair a missed push.) Images carry the metadata log
 * offset they reflect, and brokers ignore older ones.
 */
import { z } from 'zod';
import { boundedArray, brokerIds, int16, int32, int64, kafkaString, nullableString } from './primitives.js';
import { wireLimits } from './wire-limits.js';

export const metadataImageBroker = z.strictObject({
  brokerId: int32,
  brokerEpoch: int64,
  host: kafkaString,
  port: int32,
  url: kafkaString,
  rack: nullableString,
  fenced: z.boolean(),
  /**
   * Where the broker serves Kafka's own clients (its advertised PLAINTEXT listener, issue 16), for the Metadata
   * and FindCoordinator answers of every broker's Kafka listener; absent when it serves none.
   */
  kafkaListener: z.strictObject({ host: kafkaString, port: int32 }).optional(),
});

export const metadataImagePartition = z.strictObject({
  partitionIndex: int32,
  /** -1 when no replica can lead. */
  leader: int32,
  leaderEpoch: int32,
  partitionEpoch: int32,
  replicas: brokerIds,
  isr: brokerIds,
});

export const metadataImageTopic = z.strictObject({
  name: kafkaString,
  topicId: kafkaString,
  isInternal: z.boolean(),
  configs: boundedArray(z.strictObject({ name: kafkaString, value: kafkaString }), wireLimits.maxConfigsPerTopic),
  partitions: boundedArray(metadataImagePartition, wireLimits.maxPartitionsPerTopicInRequest),
});

export const metadataImage = z.strictObject({
  clusterId: kafkaString,
  controllerId: int32,
  /** Offset of the last metadata record reflected in this image. */
  metadataOffset: int64,
  brokers: boundedArray(metadataImageBroker, wireLimits.maxBrokers),
  /** Every topic of the cluster: as many as clients created. */
  topics: boundedArray(metadataImageTopic, wireLimits.maxListedEntries),
});

export const updateMetadataRequestV0 = z.strictObject({
  controllerId: int32,
  /** The epoch of the receiving broker's registration, so a restarted broker ignores images meant for its predecessor. */
  brokerEpoch: int64,
  image: metadataImage,
});

export const updateMetadataResponseV0 = z.strictObject({
  errorCode: int16,
  errorMessage: nullableString,
});

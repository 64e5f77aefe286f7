/**
 * Fields the KRaft quorum APIs share (KIP-595, with KIP-853's directory ids and endpoints): a replica's log
 * directory id, the endpoints a leader announces, and the endpoints an answer gives for the leaders it names.
 * Directory ids are optional, as Kafka's are ignorable: a static quorum (`controller.quorum.voters`) has none,
 * and Kafka reads an absent one as its zero UUID.
 */
import { z } from 'zod';
import { boundedArray, int32, int64, kafkaString } from './primitives.js';
import { wireLimits } from './wire-limits.js';

/** Kafka's Uuid as it prints one (URL-safe base64 of 16 bytes: 22 characters). */
export const kafkaUuid = z.string().regex(/^[A-Za-z0-9_-]{22}$/, { message: 'expected a Kafka UUID (22 URL-safe base64 characters)' });

/** A TCP port: Kafka's uint16. */
export const port = z.int().min(0).max(65_535);

/** One listener of a node: its name (`CONTROLLER`), host and port (Kafka's LeaderEndpoint / Listener). */
export const namedEndpoint = z.strictObject({ name: kafkaString, host: kafkaString, port });

/** The listeners one node announces, bounded by `wireLimits.maxEndpointsPerNode`. */
export const namedEndpoints = boundedArray(namedEndpoint, wireLimits.maxEndpointsPerNode);

/**
 * Where to reach the leaders an answer names (Kafka's tagged NodeEndpoints): a replica that learns of a new
 * leader from an answer can fetch from it at once.
 */
export const nodeEndpoints = boundedArray(z.strictObject({ nodeId: int32, host: kafkaString, port }), wireLimits.maxBrokers);

/**
 * A metadata snapshot's id (KIP-630): the offset it ends at (exclusive) and the epoch of the record before it.
 * A Fetch answer names one when the fetcher must read the snapshot (FetchSnapshot) instead of the log.
 */
export const snapshotId = z.strictObject({ endOffset: int64, epoch: int32 });

/**
 * Kafka's values for the quorum fields when they are absent: the zero UUID (no directory id), no endpoints,
 * and -1 for an unknown leader, epoch, offset or time.
 */
export const quorumFieldDefaults = {
  directoryId: 'AAAAAAAAAAAAAAAAAAAAAA',
  unknown: -1,
} as const;

/**
 * The topics-and-partitions frame every quorum API carries its fields in (Kafka's messages allow several topics,
 * though the metadata quorum is one partition, `__cluster_metadata-0`): `partition` is one partition's fields.
 */
export function quorumTopics<const Shape extends z.ZodRawShape>(partition: Shape) {
  return boundedArray(
    z.strictObject({
      topicName: kafkaString,
      partitions: boundedArray(z.strictObject(partition), wireLimits.maxPartitionsPerTopicInRequest),
    }),
    wireLimits.maxTopicsPerRequest,
  );
}

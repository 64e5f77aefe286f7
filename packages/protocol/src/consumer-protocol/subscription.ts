/**
 * `ConsumerProtocolSubscription`, the JoinGroup metadata of a consumer (non-flexible versions 0-3):
 *
 * ```
 * version           INT16
 * topics            [STRING]                                  v0+
 * user_data         NULLABLE_BYTES                            v0+
 * owned_partitions  [topic STRING, partitions [INT32]]        v1+  (KIP-429)
 * generation_id     INT32, default -1                         v2+  (KIP-792)
 * rack_id           NULLABLE_STRING, default null             v3+  (KIP-881)
 * ```
 *
 * Readers accept any version from 0 up: they read the fields they know and ignore whatever follows, so
 * a newer member can join a group led by an older one (Kafka's compatibility rule for this schema:
 * new versions only append fields).
 */
import { ClassicReader, decodeWith, readVersion } from './reader.js';
import {
  CONSUMER_PROTOCOL_LATEST_VERSION,
  type ConsumerProtocolDecodeResult,
  type ConsumerProtocolSubscription,
  type ConsumerProtocolSubscriptionInput,
  type ConsumerProtocolTopicPartitions,
} from './types.js';
import {
  ClassicWriter,
  checkInt32,
  encodableVersion,
  sizeOfBytes,
  sizeOfString,
  sizeOfTopicPartitionsArray,
} from './writer.js';

/**
 * The subscription's bytes at `version` (default 3; newer versions are written as 3, fields a version
 * lacks are left out). Like Kafka's `ConsumerProtocol.serializeSubscription`, topics are written sorted
 * and owned partitions sorted by topic then partition, one entry per topic, so the bytes equal Kafka's.
 */
export function encodeSubscription(
  subscription: ConsumerProtocolSubscriptionInput,
  version: number = CONSUMER_PROTOCOL_LATEST_VERSION,
): Uint8Array {
  const writtenVersion = encodableVersion(version, CONSUMER_PROTOCOL_LATEST_VERSION, 'subscription');
  const topics = [...subscription.topics].sort();
  const userData = subscription.userData ?? null;
  const ownedPartitions = writtenVersion >= 1 ? sortedByTopicThenPartition(subscription.ownedPartitions ?? []) : [];
  const generationId = checkInt32(subscription.generationId ?? -1, 'generation_id');
  const rackId = subscription.rackId ?? null;

  let size = 2 + 4 + sizeOfBytes(userData);
  for (const topic of topics) size += sizeOfString(topic, 'topic');
  if (writtenVersion >= 1) size += sizeOfTopicPartitionsArray(ownedPartitions, 'owned_partitions');
  if (writtenVersion >= 2) size += 4;
  if (writtenVersion >= 3) size += sizeOfString(rackId, 'rack_id');

  const writer = new ClassicWriter(size);
  writer.int16(writtenVersion);
  writer.stringArray(topics);
  writer.nullableBytes(userData);
  if (writtenVersion >= 1) writer.topicPartitionsArray(ownedPartitions);
  if (writtenVersion >= 2) writer.int32(generationId);
  if (writtenVersion >= 3) writer.string(rackId);
  return writer.finish();
}

/** Reads subscription bytes; never throws on input, whatever it holds. */
export function decodeSubscription(bytes: Uint8Array): ConsumerProtocolDecodeResult<ConsumerProtocolSubscription> {
  return decodeWith(() => {
    const reader = new ClassicReader(bytes);
    const version = readVersion(reader, 'subscription');
    const topics = reader.stringArray('topics');
    const userData = reader.nullableBytes('user_data');
    const ownedPartitions = version >= 1 ? reader.topicPartitionsArray('owned_partitions') : [];
    const generationId = version >= 2 ? reader.int32('generation_id') : -1;
    const rackId = version >= 3 ? reader.nullableString('rack_id') : null;
    return { version, value: { topics, userData, ownedPartitions, generationId, rackId } };
  });
}

/**
 * Entries sorted by topic with each topic's partitions merged into one sorted entry: the order Kafka's
 * encoder writes (it flattens, sorts by topic then partition, and starts an entry at each new topic).
 */
function sortedByTopicThenPartition(
  entries: readonly ConsumerProtocolTopicPartitions[],
): ConsumerProtocolTopicPartitions[] {
  const byTopic = new Map<string, number[]>();
  for (const entry of entries) {
    const partitions = byTopic.get(entry.topic);
    if (partitions === undefined) byTopic.set(entry.topic, [...entry.partitions]);
    else partitions.push(...entry.partitions);
  }
  return [...byTopic.keys()].sort().map((topic) => ({
    topic,
    partitions: byTopic.get(topic)!.sort((a, b) => a - b),
  }));
}

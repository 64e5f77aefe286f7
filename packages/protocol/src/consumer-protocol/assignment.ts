/**
 * `ConsumerProtocolAssignment`, what the leader hands each member through SyncGroup (non-flexible; all
 * of versions 0-3 share one layout, the version only follows the subscription's):
 *
 * ```
 * version              INT16
 * assigned_partitions  [topic STRING, partitions [INT32]]
 * user_data            NULLABLE_BYTES
 * ```
 *
 * An empty byte string is a legal, empty assignment: the coordinator sends one to every member the
 * leader gave nothing to.
 */
import { ClassicReader, decodeWith, readVersion } from './reader.js';
import {
  CONSUMER_PROTOCOL_LATEST_VERSION,
  type ConsumerProtocolAssignment,
  type ConsumerProtocolAssignmentInput,
  type ConsumerProtocolDecodeResult,
  type ConsumerProtocolTopicPartitions,
} from './types.js';
import { ClassicWriter, encodableVersion, sizeOfBytes, sizeOfTopicPartitionsArray } from './writer.js';

/**
 * The assignment's bytes at `version` (default 3; newer versions are written as 3). As Kafka's
 * `ConsumerProtocol.serializeAssignment` does, entries of the same topic are merged into the first one,
 * and topics and partitions otherwise keep the order given (assignors hand them over sorted).
 */
export function encodeAssignment(
  assignment: ConsumerProtocolAssignmentInput,
  version: number = CONSUMER_PROTOCOL_LATEST_VERSION,
): Uint8Array {
  const writtenVersion = encodableVersion(version, CONSUMER_PROTOCOL_LATEST_VERSION, 'assignment');
  const assignedPartitions = mergedByTopic(assignment.assignedPartitions);
  const userData = assignment.userData ?? null;
  const writer = new ClassicWriter(
    2 + sizeOfTopicPartitionsArray(assignedPartitions, 'assigned_partitions') + sizeOfBytes(userData),
  );
  writer.int16(writtenVersion);
  writer.topicPartitionsArray(assignedPartitions);
  writer.nullableBytes(userData);
  return writer.finish();
}

/**
 * Reads assignment bytes; never throws on input. Empty bytes read as an empty version-0 assignment.
 * Bytes after the known fields (a newer version's additions) are ignored.
 */
export function decodeAssignment(bytes: Uint8Array): ConsumerProtocolDecodeResult<ConsumerProtocolAssignment> {
  if (bytes.length === 0) return { ok: true, version: 0, value: { assignedPartitions: [], userData: null } };
  return decodeWith(() => {
    const reader = new ClassicReader(bytes);
    const version = readVersion(reader, 'assignment');
    const assignedPartitions = reader.topicPartitionsArray('assigned_partitions');
    const userData = reader.nullableBytes('user_data');
    return { version, value: { assignedPartitions, userData } };
  });
}

function mergedByTopic(entries: readonly ConsumerProtocolTopicPartitions[]): readonly ConsumerProtocolTopicPartitions[] {
  const seen = new Set<string>();
  let hasRepeatedTopic = false;
  for (const entry of entries) {
    if (seen.has(entry.topic)) hasRepeatedTopic = true;
    seen.add(entry.topic);
  }
  if (!hasRepeatedTopic) return entries;
  const byTopic = new Map<string, number[]>();
  for (const entry of entries) {
    const partitions = byTopic.get(entry.topic);
    if (partitions === undefined) byTopic.set(entry.topic, [...entry.partitions]);
    else partitions.push(...entry.partitions);
  }
  return [...byTopic].map(([topic, partitions]) => ({ topic, partitions }));
}

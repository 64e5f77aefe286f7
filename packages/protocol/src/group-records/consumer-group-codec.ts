/**
 * KIP-848's consumer group records in Kafka's byte layout (group-coordinator's ConsumerGroup*Key/Value.json, written by
 * its CoordinatorRecordSerde). The key starts with the record type as an INT16 (3 to 8) followed by the key's fields in
 * the classic encoding; the value starts with its version (0, the only one) and is flexible:
 *
 * ```
 * 3 ConsumerGroupMetadata            key group | value epoch i32, tags {0: metadataHash i64}
 * 4 ConsumerGroupPartitionMetadata   key group | value topics [topicId uuid, topicName, numPartitions i32,
 *                                                        partitionMetadata [partition i32, racks [string]]]
 * 5 ConsumerGroupMemberMetadata      key group, member | value instanceId?, rackId?, clientId, clientHost,
 *                                      subscribedTopicNames [string], subscribedTopicRegex?, rebalanceTimeoutMs i32,
 *                                      serverAssignor?, tags {0: classicMemberMetadata}
 * 6 ConsumerGroupTargetAssignmentMetadata  key group | value assignmentEpoch i32, tags {0: assignmentTimestamp i64}
 * 7 ConsumerGroupTargetAssignmentMember    key group, member | value topicPartitions [topicId uuid, partitions [i32]]
 * 8 ConsumerGroupCurrentMemberAssignment   key group, member | value memberEpoch i32, previousMemberEpoch i32,
 *                                      state i8, assignedPartitions, partitionsPendingRevocation
 *                                      (both [topicId uuid, partitions [i32], tags {0: assignmentEpochs}])
 * ```
 *
 * Fields kactor does not keep (the deprecated racks per partition, a classic member's metadata, per-partition
 * assignment epochs) are read past; kactor writes the racks as an empty list and never writes the other two.
 */
import { type ClassicReader, ConsumerProtocolReadError } from '../consumer-protocol/reader.js';
import { ClassicWriter, sizeOfString } from '../consumer-protocol/writer.js';
import { FlexibleReader, FlexibleWriter } from './flexible.js';
import type { ConsumerGroupMemberMetadataValue, ConsumerGroupPartitionMetadataTopic, ConsumerGroupRecord, TopicIdPartitions } from './types.js';

/** Kafka's coordinator record types, which lead every key. */
export const CONSUMER_GROUP_RECORD_TYPES = {
  ConsumerGroupMetadata: 3,
  ConsumerGroupPartitionMetadata: 4,
  ConsumerGroupMemberMetadata: 5,
  ConsumerGroupTargetAssignmentMetadata: 6,
  ConsumerGroupTargetAssignmentMember: 7,
  ConsumerGroupCurrentMemberAssignment: 8,
} as const satisfies Record<ConsumerGroupRecord['type'], number>;

type ConsumerGroupRecordType = ConsumerGroupRecord['type'];
const TYPE_BY_NUMBER = new Map<number, ConsumerGroupRecordType>(
  Object.entries(CONSUMER_GROUP_RECORD_TYPES).map(([name, number]) => [number, name as ConsumerGroupRecordType]),
);
const VALUE_VERSION = 0;
const TAG_METADATA_HASH = 0;
const TAG_ASSIGNMENT_TIMESTAMP = 0;

export const isConsumerGroupRecord = (record: { type: string }): record is ConsumerGroupRecord => Object.hasOwn(CONSUMER_GROUP_RECORD_TYPES, record.type);

export function encodeConsumerGroupRecordKey(record: ConsumerGroupRecord): Uint8Array {
  const memberId = 'memberId' in record ? record.memberId : null;
  const writer = new ClassicWriter(2 + sizeOfString(record.groupId, 'group') + (memberId === null ? 0 : sizeOfString(memberId, 'memberId')));
  writer.int16(CONSUMER_GROUP_RECORD_TYPES[record.type]);
  writer.string(record.groupId);
  if (memberId !== null) writer.string(memberId);
  return writer.finish();
}

/** The value bytes of a record that is not a tombstone. */
export function encodeConsumerGroupRecordValue(record: ConsumerGroupRecord & { value: object }): Uint8Array {
  const writer = new FlexibleWriter();
  writer.int16(VALUE_VERSION);
  const where = `group ${record.groupId}`;
  switch (record.type) {
    case 'ConsumerGroupMetadata': {
      const { epoch, metadataHash } = record.value;
      writer.int32(epoch, 'epoch');
      // Tagged fields are written only when they differ from their default, as Kafka's generated writers do.
      writer.taggedFields(metadataHash === undefined || metadataHash === 0n ? [] : [[TAG_METADATA_HASH, (inner) => inner.bigInt64(metadataHash)]]);
      break;
    }
    case 'ConsumerGroupPartitionMetadata':
      writer.compactArrayLength(record.value.topics.length);
      for (const topic of record.value.topics) writePartitionMetadataTopic(writer, topic, where);
      writer.taggedFields([]);
      break;
    case 'ConsumerGroupMemberMetadata':
      writeMemberMetadata(writer, record.value);
      break;
    case 'ConsumerGroupTargetAssignmentMetadata': {
      const { assignmentEpoch, assignmentTimestampMs } = record.value;
      writer.int32(assignmentEpoch, 'assignmentEpoch');
      writer.taggedFields(
        assignmentTimestampMs === undefined || assignmentTimestampMs === 0 ? [] : [[TAG_ASSIGNMENT_TIMESTAMP, (inner) => inner.int64(assignmentTimestampMs, 'assignmentTimestamp')]],
      );
      break;
    }
    case 'ConsumerGroupTargetAssignmentMember':
      writeTopicIdPartitions(writer, record.value.topicPartitions, `target assignment of member ${record.memberId} in ${where}`);
      writer.taggedFields([]);
      break;
    case 'ConsumerGroupCurrentMemberAssignment': {
      const value = record.value;
      writer.int32(value.memberEpoch, 'memberEpoch');
      writer.int32(value.previousMemberEpoch, 'previousMemberEpoch');
      writer.int8(value.state, 'state');
      writeTopicIdPartitions(writer, value.assignedPartitions, `assigned partitions of member ${record.memberId} in ${where}`);
      writeTopicIdPartitions(writer, value.partitionsPendingRevocation, `partitions pending revocation of member ${record.memberId} in ${where}`);
      writer.taggedFields([]);
      break;
    }
  }
  return writer.finish();
}

function writePartitionMetadataTopic(writer: FlexibleWriter, topic: ConsumerGroupPartitionMetadataTopic, where: string): void {
  writer.uuid(topic.topicId, `the topic id of ${topic.topicName} in the partition metadata of ${where}`);
  writer.compactString(topic.topicName, 'topicName');
  writer.int32(topic.numPartitions, 'numPartitions');
  // The racks per partition: deprecated since Kafka 4.0, written empty.
  writer.compactArrayLength(0);
  writer.taggedFields([]);
}

function writeMemberMetadata(writer: FlexibleWriter, value: ConsumerGroupMemberMetadataValue): void {
  writer.compactString(value.instanceId, 'instanceId');
  writer.compactString(value.rackId, 'rackId');
  writer.compactString(value.clientId, 'clientId');
  writer.compactString(value.clientHost, 'clientHost');
  writer.compactArrayLength(value.subscribedTopicNames.length);
  for (const name of value.subscribedTopicNames) writer.compactString(name, 'subscribedTopicNames');
  writer.compactString(value.subscribedTopicRegex, 'subscribedTopicRegex');
  writer.int32(value.rebalanceTimeoutMs, 'rebalanceTimeoutMs');
  writer.compactString(value.serverAssignor, 'serverAssignor');
  writer.taggedFields([]);
}

function writeTopicIdPartitions(writer: FlexibleWriter, entries: readonly TopicIdPartitions[], where: string): void {
  writer.compactArrayLength(entries.length);
  for (const entry of entries) {
    writer.uuid(entry.topicId, `the topic id in the ${where}`);
    writer.compactArrayLength(entry.partitions.length);
    for (const partition of entry.partitions) writer.int32(partition, 'partition');
    writer.taggedFields([]);
  }
}

/** Reads a consumer group record's key after its type, and its value unless it is a tombstone; undefined for other types. */
export function decodeConsumerGroupRecord(recordType: number, keyReader: ClassicReader, value: Uint8Array | null): ConsumerGroupRecord | undefined {
  const type = TYPE_BY_NUMBER.get(recordType);
  if (type === undefined) return undefined;
  const groupId = keyReader.string('group');
  const reader = value === null ? null : new FlexibleReader(value);
  if (reader !== null) {
    // Version 0 is the only one Kafka has; its generated readers refuse others, and so does kactor.
    const version = reader.int16('value version');
    if (version !== VALUE_VERSION) throw new ConsumerProtocolReadError({ kind: 'UNSUPPORTED_VERSION', message: `${type} value version ${version} is not ${VALUE_VERSION}`, position: 0 });
  }
  switch (type) {
    case 'ConsumerGroupMetadata':
      return { type, groupId, value: reader && readGroupMetadata(reader) };
    case 'ConsumerGroupPartitionMetadata':
      return { type, groupId, value: reader && readPartitionMetadata(reader) };
    case 'ConsumerGroupMemberMetadata':
      return { type, groupId, memberId: keyReader.string('memberId'), value: reader && readMemberMetadata(reader) };
    case 'ConsumerGroupTargetAssignmentMetadata':
      return { type, groupId, value: reader && readTargetAssignmentMetadata(reader) };
    case 'ConsumerGroupTargetAssignmentMember': {
      const memberId = keyReader.string('memberId');
      if (reader === null) return { type, groupId, memberId, value: null };
      const topicPartitions = readTopicIdPartitions(reader, 'topicPartitions');
      reader.taggedFields('value');
      return { type, groupId, memberId, value: { topicPartitions } };
    }
    case 'ConsumerGroupCurrentMemberAssignment':
      return { type, groupId, memberId: keyReader.string('memberId'), value: reader && readCurrentMemberAssignment(reader) };
  }
}

function readGroupMetadata(reader: FlexibleReader): { epoch: number; metadataHash?: bigint } {
  const value: { epoch: number; metadataHash?: bigint } = { epoch: reader.int32('epoch') };
  reader.taggedFields('value', (tag, inner) => {
    if (tag !== TAG_METADATA_HASH) return false;
    const hash = inner.bigInt64('metadataHash');
    if (hash !== 0n) value.metadataHash = hash;
    return true;
  });
  return value;
}

function readPartitionMetadata(reader: FlexibleReader): { topics: ConsumerGroupPartitionMetadataTopic[] } {
  // A topic takes at least its 16-byte id, a name length, 4 bytes of partition count, a racks length and a tag count.
  const count = reader.compactArrayLength('topics', 23);
  const topics: ConsumerGroupPartitionMetadataTopic[] = [];
  for (let index = 0; index < count; index += 1) {
    const topicId = reader.uuid('topicId');
    const topicName = reader.compactString('topicName');
    const numPartitions = reader.int32('numPartitions');
    // The deprecated racks per partition: each entry a partition, a racks length and a tag count at least.
    const racksCount = reader.compactArrayLength('partitionMetadata', 6);
    for (let rack = 0; rack < racksCount; rack += 1) {
      reader.int32('partitionMetadata.partition');
      reader.compactStringArray('partitionMetadata.racks');
      reader.taggedFields('partitionMetadata');
    }
    reader.taggedFields('topics');
    topics.push({ topicId, topicName, numPartitions });
  }
  reader.taggedFields('value');
  return { topics };
}

function readMemberMetadata(reader: FlexibleReader): ConsumerGroupMemberMetadataValue {
  const value: ConsumerGroupMemberMetadataValue = {
    instanceId: reader.compactNullableString('instanceId'),
    rackId: reader.compactNullableString('rackId'),
    clientId: reader.compactString('clientId'),
    clientHost: reader.compactString('clientHost'),
    subscribedTopicNames: reader.compactStringArray('subscribedTopicNames'),
    subscribedTopicRegex: reader.compactNullableString('subscribedTopicRegex'),
    rebalanceTimeoutMs: reader.int32('rebalanceTimeoutMs'),
    serverAssignor: reader.compactNullableString('serverAssignor'),
  };
  // Tag 0 is a classic member's metadata (a member that joined with JoinGroup), which kactor does not keep.
  reader.taggedFields('value');
  return value;
}

function readTargetAssignmentMetadata(reader: FlexibleReader): { assignmentEpoch: number; assignmentTimestampMs?: number } {
  const value: { assignmentEpoch: number; assignmentTimestampMs?: number } = { assignmentEpoch: reader.int32('assignmentEpoch') };
  reader.taggedFields('value', (tag, inner) => {
    if (tag !== TAG_ASSIGNMENT_TIMESTAMP) return false;
    const timestampMs = inner.int64('assignmentTimestamp');
    if (timestampMs !== 0) value.assignmentTimestampMs = timestampMs;
    return true;
  });
  return value;
}

function readCurrentMemberAssignment(reader: FlexibleReader) {
  const memberEpoch = reader.int32('memberEpoch');
  const previousMemberEpoch = reader.int32('previousMemberEpoch');
  const state = reader.int8('state');
  const assignedPartitions = readTopicIdPartitions(reader, 'assignedPartitions');
  const partitionsPendingRevocation = readTopicIdPartitions(reader, 'partitionsPendingRevocation');
  reader.taggedFields('value');
  return { memberEpoch, previousMemberEpoch, state, assignedPartitions, partitionsPendingRevocation };
}

function readTopicIdPartitions(reader: FlexibleReader, field: string): TopicIdPartitions[] {
  // An entry takes at least its 16-byte id, a partitions length and a tag count.
  const count = reader.compactArrayLength(field, 18);
  const entries: TopicIdPartitions[] = [];
  for (let index = 0; index < count; index += 1) {
    const topicId = reader.uuid(`${field}.topicId`);
    const partitions = reader.int32Array(`${field}.partitions`);
    // Tag 0 is Kafka 4.3's assignment epoch per partition, which kactor does not keep.
    reader.taggedFields(field);
    entries.push({ topicId, partitions });
  }
  return entries;
}

/**
 * The byte layout of group records, Kafka's own so that `__consumer_offsets` reads like Kafka's. Keys start
 * with a version that names the record type (0 and 1: an offset commit, 2: group metadata; 3 to 8: KIP-848's
 * consumer group records, in consumer-group-codec.ts); values start with their schema version.
 *
 * ```
 * OffsetCommitKey v1    version i16, group STRING, topic STRING, partition i32
 * OffsetCommitValue v3  version i16, offset i64, leaderEpoch i32, metadata STRING, commitTimestamp i64
 * GroupMetadataKey v2   version i16, group STRING
 * GroupMetadataValue v3 version i16, protocolType STRING, generation i32, protocol NULLABLE_STRING,
 *                       leader NULLABLE_STRING, currentStateTimestamp i64,
 *                       members [memberId STRING, groupInstanceId NULLABLE_STRING, clientId STRING,
 *                                clientHost STRING, rebalanceTimeout i32, sessionTimeout i32,
 *                                subscription BYTES, assignment BYTES]
 * ```
 */
import { ClassicReader, ConsumerProtocolReadError } from '../consumer-protocol/reader.js';
import { ClassicWriter, sizeOfBytes, sizeOfString } from '../consumer-protocol/writer.js';
import { decodeConsumerGroupRecord, encodeConsumerGroupRecordKey, encodeConsumerGroupRecordValue, isConsumerGroupRecord } from './consumer-group-codec.js';
import type { GroupMetadataValue, GroupRecord, OffsetCommitValue } from './types.js';

const OFFSET_COMMIT_KEY_VERSION = 1;
const GROUP_METADATA_KEY_VERSION = 2;
const OFFSET_COMMIT_VALUE_VERSION = 3;
const GROUP_METADATA_VALUE_VERSION = 3;

/**
 * The key bytes. Consumer group records name topics by id: one that is not a Kafka UUID (a topic made by an older
 * kactor) throws `GroupRecordEncodeError` naming it, from the value.
 */
export function encodeGroupRecordKey(record: GroupRecord): Uint8Array {
  if (isConsumerGroupRecord(record)) return encodeConsumerGroupRecordKey(record);
  if (record.type === 'OffsetCommit') {
    const writer = new ClassicWriter(2 + sizeOfString(record.groupId, 'group') + sizeOfString(record.topic, 'topic') + 4);
    writer.int16(OFFSET_COMMIT_KEY_VERSION);
    writer.string(record.groupId);
    writer.string(record.topic);
    writer.int32(record.partition);
    return writer.finish();
  }
  const writer = new ClassicWriter(2 + sizeOfString(record.groupId, 'group'));
  writer.int16(GROUP_METADATA_KEY_VERSION);
  writer.string(record.groupId);
  return writer.finish();
}

/** The value bytes, or null for a tombstone. */
export function encodeGroupRecordValue(record: GroupRecord): Uint8Array | null {
  if (record.value === null) return null;
  if (record.type === 'OffsetCommit') return encodeOffsetCommitValue(record.value);
  if (record.type === 'GroupMetadata') return encodeGroupMetadataValue(record.value);
  return encodeConsumerGroupRecordValue(record as typeof record & { value: object });
}

function encodeOffsetCommitValue(value: OffsetCommitValue): Uint8Array {
  const writer = new ClassicWriter(2 + 8 + 4 + sizeOfString(value.metadata, 'metadata') + 8);
  writer.int16(OFFSET_COMMIT_VALUE_VERSION);
  writer.int64(value.offset);
  writer.int32(value.leaderEpoch);
  writer.string(value.metadata);
  writer.int64(value.commitTimestampMs);
  return writer.finish();
}

function encodeGroupMetadataValue(value: GroupMetadataValue): Uint8Array {
  let size = 2 + sizeOfString(value.protocolType, 'protocolType') + 4 + sizeOfString(value.protocolName, 'protocol') + sizeOfString(value.leaderId, 'leader') + 8 + 4;
  for (const member of value.members) {
    size +=
      sizeOfString(member.memberId, 'memberId') +
      sizeOfString(member.groupInstanceId, 'groupInstanceId') +
      sizeOfString(member.clientId, 'clientId') +
      sizeOfString(member.clientHost, 'clientHost') +
      8 +
      sizeOfBytes(member.subscription) +
      sizeOfBytes(member.assignment);
  }
  const writer = new ClassicWriter(size);
  writer.int16(GROUP_METADATA_VALUE_VERSION);
  writer.string(value.protocolType);
  writer.int32(value.generationId);
  writer.string(value.protocolName);
  writer.string(value.leaderId);
  writer.int64(value.currentStateTimestampMs);
  writer.int32(value.members.length);
  for (const member of value.members) {
    writer.string(member.memberId);
    writer.string(member.groupInstanceId);
    writer.string(member.clientId);
    writer.string(member.clientHost);
    writer.int32(member.rebalanceTimeoutMs);
    writer.int32(member.sessionTimeoutMs);
    writer.nullableBytes(member.subscription);
    writer.nullableBytes(member.assignment);
  }
  return writer.finish();
}

export type DecodedGroupRecord = { ok: true; record: GroupRecord } | { ok: false; reason: string };

/**
 * Decodes one record of `__consumer_offsets`. Records of types kactor does not know (share and streams groups,
 * KIP-848's regular expressions) and malformed ones come back as `ok: false` with the reason, never as an exception.
 */
export function decodeGroupRecord(key: Uint8Array, value: Uint8Array | null): DecodedGroupRecord {
  try {
    const keyReader = new ClassicReader(key);
    const keyVersion = keyReader.int16('key version');
    if (keyVersion === 0 || keyVersion === 1) {
      const groupId = keyReader.string('group');
      const topic = keyReader.string('topic');
      const partition = keyReader.int32('partition');
      return { ok: true, record: { type: 'OffsetCommit', groupId, topic, partition, value: value === null ? null : decodeOffsetCommitValue(value) } };
    }
    if (keyVersion === GROUP_METADATA_KEY_VERSION) {
      const groupId = keyReader.string('group');
      return { ok: true, record: { type: 'GroupMetadata', groupId, value: value === null ? null : decodeGroupMetadataValue(value) } };
    }
    const consumerGroupRecord = decodeConsumerGroupRecord(keyVersion, keyReader, value);
    if (consumerGroupRecord !== undefined) return { ok: true, record: consumerGroupRecord };
    return { ok: false, reason: `record key version ${keyVersion} is not an offset commit, group metadata or consumer group record` };
  } catch (error) {
    if (error instanceof ConsumerProtocolReadError) return { ok: false, reason: error.message };
    throw error;
  }
}

function decodeOffsetCommitValue(bytes: Uint8Array): OffsetCommitValue {
  const reader = new ClassicReader(bytes);
  const version = reader.int16('value version');
  const offset = reader.int64('offset');
  const leaderEpoch = version >= 3 ? reader.int32('leaderEpoch') : -1;
  const metadata = reader.string('metadata');
  const commitTimestampMs = reader.int64('commitTimestamp');
  return { offset, leaderEpoch, metadata, commitTimestampMs };
}

function decodeGroupMetadataValue(bytes: Uint8Array): GroupMetadataValue {
  const reader = new ClassicReader(bytes);
  const version = reader.int16('value version');
  const protocolType = reader.string('protocolType');
  const generationId = reader.int32('generation');
  const protocolName = reader.nullableString('protocol');
  const leaderId = reader.nullableString('leader');
  const currentStateTimestampMs = version >= 2 ? reader.int64('currentStateTimestamp') : -1;
  // Each member takes at least four 2-byte string lengths, a 4-byte session timeout and two 4-byte lengths.
  const count = reader.arrayLength('members', 20);
  const members: GroupMetadataValue['members'] = [];
  for (let index = 0; index < count; index += 1) {
    const memberId = reader.string('memberId');
    const groupInstanceId = version >= 3 ? reader.nullableString('groupInstanceId') : null;
    const clientId = reader.string('clientId');
    const clientHost = reader.string('clientHost');
    const rebalanceTimeoutMs = version >= 1 ? reader.int32('rebalanceTimeout') : -1;
    const sessionTimeoutMs = reader.int32('sessionTimeout');
    const subscription = reader.nullableBytes('subscription') ?? new Uint8Array(0);
    const assignment = reader.nullableBytes('assignment') ?? new Uint8Array(0);
    members.push({ memberId, groupInstanceId, clientId, clientHost, rebalanceTimeoutMs: rebalanceTimeoutMs < 0 ? sessionTimeoutMs : rebalanceTimeoutMs, sessionTimeoutMs, subscription, assignment });
  }
  return { protocolType, generationId, protocolName, leaderId, currentStateTimestampMs, members };
}

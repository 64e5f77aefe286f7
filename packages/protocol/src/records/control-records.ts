/**
 * Kafka's control records (`ControlRecordType.java`, KIP-98 and KIP-595): records inside a batch whose
 * control bit (attributes bit 5, `ATTRIBUTE_CONTROL`) is set. They carry the log's own bookkeeping, not
 * application data: transaction markers (ABORT, COMMIT) and KRaft's start-of-epoch and snapshot records.
 * Consumers never hand them to the application; readers tell them apart with `isControlBatch`.
 *
 * Each control record's key is four bytes and its value the control message:
 *
 * ```
 * key    version int16 (0), type int16 (see CONTROL_RECORD_TYPES)
 * value  the message of that type, e.g. a LeaderChangeMessage (leader-change-message.ts)
 * ```
 *
 * Kafka reads keys with a version above 0 by their first four bytes and tolerates trailing bytes (a newer
 * writer may extend the key), and it maps unknown types to UNKNOWN rather than failing: we do the same, so
 * a reader can skip control records it does not understand.
 */
import type { RecordBatchHeader } from './batch-header.js';
import { ATTRIBUTE_CONTROL } from './batch-layout.js';
import { readInt16BE, writeInt16BE } from './bytes.js';
import type { DecodedRecord } from './record-reader.js';
import { encodeRecordBatch } from './record-batch.js';

/** Kafka's control record type ids. */
export const CONTROL_RECORD_TYPES = {
  /** A transaction was aborted (KIP-98). */
  ABORT: 0,
  /** A transaction was committed (KIP-98). */
  COMMIT: 1,
  /** A KRaft leader's first record of its epoch (KIP-595): a LeaderChangeMessage. */
  LEADER_CHANGE: 2,
  /** The first record of a KRaft snapshot (KIP-630). */
  SNAPSHOT_HEADER: 3,
  /** The last record of a KRaft snapshot (KIP-630). */
  SNAPSHOT_FOOTER: 4,
  /** The quorum's kraft.version (KIP-853). */
  KRAFT_VERSION: 5,
  /** The quorum's voter set (KIP-853). */
  KRAFT_VOTERS: 6,
} as const;

export type ControlRecordTypeName = keyof typeof CONTROL_RECORD_TYPES;

/** The key version Kafka writes (`ControlRecordType.CURRENT_CONTROL_RECORD_KEY_VERSION`). */
export const CONTROL_RECORD_KEY_VERSION = 0;
/** version int16 + type int16. */
export const CONTROL_RECORD_KEY_SIZE = 4;

const TYPE_NAMES_BY_ID = new Map<number, ControlRecordTypeName>(
  Object.entries(CONTROL_RECORD_TYPES).map(([name, id]) => [id, name as ControlRecordTypeName]),
);

/**
 * A control record whose bytes break the format (short key, negative version, missing value, a message that
 * does not parse). `error` is Kafka's INVALID_RECORD (87): the batch's CRC held, its content does not.
 */
export class ControlRecordError extends Error {
  override readonly name = 'ControlRecordError';
  readonly error = 'INVALID_RECORD' as const;
  readonly errorCode = 87;
}

/** Whether a batch (a decoded batch or a header read with `readBatchHeader`) holds control records. */
export function isControlBatch(batch: Pick<RecordBatchHeader, 'attributes'>): boolean {
  return (batch.attributes & ATTRIBUTE_CONTROL) !== 0;
}

export function encodeControlRecordKey(type: ControlRecordTypeName): Uint8Array {
  const key = new Uint8Array(CONTROL_RECORD_KEY_SIZE);
  writeInt16BE(key, 0, CONTROL_RECORD_KEY_VERSION);
  writeInt16BE(key, 2, CONTROL_RECORD_TYPES[type]);
  return key;
}

export interface ControlRecordKey {
  version: number;
  /** The type id as written. */
  typeId: number;
  /** Kafka's name for it, or 'UNKNOWN' for an id this version does not know (skip such records). */
  type: ControlRecordTypeName | 'UNKNOWN';
}

export function decodeControlRecordKey(key: Uint8Array | null): ControlRecordKey {
  if (key === null) throw new ControlRecordError('a control record has a null key');
  if (key.length < CONTROL_RECORD_KEY_SIZE) {
    throw new ControlRecordError(
      `a control record key needs at least ${CONTROL_RECORD_KEY_SIZE} bytes but has ${key.length}`,
    );
  }
  const version = readInt16BE(key, 0);
  if (version < 0) throw new ControlRecordError(`a control record key has the negative version ${version}`);
  const typeId = readInt16BE(key, 2);
  return { version, typeId, type: TYPE_NAMES_BY_ID.get(typeId) ?? 'UNKNOWN' };
}

export interface ControlRecordInput {
  type: ControlRecordTypeName;
  /** The encoded control message, e.g. `encodeLeaderChangeMessage(...)`. */
  value: Uint8Array;
}

export interface EncodeControlBatchOptions {
  records: readonly ControlRecordInput[];
  /** The records' CreateTime, milliseconds since the epoch (from the injected clock). */
  timestampMs: number;
  baseOffset?: number;
  /** The writer's leader epoch (a KRaft leader stamps its own epoch). */
  partitionLeaderEpoch?: number;
  /** Transaction markers carry the transaction's producer id and epoch and are transactional; KRaft's are not. */
  producerId?: number;
  producerEpoch?: number;
  isTransactional?: boolean;
}

/**
 * One control batch (attributes bit 5 set, baseSequence -1) holding `records` in order, as Kafka's
 * `MemoryRecordsBuilder` writes it for control records.
 */
export function encodeControlBatch(options: EncodeControlBatchOptions): Uint8Array {
  if (options.records.length === 0) throw new RangeError('a control batch needs at least one control record');
  return encodeRecordBatch({
    records: options.records.map((record) => ({
      key: encodeControlRecordKey(record.type),
      value: record.value,
      timestamp: options.timestampMs,
    })),
    ...(options.baseOffset === undefined ? {} : { baseOffset: options.baseOffset }),
    ...(options.partitionLeaderEpoch === undefined ? {} : { partitionLeaderEpoch: options.partitionLeaderEpoch }),
    ...(options.producerId === undefined ? {} : { producerId: options.producerId }),
    ...(options.producerEpoch === undefined ? {} : { producerEpoch: options.producerEpoch }),
    isTransactional: options.isTransactional ?? false,
    isControl: true,
  });
}

export interface DecodedControlRecord extends ControlRecordKey {
  offset: number;
  timestamp: number;
  /** The control message's bytes (a view into the batch), to be decoded by type. */
  value: Uint8Array;
}

/** Reads a record of a control batch (one from `decodeRecordBatches` whose batch `isControl`). */
export function decodeControlRecord(record: DecodedRecord): DecodedControlRecord {
  const key = decodeControlRecordKey(record.key);
  if (record.value === null) throw new ControlRecordError(`the ${key.type} control record at offset ${record.offset} has no value`);
  return { ...key, offset: record.offset, timestamp: record.timestamp, value: record.value };
}

/** The control records of a decoded control batch; throws if the batch is a data batch. */
export function decodeControlBatch(batch: Pick<RecordBatchHeader, 'attributes' | 'baseOffset'> & { records: readonly DecodedRecord[] }): DecodedControlRecord[] {
  if (!isControlBatch(batch)) throw new ControlRecordError(`the batch at offset ${batch.baseOffset} is a data batch, not a control batch`);
  return batch.records.map(decodeControlRecord);
}

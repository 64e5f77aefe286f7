/**
 * The byte layout of transaction log records, Kafka's own so that `__transaction_state` reads like Kafka's
 * (TransactionLog.scala, TransactionLogKey.json, TransactionLogValue.json). The key starts with version 0 (the
 * coordinator record type of a transaction log record), the value with its schema version.
 *
 * ```
 * TransactionLogKey v0    version i16, transactionalId STRING
 * TransactionLogValue v0  version i16, producerId i64, producerEpoch i16, transactionTimeoutMs i32, transactionStatus i8,
 *                         transactionPartitions NULLABLE [topic STRING, partitionIds [i32]],
 *                         transactionLastUpdateTimestampMs i64, transactionStartTimestampMs i64
 * TransactionLogValue v1  the same fields, flexible: compact arrays and strings (unsigned varint N+1), tagged fields
 *                         after each partitions entry and at the end: 0 previousProducerId i64, 1 nextProducerId i64,
 *                         2 clientTransactionVersion i16 (each written only when not its default)
 * ```
 *
 * Kafka writes v0 until transaction.version 1 turns on flexible records; so does kactor, unless a value carries one of
 * the tagged fields (KIP-890's producer ids or client transaction version), which only v1 can hold.
 */
import { ByteReader, ByteWriter } from '../records/byte-cursor.js';
import { readUtf8, utf8Length } from '../records/utf8.js';
import { TRANSACTION_STATUS_IDS, type TransactionLogPartitions, type TransactionLogRecord, type TransactionLogValue, type TransactionStatus } from './types.js';

export const TRANSACTION_LOG_KEY_VERSION = 0;
const HIGHEST_VALUE_VERSION = 1;
const NO_PRODUCER_ID = -1;
const MAX_STRING_BYTES = 0x7fff;
const TAG_PREVIOUS_PRODUCER_ID = 0;
const TAG_NEXT_PRODUCER_ID = 1;
const TAG_CLIENT_TRANSACTION_VERSION = 2;

const STATUS_BY_ID = new Map<number, TransactionStatus>(Object.entries(TRANSACTION_STATUS_IDS).map(([name, id]) => [id, name as TransactionStatus]));

/** A value or key the layout cannot carry (a string over 32767 UTF-8 bytes, a non-integer): a bug in the caller. */
export class TransactionRecordEncodeError extends Error {
  override readonly name = 'TransactionRecordEncodeError';
}

/** The shared growing writer (records/byte-cursor.ts) with the transaction log's strings; its integers are not checked (the values are the coordinator's own). */
class GrowingWriter extends ByteWriter {
  int8(value: number): void {
    this.putInt8(value);
  }

  int32(value: number): void {
    this.putInt32(value);
  }

  int64(value: number): void {
    this.putInt64(value);
  }

  /** A STRING (INT16 length) or, when `compact`, a COMPACT_STRING (unsigned varint length + 1). */
  string(value: string, field: string, compact: boolean): void {
    const length = utf8Length(value);
    if (length > MAX_STRING_BYTES) throw new TransactionRecordEncodeError(`${field} is ${length} UTF-8 bytes, more than the ${MAX_STRING_BYTES} a string can hold`);
    if (compact) this.unsignedVarint(length + 1);
    else this.int16(length);
    this.putUtf8(value, length);
  }
}

export function encodeTransactionLogKey(record: Pick<TransactionLogRecord, 'transactionalId'>): Uint8Array {
  const writer = new GrowingWriter();
  writer.int16(TRANSACTION_LOG_KEY_VERSION);
  writer.string(record.transactionalId, 'transactionalId', false);
  return writer.finish();
}

/** The value bytes, or null for a tombstone. */
export function encodeTransactionLogValue(record: TransactionLogRecord): Uint8Array | null {
  const value = record.value;
  if (value === null) return null;
  for (const [field, number] of Object.entries(value)) {
    if (typeof number === 'number' && !Number.isSafeInteger(number)) throw new TransactionRecordEncodeError(`${field} ${number} is not an integer`);
  }
  if (value.transactionStatus === 'Empty' && value.transactionPartitions.length > 0) {
    throw new TransactionRecordEncodeError(`transaction ${record.transactionalId} is Empty but lists partitions`);
  }
  const flexible = value.previousProducerId !== NO_PRODUCER_ID || value.nextProducerId !== NO_PRODUCER_ID || value.clientTransactionVersion !== 0;
  const writer = new GrowingWriter();
  writer.int16(flexible ? 1 : 0);
  writer.int64(value.producerId);
  writer.int16(value.producerEpoch);
  writer.int32(value.transactionTimeoutMs);
  writer.int8(TRANSACTION_STATUS_IDS[value.transactionStatus]);
  writePartitions(writer, value.transactionStatus === 'Empty' ? null : value.transactionPartitions, flexible);
  writer.int64(value.transactionLastUpdateTimestampMs);
  writer.int64(value.transactionStartTimestampMs);
  if (flexible) writeTaggedFields(writer, value);
  return writer.finish();
}

function writePartitions(writer: GrowingWriter, partitions: readonly TransactionLogPartitions[] | null, flexible: boolean): void {
  const writeLength = (length: number | null) => {
    if (flexible) writer.unsignedVarint(length === null ? 0 : length + 1);
    else writer.int32(length ?? -1);
  };
  writeLength(partitions === null ? null : partitions.length);
  for (const entry of partitions ?? []) {
    writer.string(entry.topic, 'topic', flexible);
    writeLength(entry.partitionIds.length);
    for (const partition of entry.partitionIds) writer.int32(partition);
    if (flexible) writer.unsignedVarint(0);
  }
}

function writeTaggedFields(writer: GrowingWriter, value: TransactionLogValue): void {
  const tags: Array<() => void> = [];
  if (value.previousProducerId !== NO_PRODUCER_ID) tags.push(() => writeTag(TAG_PREVIOUS_PRODUCER_ID, 8, () => writer.int64(value.previousProducerId)));
  if (value.nextProducerId !== NO_PRODUCER_ID) tags.push(() => writeTag(TAG_NEXT_PRODUCER_ID, 8, () => writer.int64(value.nextProducerId)));
  if (value.clientTransactionVersion !== 0) tags.push(() => writeTag(TAG_CLIENT_TRANSACTION_VERSION, 2, () => writer.int16(value.clientTransactionVersion)));
  writer.unsignedVarint(tags.length);
  for (const write of tags) write();

  function writeTag(tag: number, size: number, writeValue: () => void): void {
    writer.unsignedVarint(tag);
    writer.unsignedVarint(size);
    writeValue();
  }
}

export type DecodedTransactionRecord = { ok: true; record: TransactionLogRecord } | { ok: false; reason: string };

class TransactionRecordReadError extends Error {}

/** The shared checked reader (records/byte-cursor.ts) with the transaction log's strings and arrays; a problem throws TransactionRecordReadError. */
class Reader extends ByteReader {
  constructor(bytes: Uint8Array) {
    super(bytes, (problem) => new TransactionRecordReadError(problem.message));
  }

  string(field: string, compact: boolean): string {
    const length = compact ? this.unsignedVarint(field) - 1 : this.int16(field);
    if (length < 0) throw new TransactionRecordReadError(`non-nullable field ${field} was serialized as null`);
    const at = this.need(length, field);
    return readUtf8(this.bytes, at, at + length);
  }

  /** An array's element count (null as -1), refused when the remaining bytes cannot hold that many of `minElementBytes`. */
  arrayLength(field: string, minElementBytes: number, compact: boolean): number {
    const count = compact ? this.unsignedVarint(field) - 1 : this.int32(field);
    if (count > this.remaining / minElementBytes) throw new TransactionRecordReadError(`${field} declares ${count} elements but only ${this.remaining} bytes remain`);
    return count < 0 ? -1 : count;
  }
}

/**
 * Decodes one record of `__transaction_state`. Keys of other record types and malformed bytes come back as
 * `ok: false` with the reason, never as an exception.
 */
export function decodeTransactionLogRecord(key: Uint8Array, value: Uint8Array | null): DecodedTransactionRecord {
  try {
    const keyReader = new Reader(key);
    const keyVersion = keyReader.int16('key version');
    if (keyVersion !== TRANSACTION_LOG_KEY_VERSION) return { ok: false, reason: `record key version ${keyVersion} is not a transaction log record` };
    const transactionalId = keyReader.string('transactionalId', false);
    return { ok: true, record: { transactionalId, value: value === null ? null : decodeValue(value) } };
  } catch (error) {
    if (error instanceof TransactionRecordReadError) return { ok: false, reason: error.message };
    throw error;
  }
}

function decodeValue(bytes: Uint8Array): TransactionLogValue {
  const reader = new Reader(bytes);
  const version = reader.int16('value version');
  if (version < 0 || version > HIGHEST_VALUE_VERSION) throw new TransactionRecordReadError(`unknown transaction log value version ${version}`);
  const flexible = version >= 1;
  const producerId = reader.int64('producerId');
  const producerEpoch = reader.int16('producerEpoch');
  const transactionTimeoutMs = reader.int32('transactionTimeoutMs');
  const statusId = reader.int8('transactionStatus');
  const transactionStatus = STATUS_BY_ID.get(statusId);
  if (transactionStatus === undefined) throw new TransactionRecordReadError(`unknown transaction status ${statusId}`);
  // Each entry holds at least a topic length and a partitions length.
  const count = reader.arrayLength('transactionPartitions', flexible ? 3 : 6, flexible);
  const transactionPartitions: TransactionLogPartitions[] = [];
  for (let index = 0; index < count; index += 1) {
    const topic = reader.string('topic', flexible);
    const partitionCount = reader.arrayLength('partitionIds', 4, flexible);
    if (partitionCount < 0) throw new TransactionRecordReadError('non-nullable field partitionIds was serialized as null');
    const partitionIds: number[] = [];
    for (let partition = 0; partition < partitionCount; partition += 1) partitionIds.push(reader.int32('partitionIds'));
    if (flexible) skipTaggedFields(reader, 'partitions entry');
    transactionPartitions.push({ topic, partitionIds });
  }
  const value: TransactionLogValue = {
    producerId,
    previousProducerId: NO_PRODUCER_ID,
    nextProducerId: NO_PRODUCER_ID,
    producerEpoch,
    transactionTimeoutMs,
    transactionStatus,
    // Kafka ignores the partitions of an Empty transaction (TransactionLog.readTxnRecordValue).
    transactionPartitions: transactionStatus === 'Empty' ? [] : transactionPartitions,
    transactionLastUpdateTimestampMs: reader.int64('transactionLastUpdateTimestampMs'),
    transactionStartTimestampMs: reader.int64('transactionStartTimestampMs'),
    clientTransactionVersion: 0,
  };
  if (flexible) readValueTaggedFields(reader, value);
  return value;
}

function skipTaggedFields(reader: Reader, where: string): void {
  const count = taggedFieldCount(reader, where);
  for (let index = 0; index < count; index += 1) {
    reader.unsignedVarint(`${where} tag`);
    reader.skip(reader.unsignedVarint(`${where} tagged field size`), `${where} tagged field`);
  }
}

/** A tag and a size take a byte each at least: a count the remaining bytes cannot hold is refused. */
function taggedFieldCount(reader: Reader, where: string): number {
  const count = reader.unsignedVarint(`${where} tagged field count`);
  if (count > reader.remaining / 2) throw new TransactionRecordReadError(`${where} declares ${count} tagged fields but only ${reader.remaining} bytes remain`);
  return count;
}

function readValueTaggedFields(reader: Reader, value: TransactionLogValue): void {
  const count = taggedFieldCount(reader, 'value');
  for (let index = 0; index < count; index += 1) {
    const tag = reader.unsignedVarint('tag');
    const size = reader.unsignedVarint('tagged field size');
    if (tag === TAG_PREVIOUS_PRODUCER_ID && size === 8) value.previousProducerId = reader.int64('previousProducerId');
    else if (tag === TAG_NEXT_PRODUCER_ID && size === 8) value.nextProducerId = reader.int64('nextProducerId');
    else if (tag === TAG_CLIENT_TRANSACTION_VERSION && size === 2) value.clientTransactionVersion = reader.int16('clientTransactionVersion');
    // Unknown tags are skipped, as Kafka's generated readers do.
    else reader.skip(size, `tagged field ${tag}`);
  }
}

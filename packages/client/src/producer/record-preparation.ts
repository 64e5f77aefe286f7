/**
 * Checks a record given to send() and turns it into what the accumulator appends: key, value and
 * header values as bytes (strings in UTF-8), the record's size, and Kafka's size checks against
 * max.request.size and buffer.memory (RecordTooLargeException is MESSAGE_TOO_LARGE).
 */
import type { ProducerConfig, RecordHeaderInput, RecordInput } from '@kactor/protocol';
import { RecordTooLargeError } from '../errors.js';
import type { ProducerRecord, ProducerRecordHeaders, RecordBytes } from './producer-types.js';
import { recordBatchSizeUpperBound, recordFixedBytes, recordSizeUpperBound } from './record-size.js';

export interface PreparedRecord {
  readonly topic: string;
  readonly partition: number | undefined;
  readonly keyBytes: Uint8Array | null;
  readonly input: RecordInput;
  readonly fixedBytes: number;
  /** buffer.memory held while the record is queued or in flight. */
  readonly reservedBytes: number;
}

/** Throws TypeError/RangeError for a malformed record, RecordTooLargeError (MESSAGE_TOO_LARGE) for one too large to send. */
export function prepareRecord(record: ProducerRecord, config: Pick<ProducerConfig, 'maxRequestSize' | 'bufferMemory'>, nowMs: number): PreparedRecord {
  if (typeof record !== 'object' || record === null) throw new TypeError('send() needs a record');
  const { topic, partition, timestamp } = record;
  if (typeof topic !== 'string' || topic === '') throw new TypeError('a record needs a non-empty topic');
  if (partition !== undefined && (!Number.isInteger(partition) || partition < 0)) {
    throw new RangeError(`partition must be an integer >= 0, got ${String(partition)}`);
  }
  if (timestamp !== undefined && (!Number.isSafeInteger(timestamp) || timestamp < 0)) {
    throw new RangeError(`timestamp must be a non-negative integer (ms since the epoch), got ${String(timestamp)}`);
  }
  const keyBytes = toBytes(record.key ?? null);
  const value = toBytes(record.value ?? null);
  const headers = toHeaders(record.headers);
  const fixedBytes = recordFixedBytes(keyBytes, value, headers);
  const batchBytes = recordBatchSizeUpperBound(fixedBytes);
  if (batchBytes > config.maxRequestSize) {
    throw new RecordTooLargeError(batchBytes, config.maxRequestSize, 'max.request.size');
  }
  if (batchBytes > config.bufferMemory) {
    throw new RecordTooLargeError(batchBytes, config.bufferMemory, 'buffer.memory');
  }
  const input: RecordInput = { key: keyBytes, value, headers, timestamp: timestamp ?? nowMs };
  return { topic, partition, keyBytes, input, fixedBytes, reservedBytes: recordSizeUpperBound(fixedBytes) };
}

function toBytes(value: RecordBytes): Uint8Array | null {
  if (value === null) return null;
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (value instanceof Uint8Array) return value;
  throw new TypeError(`record keys, values and header values are Uint8Array, string or null; got ${typeof value}`);
}

function toHeaders(headers: ProducerRecordHeaders | undefined): RecordHeaderInput[] {
  if (headers === undefined) return [];
  if (Array.isArray(headers)) {
    return (headers as ReadonlyArray<{ key: string; value: RecordBytes }>).map((header) => {
      if (typeof header.key !== 'string') throw new TypeError('a header key must be a string');
      return { key: header.key, value: toBytes(header.value ?? null) };
    });
  }
  return Object.entries(headers as Readonly<Record<string, RecordBytes>>).map(([key, value]) => ({ key, value: toBytes(value ?? null) }));
}

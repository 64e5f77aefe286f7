/**
 * Reads and writes transaction log records as record batches of `__transaction_state` (their Kafka byte layout is in
 * @kactor/protocol's transaction-records). One transition is one batch, appended with acks=all.
 */
import { decodeTransactionLogRecord, encodeRecordBatch, encodeTransactionLogKey, encodeTransactionLogValue, type TransactionLogRecord } from '@kactor/protocol';

export const TRANSACTION_STATE_TOPIC = '__transaction_state';

export function encodeTransactionRecordBatch(records: readonly TransactionLogRecord[], timestampMs: number): Uint8Array {
  return encodeRecordBatch({
    records: records.map((record) => ({ key: encodeTransactionLogKey(record), value: encodeTransactionLogValue(record), headers: [], timestamp: timestampMs })),
  });
}

/** One stored record as a transaction log record, or null for keys of other types and malformed bytes (skipped, as Kafka's loader does). */
export function decodeTransactionRecord(key: Uint8Array | null, value: Uint8Array | null): TransactionLogRecord | null {
  if (key === null) return null;
  const decoded = decodeTransactionLogRecord(key, value);
  return decoded.ok ? decoded.record : null;
}

/**
 * Lost and duplicated records (Jepsen's checks for a queue): every record the producer saw acknowledged
 * must be read back; a record read more than once is a duplicate, allowed without idempotence but
 * counted. Records are told apart by topic, partition and value, so producers must send unique values.
 */
import type { ConsumerRecord } from '@kactor/client';

export interface RecordId {
  topic: string;
  partition: number;
  value: string;
}

export interface DuplicatedRecord extends RecordId {
  count: number;
}

const decoder = new TextDecoder();
const keyOf = (record: RecordId): string => `${record.topic}\u0000${record.partition}\u0000${record.value}`;

/** The checkers' view of a consumed record. */
export function recordIdOf(record: ConsumerRecord): RecordId {
  return { topic: record.topic, partition: record.partition, value: record.value === null ? '' : decoder.decode(record.value) };
}

/** Acknowledged records never consumed, in acknowledgement order. */
export function findLostRecords(acknowledged: Iterable<RecordId>, consumed: Iterable<RecordId>): RecordId[] {
  const seen = new Set<string>();
  for (const record of consumed) seen.add(keyOf(record));
  return [...acknowledged].filter((record) => !seen.has(keyOf(record)));
}

/** Records consumed more than once, with how many times, in first-read order. */
export function findDuplicatedRecords(consumed: Iterable<RecordId>): DuplicatedRecord[] {
  const counts = new Map<string, DuplicatedRecord>();
  for (const record of consumed) {
    const key = keyOf(record);
    const entry = counts.get(key);
    if (entry === undefined) counts.set(key, { topic: record.topic, partition: record.partition, value: record.value, count: 1 });
    else entry.count += 1;
  }
  return [...counts.values()].filter((entry) => entry.count > 1);
}

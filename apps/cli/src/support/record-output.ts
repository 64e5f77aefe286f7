/** How `kactor consume` prints a record: its value, or with --json one object per line. */
import type { ConsumerRecord } from '@kactor/client';

const decoder = new TextDecoder();
const text = (bytes: Uint8Array | null) => (bytes === null ? null : decoder.decode(bytes));

/** `{"type":"record","topic","partition","offset","timestamp","key","value"}` */
export function recordJson(record: ConsumerRecord): string {
  return JSON.stringify({ type: 'record', topic: record.topic, partition: record.partition, offset: record.offset, timestamp: record.timestamp, key: text(record.key), value: text(record.value) });
}

/** The value as text ("null" for a record without one). */
export function recordText(record: ConsumerRecord): string {
  return text(record.value) ?? 'null';
}

/**
 * How `kactor consume` prints records. With --json, one object per record and line:
 * `{"type":"record","topic","partition","offset","timestamp","key","value","timestampType","headers"}`,
 * key/value/header values as UTF-8 text or null, `headers` a list `[{"key","value"}]` in record order (a
 * list, not an object: Kafka allows a header key more than once). Otherwise Kafka's console consumer
 * `DefaultMessageFormatter` with its `--property` names (see `recordFormat`): by default just the value.
 */
import type { ConsumerRecord } from '@kactor/client';
import { CliError } from './errors.js';

const decoder = new TextDecoder();
const text = (bytes: Uint8Array | null) => (bytes === null ? null : decoder.decode(bytes));

/** One JSON line, without its newline. */
export function recordJson(record: ConsumerRecord): string {
  return JSON.stringify({
    type: 'record',
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    timestamp: record.timestamp,
    key: text(record.key),
    value: text(record.value),
    // Added after the fields scripts already read, so the documented shape stays a prefix of the line.
    timestampType: record.timestampType,
    headers: record.headers.map((header) => ({ key: header.key, value: text(header.value) })),
  });
}

/** Kafka's console-consumer formatter settings. */
export interface RecordFormat {
  readonly printTimestamp: boolean;
  readonly printPartition: boolean;
  readonly printOffset: boolean;
  readonly printHeaders: boolean;
  readonly printKey: boolean;
  readonly printValue: boolean;
  /** Between the printed fields (Kafka's name; default a tab). */
  readonly keySeparator: string;
  readonly lineSeparator: string;
  /** Between headers. */
  readonly headersSeparator: string;
  /** Printed for a null key, value or header value. */
  readonly nullLiteral: string;
}

export const formatterPropertyNames = [
  'print.timestamp',
  'print.partition',
  'print.offset',
  'print.headers',
  'print.key',
  'print.value',
  'key.separator',
  'line.separator',
  'headers.separator',
  'null.literal',
] as const;

export const defaultRecordFormat: RecordFormat = {
  printTimestamp: false,
  printPartition: false,
  printOffset: false,
  printHeaders: false,
  printKey: false,
  printValue: true,
  keySeparator: '\t',
  lineSeparator: '\n',
  headersSeparator: ',',
  nullLiteral: 'null',
};

/** The format for `--property` values (Kafka's names and defaults); an unknown name is an error. */
export function recordFormat(properties: Readonly<Record<string, string>>): RecordFormat {
  for (const name of Object.keys(properties)) {
    if (!(formatterPropertyNames as readonly string[]).includes(name)) {
      throw new CliError(`unknown --property ${name}: the formatter knows ${formatterPropertyNames.join(', ')}`);
    }
  }
  const flag = (name: string, fallback: boolean) => (properties[name] === undefined ? fallback : properties[name].trim().toLowerCase() === 'true');
  return {
    printTimestamp: flag('print.timestamp', defaultRecordFormat.printTimestamp),
    printPartition: flag('print.partition', defaultRecordFormat.printPartition),
    printOffset: flag('print.offset', defaultRecordFormat.printOffset),
    printHeaders: flag('print.headers', defaultRecordFormat.printHeaders),
    printKey: flag('print.key', defaultRecordFormat.printKey),
    printValue: flag('print.value', defaultRecordFormat.printValue),
    keySeparator: properties['key.separator'] ?? defaultRecordFormat.keySeparator,
    lineSeparator: properties['line.separator'] ?? defaultRecordFormat.lineSeparator,
    headersSeparator: properties['headers.separator'] ?? defaultRecordFormat.headersSeparator,
    nullLiteral: properties['null.literal'] ?? defaultRecordFormat.nullLiteral,
  };
}

/**
 * A record as Kafka's formatter prints it, its line separator included: the chosen fields in Kafka's
 * order, `CreateTime:1234`, `Partition:3`, `Offset:42`, `h1:v1,h2:v2` (or `NO_HEADERS`), key, value, joined
 * by key.separator. Kafka ends the line after the last printed field, so without print.value the line
 * still ends.
 */
export function formatRecord(record: ConsumerRecord, format: RecordFormat): string {
  const orNull = (bytes: Uint8Array | null) => text(bytes) ?? format.nullLiteral;
  const fields: string[] = [];
  if (format.printTimestamp) fields.push(`${record.timestampType}:${record.timestamp}`);
  if (format.printPartition) fields.push(`Partition:${record.partition}`);
  if (format.printOffset) fields.push(`Offset:${record.offset}`);
  if (format.printHeaders) {
    fields.push(record.headers.length === 0 ? 'NO_HEADERS' : record.headers.map((header) => `${header.key}:${orNull(header.value)}`).join(format.headersSeparator));
  }
  if (format.printKey) fields.push(orNull(record.key));
  if (format.printValue) fields.push(orNull(record.value));
  // Kafka prints nothing at all for a record when every field is off.
  return fields.length === 0 ? '' : `${fields.join(format.keySeparator)}${format.lineSeparator}`;
}

/** What consume writes for a batch of records: JSON lines with --json, else the formatter's output. */
export function recordPrinter(json: boolean, properties: Readonly<Record<string, string>>): (records: readonly ConsumerRecord[]) => string {
  if (json) {
    if (Object.keys(properties).length > 0) throw new CliError('--property sets the text format: it does not go with --json, which prints every field');
    return (records) => records.map((record) => `${recordJson(record)}\n`).join('');
  }
  const format = recordFormat(properties);
  return (records) => records.map((record) => formatRecord(record, format)).join('');
}

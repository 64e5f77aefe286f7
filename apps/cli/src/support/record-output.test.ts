/** Kafka's console-consumer formatter (`DefaultMessageFormatter`) and the --json record shape. */
import type { ConsumerRecord } from '@kactor/client';
import { describe, expect, it } from 'vitest';
import { formatRecord, recordFormat, recordJson, recordPrinter } from './record-output.js';

const utf8 = (text: string) => new TextEncoder().encode(text);
const consumerRecord = (overrides: Partial<ConsumerRecord> = {}): ConsumerRecord => ({
  topic: 'orders',
  partition: 3,
  offset: 42,
  timestamp: 1_234,
  timestampType: 'CreateTime',
  key: utf8('k'),
  value: utf8('v'),
  headers: [
    { key: 'h1', value: utf8('v1') },
    { key: 'h2', value: utf8('v2') },
  ],
  leaderEpoch: 0,
  ...overrides,
});

describe("the console consumer's text format (--property)", () => {
  it('prints the value and a newline by default', () => {
    expect(formatRecord(consumerRecord(), recordFormat({}))).toBe('v\n');
    expect(formatRecord(consumerRecord({ value: null }), recordFormat({}))).toBe('null\n');
  });

  it("prints every field in Kafka's order: timestamp, partition, offset, headers, key, value", () => {
    const everything = recordFormat({ 'print.timestamp': 'true', 'print.partition': 'true', 'print.offset': 'true', 'print.headers': 'true', 'print.key': 'true' });
    expect(formatRecord(consumerRecord(), everything)).toBe('CreateTime:1234\tPartition:3\tOffset:42\th1:v1,h2:v2\tk\tv\n');
    expect(formatRecord(consumerRecord({ timestampType: 'LogAppendTime', headers: [], key: null }), everything)).toBe('LogAppendTime:1234\tPartition:3\tOffset:42\tNO_HEADERS\tnull\tv\n');
  });

  it('takes key.separator, headers.separator, line.separator and null.literal', () => {
    const format = recordFormat({ 'print.key': 'true', 'print.headers': 'true', 'key.separator': ' | ', 'headers.separator': ';', 'line.separator': '\r\n', 'null.literal': '<none>' });
    expect(formatRecord(consumerRecord({ key: null, headers: [{ key: 'a', value: null }, { key: 'b', value: utf8('2') }] }), format)).toBe('a:<none>;b:2 | <none> | v\r\n');
  });

  it('ends the line after the last printed field without print.value, and prints nothing when every field is off', () => {
    expect(formatRecord(consumerRecord(), recordFormat({ 'print.key': 'true', 'print.value': 'false' }))).toBe('k\n');
    expect(formatRecord(consumerRecord(), recordFormat({ 'print.value': 'false' }))).toBe('');
  });

  it('reads true/false as Kafka does (case and spaces ignored; anything else is false)', () => {
    expect(recordFormat({ 'print.key': ' TRUE ', 'print.value': 'yes' })).toMatchObject({ printKey: true, printValue: false });
  });

  it('refuses unknown properties, naming the known ones', () => {
    expect(() => recordFormat({ 'print.keys': 'true' })).toThrow('unknown --property print.keys: the formatter knows print.timestamp, print.partition');
  });
});

describe('consume --json', () => {
  it('prints headers as a list of {key, value}, with the timestamp type', () => {
    expect(JSON.parse(recordJson(consumerRecord({ headers: [{ key: 'a', value: null }, { key: 'a', value: utf8('x') }] })))).toEqual({
      type: 'record',
      topic: 'orders',
      partition: 3,
      offset: 42,
      timestamp: 1_234,
      timestampType: 'CreateTime',
      key: 'k',
      value: 'v',
      headers: [
        { key: 'a', value: null },
        { key: 'a', value: 'x' },
      ],
    });
  });

  it('prints one line per record, and refuses --property with --json', () => {
    expect(recordPrinter(true, {})([consumerRecord(), consumerRecord()]).split('\n')).toHaveLength(3);
    expect(() => recordPrinter(true, { 'print.key': 'true' })).toThrow(/does not go with --json/);
  });
});

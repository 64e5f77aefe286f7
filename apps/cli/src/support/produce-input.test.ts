/** What `kactor produce` reads (--json records, the line reader) and how it names a failed line. */
import { RecordTooLargeError } from '@kactor/client';
import { KafkaProtocolError } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { parseJsonRecord } from './json-record-reader.js';
import { describeRecordFailure, recordReader } from './produce-input.js';

describe('produce --json records', () => {
  it('reads key, value, headers (a list or an object), timestamp and partition', () => {
    expect(parseJsonRecord('{"key":"k","value":"v","headers":[{"key":"a","value":"1"},{"key":"a","value":null}],"timestamp":1234,"partition":2}', 1)).toEqual({
      key: 'k',
      value: 'v',
      headers: [
        { key: 'a', value: '1' },
        { key: 'a', value: null },
      ],
      timestamp: 1_234,
      partition: 2,
    });
    expect(parseJsonRecord('{"value":null,"headers":{"trace":"t1"}}', 1)).toEqual({ key: null, value: null, headers: [{ key: 'trace', value: 't1' }] });
  });

  it('reads what consume --json prints', () => {
    const printed = '{"type":"record","topic":"a","partition":0,"offset":5,"timestamp":9,"key":null,"value":"v","timestampType":"CreateTime","headers":[]}';
    expect(parseJsonRecord(printed, 1)).toEqual({ key: null, value: 'v', headers: [], timestamp: 9, partition: 0 });
  });

  it.each([
    ['not json', /line 7 is not JSON/],
    ['[1]', /line 7: expected an object like \{"key":"k","value":"v"\}, got an array/],
    ['{"key":"k"}', /line 7: a record needs "value"/],
    ['{"value":1}', /line 7: "value" must be a string or null, got 1/],
    ['{"value":"v","timestamp":-1}', /line 7: "timestamp" must be an integer >= 0, got -1/],
    ['{"value":"v","partition":1.5}', /line 7: "partition" must be an integer >= 0, got 1.5/],
    ['{"value":"v","headers":[{"key":1,"value":"x"}]}', /line 7: a header key must be a string, got 1/],
    ['{"value":"v","headers":{"a":2}}', /line 7: header "a" must have a string or null value, got 2/],
    ['{"value":"v","headers":"a:b"}', /line 7: "headers" must be a list/],
    ['{"value":"v","vaule":"w"}', /line 7: unknown field "vaule"/],
  ])('refuses %s, naming the line', (line, message) => {
    expect(() => parseJsonRecord(line, 7)).toThrow(message);
  });

  it('does not mix --json with the text format', () => {
    expect(() => recordReader({ json: true, properties: { 'parse.key': 'true' } })).toThrow(/do not go with it/);
  });
});

describe('produce line reading', () => {
  it('keeps --key-separator as parse.key with key.separator', () => {
    expect(recordReader({ keySeparator: ':', properties: {} })('k:v:w', 1)).toEqual({ key: 'k', value: 'v:w', headers: [] });
  });
});

describe('a failed line in the report', () => {
  it('says the line, the size and the limit for a record too large (Kafka: RecordTooLargeException)', () => {
    expect(describeRecordFailure(3, new RecordTooLargeError(5_242_913, 1_048_576, 'max.request.size'))).toBe(
      'line 3: record of 5242913 bytes is larger than max.request.size 1048576 (MESSAGE_TOO_LARGE)',
    );
  });

  it("gives a broker's error with its name", () => {
    expect(describeRecordFailure(12, KafkaProtocolError.from('MESSAGE_TOO_LARGE', 'the batch is larger than message.max.bytes'))).toBe(
      'line 12: the batch is larger than message.max.bytes (MESSAGE_TOO_LARGE)',
    );
  });
});

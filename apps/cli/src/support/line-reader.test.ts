/** Kafka's console-producer line reader, with the cases of Kafka's `LineMessageReaderTest`. */
import { describe, expect, it } from 'vitest';
import { lineReaderSettings, parseLine, type LineRecord } from './line-reader.js';

const withKeyAndHeaders = { 'parse.key': 'true', 'parse.headers': 'true' };
const read = (properties: Record<string, string>, input: string): LineRecord[] => {
  const settings = lineReaderSettings(properties);
  return input
    .split('\n')
    .filter((line) => line !== '')
    .map((line, index) => parseLine(line, index + 1, settings));
};
const record = (key: string | null, value: string | null, headers: Array<[string, string | null]> = []): LineRecord => ({
  key,
  value,
  headers: headers.map(([headerKey, headerValue]) => ({ key: headerKey, value: headerValue })),
});

describe("Kafka's line reader (console producer --property)", () => {
  it('reads the value alone by default, the whole line', () => {
    expect(read({}, 'value\ta:b')).toEqual([record(null, 'value\ta:b')]);
  });

  it('reads keys with parse.key (key.separator a tab by default)', () => {
    expect(read({ 'parse.key': 'true' }, 'key0\tvalue0\nkey1\tvalue1')).toEqual([record('key0', 'value0'), record('key1', 'value1')]);
    expect(read({ 'parse.key': 'true' }, 'key\t')).toEqual([record('key', '')]);
  });

  it('reads headers, key and value with parse.headers and parse.key', () => {
    expect(read(withKeyAndHeaders, 'headerKey0:headerValue0,headerKey1:headerValue1\tkey0\tvalue0')).toEqual([
      record('key0', 'value0', [
        ['headerKey0', 'headerValue0'],
        ['headerKey1', 'headerValue1'],
      ]),
    ]);
    expect(read(withKeyAndHeaders, ':\t\t')).toEqual([record('', '', [['', '']])]);
    expect(read({ 'parse.headers': 'true' }, 'headerKey:headerValue\tvalue')).toEqual([record(null, 'value', [['headerKey', 'headerValue']])]);
  });

  it('takes separators longer than one character, and custom ones', () => {
    const long = { ...withKeyAndHeaders, 'key.separator': '\t\t', 'headers.delimiter': '\t\t', 'headers.separator': '---', 'headers.key.separator': '::::' };
    expect(read(long, 'headerKey0.0::::headerValue0.0---headerKey1.0::::\t\tkey\t\tvalue')).toEqual([
      record('key', 'value', [
        ['headerKey0.0', 'headerValue0.0'],
        ['headerKey1.0', ''],
      ]),
    ]);
    const custom = { ...withKeyAndHeaders, 'key.separator': '#', 'headers.delimiter': '!', 'headers.separator': '&', 'headers.key.separator': ':' };
    expect(read(custom, 'h0:v0&h1:v1!key0#value0\nh2:v2!key1#value1')).toEqual([
      record('key0', 'value0', [
        ['h0', 'v0'],
        ['h1', 'v1'],
      ]),
      record('key1', 'value1', [['h2', 'v2']]),
    ]);
  });

  it('names the line and the missing separator', () => {
    expect(() => read(withKeyAndHeaders, 'h0:v0\tkey0\tvalue0\nh1:v1\tkey1[MISSING-DELIMITER]value1')).toThrow(
      'line 2 has no key separator "\\t": "h1:v1\\tkey1[MISSING-DELIMITER]value1"',
    );
    expect(() => read(withKeyAndHeaders, 'key[MISSING-DELIMITER]val\tkey0\tvalue0')).toThrow('line 1: header "key[MISSING-DELIMITER]val" has no header key separator ":"');
    expect(() => read({ 'parse.key': 'true' }, `${'x'.repeat(5_000)}`)).toThrow(/\(5000 characters\)$/);
  });

  it('with ignore.error leaves out what it cannot find, as Kafka does', () => {
    const input = [
      'h0:v0\tkey0\tvalue0',
      'h1:v1,h2:v2[MISSING-HEADER-DELIMITER]key1\tvalue1',
      'h3:v3\tkey2[MISSING-KEY-DELIMITER]value2',
      'h4:v4[MISSING-HEADER-DELIMITER]key3[MISSING-KEY-DELIMITER]value3',
      'key-val\tkey4\tvalue4',
    ].join('\n');
    expect(read({ ...withKeyAndHeaders, 'ignore.error': 'true' }, input)).toEqual([
      record('key0', 'value0', [['h0', 'v0']]),
      record(null, 'value1', [
        ['h1', 'v1'],
        ['h2', 'v2[MISSING-HEADER-DELIMITER]key1'],
      ]),
      record(null, 'key2[MISSING-KEY-DELIMITER]value2', [['h3', 'v3']]),
      record(null, 'h4:v4[MISSING-HEADER-DELIMITER]key3[MISSING-KEY-DELIMITER]value3'),
      record('key4', 'value4', [['key-val', null]]),
    ]);
  });

  it('turns keys, values and header values equal to null.marker into null', () => {
    const input = 'key\t\nkey\t<NULL>\nkey\t<NULL>value\n<NULL>\tvalue\n<NULL>\t<NULL>';
    expect(read({ 'parse.key': 'true', 'null.marker': '<NULL>' }, input)).toEqual([
      record('key', ''),
      record('key', null),
      record('key', '<NULL>value'),
      record(null, 'value'),
      record(null, null),
    ]);
    expect(read({ 'parse.key': 'true' }, input)).toEqual([record('key', ''), record('key', '<NULL>'), record('key', '<NULL>value'), record('<NULL>', 'value'), record('<NULL>', '<NULL>')]);
    const withHeaders = 'h0:v0,h1:v1\t<NULL>\tvalue\n<NULL>\tkey\t<NULL>\nh0:<NULL>,h1:<NULL>value\tkey\t<NULL>';
    expect(read({ ...withKeyAndHeaders, 'null.marker': '<NULL>' }, withHeaders)).toEqual([
      record(null, 'value', [
        ['h0', 'v0'],
        ['h1', 'v1'],
      ]),
      record('key', null),
      record('key', null, [
        ['h0', null],
        ['h1', '<NULL>value'],
      ]),
    ]);
    expect(() => read({ ...withKeyAndHeaders, 'null.marker': '<NULL>' }, '<NULL>:v0\tkey\tvalue')).toThrow('a header key may not be the null marker "<NULL>"');
  });

  it('refuses separators that would make a line ambiguous, and unknown properties', () => {
    expect(() => lineReaderSettings({ 'headers.separator': '\t' })).toThrow('headers.delimiter and headers.separator may not be equal');
    expect(() => lineReaderSettings({ 'headers.key.separator': '\t' })).toThrow('headers.delimiter and headers.key.separator may not be equal');
    expect(() => lineReaderSettings({ 'headers.key.separator': ',' })).toThrow('headers.separator and headers.key.separator may not be equal');
    expect(() => lineReaderSettings({ 'headers.delimiter': '-', 'headers.separator': ':', 'headers.key.separator': '/', 'null.marker': '-' })).toThrow(
      'null.marker and headers.delimiter may not be equal',
    );
    expect(() => lineReaderSettings({ 'null.marker': '\t' })).toThrow('null.marker and key.separator may not be equal');
    expect(() => lineReaderSettings({ 'parse.keys': 'true' })).toThrow('unknown --property parse.keys: the line reader knows parse.key, key.separator');
  });
});

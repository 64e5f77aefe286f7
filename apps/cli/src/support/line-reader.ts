/**
 * How `kactor produce` turns a line of input into a record: Kafka's console producer `LineMessageReader`
 * and its `--property` names. A line is `[headers<headers.delimiter>][key<key.separator>]value`:
 * - parse.headers (default false): the line starts with headers, `h1:v1,h2:v2`, split at headers.separator
 *   (default `,`, a plain string here where Kafka takes a regular expression) and each at its first
 *   headers.key.separator (default `:`), then headers.delimiter (default a tab);
 * - parse.key (default false): then the key, up to key.separator (default a tab);
 * - the rest of the line is the value;
 * - null.marker (default none): a key, value or header value equal to it is null (a header key may not be);
 * - ignore.error (default false): a missing separator is not an error: the part is left out (no headers,
 *   no key) and a header without its key separator gets a null value, as Kafka does.
 */
import { CliError } from './errors.js';

export interface LineRecord {
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: ReadonlyArray<{ key: string; value: string | null }>;
}

export interface LineReaderSettings {
  readonly parseKey: boolean;
  readonly keySeparator: string;
  readonly parseHeaders: boolean;
  readonly headersDelimiter: string;
  readonly headersSeparator: string;
  readonly headersKeySeparator: string;
  readonly ignoreError: boolean;
  readonly nullMarker: string | undefined;
}

export const lineReaderPropertyNames = ['parse.key', 'key.separator', 'parse.headers', 'headers.delimiter', 'headers.separator', 'headers.key.separator', 'ignore.error', 'null.marker'] as const;

const isTrue = (value: string | undefined) => value?.trim().toLowerCase() === 'true';

/** Reads the `--property` values; unknown names and separators that would make a line ambiguous are errors. */
export function lineReaderSettings(properties: Readonly<Record<string, string>>): LineReaderSettings {
  for (const name of Object.keys(properties)) {
    if (!(lineReaderPropertyNames as readonly string[]).includes(name)) {
      throw new CliError(`unknown --property ${name}: the line reader knows ${lineReaderPropertyNames.join(', ')}`);
    }
  }
  const settings: LineReaderSettings = {
    parseKey: isTrue(properties['parse.key']),
    keySeparator: properties['key.separator'] ?? '\t',
    parseHeaders: isTrue(properties['parse.headers']),
    headersDelimiter: properties['headers.delimiter'] ?? '\t',
    headersSeparator: properties['headers.separator'] ?? ',',
    headersKeySeparator: properties['headers.key.separator'] ?? ':',
    ignoreError: isTrue(properties['ignore.error']),
    nullMarker: properties['null.marker'],
  };
  const named: Array<[string, string]> = [
    ['key.separator', settings.keySeparator],
    ['headers.delimiter', settings.headersDelimiter],
    ['headers.separator', settings.headersSeparator],
    ['headers.key.separator', settings.headersKeySeparator],
  ];
  for (const [name, value] of named) if (value === '') throw new CliError(`--property ${name} may not be empty`);
  const mustDiffer: Array<[string, string, string, string]> = [
    ['headers.delimiter', settings.headersDelimiter, 'headers.separator', settings.headersSeparator],
    ['headers.delimiter', settings.headersDelimiter, 'headers.key.separator', settings.headersKeySeparator],
    ['headers.separator', settings.headersSeparator, 'headers.key.separator', settings.headersKeySeparator],
    ...named.map(([name, value]): [string, string, string, string] => ['null.marker', settings.nullMarker ?? '', name, value]),
  ];
  for (const [first, firstValue, second, secondValue] of mustDiffer) {
    if (firstValue === secondValue) throw new CliError(`--property ${first} and ${second} may not be equal (both "${firstValue}")`);
  }
  return settings;
}

/** Kafka's rule for a line, numbered from 1 for the error messages. */
export function parseLine(line: string, lineNumber: number, settings: LineReaderSettings): LineRecord {
  const part = (enabled: boolean, start: number, separator: string, what: string): string | null => {
    if (!enabled) return null;
    const at = line.indexOf(separator, start);
    if (at >= 0) return line.slice(start, at);
    if (settings.ignoreError) return null;
    throw new CliError(`line ${lineNumber} has no ${what} ${JSON.stringify(separator)}: ${quoted(line)}`);
  };
  const headersText = part(settings.parseHeaders, 0, settings.headersDelimiter, 'headers delimiter');
  const keyStart = headersText === null ? 0 : headersText.length + settings.headersDelimiter.length;
  const key = part(settings.parseKey, keyStart, settings.keySeparator, 'key separator');
  const valueStart = keyStart + (key === null ? 0 : key.length + settings.keySeparator.length);
  const orNull = (text: string | null) => (text === null || text === settings.nullMarker ? null : text);
  return {
    key: orNull(key),
    value: orNull(line.slice(valueStart)),
    headers: headersText === null || headersText === settings.nullMarker ? [] : parseHeaders(headersText, lineNumber, settings),
  };
}

function parseHeaders(text: string, lineNumber: number, settings: LineReaderSettings): Array<{ key: string; value: string | null }> {
  return text.split(settings.headersSeparator).map((pair) => {
    const at = pair.indexOf(settings.headersKeySeparator);
    if (at < 0) {
      if (settings.ignoreError) return { key: pair, value: null };
      throw new CliError(`line ${lineNumber}: header ${quoted(pair)} has no header key separator ${JSON.stringify(settings.headersKeySeparator)}`);
    }
    const key = pair.slice(0, at);
    if (key === settings.nullMarker) throw new CliError(`line ${lineNumber}: a header key may not be the null marker ${JSON.stringify(settings.nullMarker)} (header keys cannot be null)`);
    const value = pair.slice(at + settings.headersKeySeparator.length);
    return { key, value: value === settings.nullMarker ? null : value };
  });
}

/** Error messages quote at most this much of a line: a line may be megabytes long. */
const quotedLineChars = 200;

function quoted(text: string): string {
  return text.length <= quotedLineChars ? JSON.stringify(text) : `${JSON.stringify(text.slice(0, quotedLineChars))}… (${text.length} characters)`;
}

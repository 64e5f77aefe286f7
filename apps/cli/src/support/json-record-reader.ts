/**
 * `kactor produce --json`: one JSON object per line of input,
 * `{"key","value","headers","timestamp","partition"}`, every field optional but `value`:
 * - key, value: a string (sent as UTF-8) or null;
 * - headers: `[{"key":"h","value":"v"}]` (the shape `consume --json` prints; a key may repeat, as Kafka
 *   allows) or an object `{"h":"v"}`; a header value may be null;
 * - timestamp: the record's CreateTime in ms since the epoch (default: now);
 * - partition: the partition to write to (default: --partition, else the partitioner).
 * The fields `consume --json` adds (`type`, `topic`, `offset`, `timestampType`) are accepted and ignored,
 * so `kactor consume a --json | kactor produce b --json` copies records with their keys, headers,
 * timestamps and partitions; the records go to the topic named on the command line.
 */
import { CliError } from './errors.js';

export interface JsonRecord {
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: ReadonlyArray<{ key: string; value: string | null }>;
  readonly timestamp?: number;
  readonly partition?: number;
}

const recordFields = new Set(['key', 'value', 'headers', 'timestamp', 'partition']);
const ignoredFields = new Set(['type', 'topic', 'offset', 'timestampType']);

export function parseJsonRecord(line: string, lineNumber: number): JsonRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (error) {
    throw new CliError(`line ${lineNumber} is not JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CliError(`line ${lineNumber}: expected an object like {"key":"k","value":"v"}, got ${Array.isArray(parsed) ? 'an array' : shown(parsed)}`);
  }
  const object = parsed as Record<string, unknown>;
  for (const field of Object.keys(object)) {
    if (!recordFields.has(field) && !ignoredFields.has(field)) {
      throw new CliError(`line ${lineNumber}: unknown field "${field}" (a record has ${[...recordFields].join(', ')})`);
    }
  }
  if (!('value' in object)) throw new CliError(`line ${lineNumber}: a record needs "value" (a string or null)`);
  const text = (field: string): string | null => {
    const value = object[field] ?? null;
    if (value !== null && typeof value !== 'string') throw new CliError(`line ${lineNumber}: "${field}" must be a string or null, got ${shown(value)}`);
    return value;
  };
  const integer = (field: string): number | undefined => {
    const value = object[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      throw new CliError(`line ${lineNumber}: "${field}" must be an integer >= 0, got ${shown(value)}`);
    }
    return value;
  };
  const timestamp = integer('timestamp');
  const partition = integer('partition');
  return {
    key: text('key'),
    value: text('value'),
    headers: parseHeaders(object.headers, lineNumber),
    ...(timestamp === undefined ? {} : { timestamp }),
    ...(partition === undefined ? {} : { partition }),
  };
}

/** A value in an error message, cut short: a line may be megabytes long. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length <= 100 ? text : `${text.slice(0, 100)}…`;
}

function parseHeaders(headers: unknown, lineNumber: number): Array<{ key: string; value: string | null }> {
  if (headers === undefined || headers === null) return [];
  const header = (key: unknown, value: unknown) => {
    if (typeof key !== 'string') throw new CliError(`line ${lineNumber}: a header key must be a string, got ${shown(key)}`);
    if (value !== null && typeof value !== 'string') throw new CliError(`line ${lineNumber}: header "${key}" must have a string or null value, got ${shown(value)}`);
    return { key, value };
  };
  if (Array.isArray(headers)) {
    return headers.map((entry: unknown) => {
      if (typeof entry !== 'object' || entry === null) throw new CliError(`line ${lineNumber}: each header is {"key":"k","value":"v"}, got ${shown(entry)}`);
      const { key, value } = entry as { key?: unknown; value?: unknown };
      return header(key, value ?? null);
    });
  }
  if (typeof headers === 'object') return Object.entries(headers as Record<string, unknown>).map(([key, value]) => header(key, value ?? null));
  throw new CliError(`line ${lineNumber}: "headers" must be a list [{"key","value"}] or an object, got ${shown(headers)}`);
}

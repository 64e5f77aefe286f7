/**
 * What `kactor produce` reads and how it reports a record that failed: each line of input becomes a
 * record (Kafka's line reader with --property, or a JSON object with --json), and a failure names the
 * line it came from, e.g. `line 3: record of 5242913 bytes is larger than max.request.size 1048576
 * (MESSAGE_TOO_LARGE)`.
 */
import { RecordTooLargeError } from '@kactor/client';
import { KafkaProtocolError } from '@kactor/protocol';
import { CliError } from './errors.js';
import { parseJsonRecord } from './json-record-reader.js';
import { lineReaderSettings, parseLine } from './line-reader.js';

export interface InputRecord {
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: ReadonlyArray<{ key: string; value: string | null }>;
  readonly timestamp?: number;
  readonly partition?: number;
}

export interface ProduceInputOptions {
  /** Each line is a JSON record. */
  readonly json?: boolean;
  /** The older shorthand for parse.key=true and key.separator. */
  readonly keySeparator?: string;
  /** The line reader's --property values, Kafka's names. */
  readonly properties: Readonly<Record<string, string>>;
}

/** Turns line `lineNumber` (from 1) into a record; throws a CliError naming the line when it cannot. */
export function recordReader(options: ProduceInputOptions): (line: string, lineNumber: number) => InputRecord {
  if (options.json === true) {
    if (options.keySeparator !== undefined || Object.keys(options.properties).length > 0) {
      throw new CliError('--json reads a JSON record per line: --key-separator and --property set the text format and do not go with it');
    }
    return parseJsonRecord;
  }
  const settings = lineReaderSettings({
    ...(options.keySeparator === undefined ? {} : { 'parse.key': 'true', 'key.separator': options.keySeparator }),
    ...options.properties,
  });
  return (line, lineNumber) => parseLine(line, lineNumber, settings);
}

/** One line of the failure report: the input line, what went wrong, Kafka's error name. */
export function describeRecordFailure(lineNumber: number, error: unknown): string {
  if (error instanceof RecordTooLargeError) {
    return `line ${lineNumber}: record of ${error.sizeBytes} bytes is larger than ${error.limitName} ${error.limitBytes} (${error.errorName})`;
  }
  if (error instanceof KafkaProtocolError) return `line ${lineNumber}: ${error.message} (${error.errorName})`;
  return `line ${lineNumber}: ${error instanceof Error ? error.message : String(error)}`;
}

/** The failure report names this many lines, then says how many more failed: the input may be millions of lines. */
export const reportedFailedLines = 10;

import { kafkaErrorTable } from './error-table.js';

type KafkaErrorRow = (typeof kafkaErrorTable)[number];

/** The name of any error in Kafka's table, `NONE` included (response bodies carry `errorCode: 0`). */
export type ErrorName = KafkaErrorRow['name'];

/** An error name that denotes a failure: everything except `NONE`. */
export type FailureErrorName = Exclude<ErrorName, 'NONE'>;

/** One row of the table: Kafka's code and name, whether Kafka's client retries it, and our description. */
export interface KafkaErrorInfo {
  readonly code: number;
  readonly name: ErrorName;
  readonly retriable: boolean;
  readonly message: string;
}

/**
 * The body of an error-response frame and the shape of any error sent as data:
 * `{ code, name, retriable, message }`, where `message` says what went wrong this time.
 */
export interface WireError {
  code: number;
  name: ErrorName;
  retriable: boolean;
  message: string;
}

/** Every Kafka error, ordered by code. */
export const kafkaErrors: readonly KafkaErrorInfo[] = kafkaErrorTable;

const byCode = new Map<number, KafkaErrorInfo>(kafkaErrors.map((info) => [info.code, info]));
const byName = new Map<string, KafkaErrorInfo>(kafkaErrors.map((info) => [info.name, info]));

/** Kafka's error codes by name, with literal types: `errorCodes.NOT_LEADER_OR_FOLLOWER` is `6`. */
export const errorCodes = Object.freeze(Object.fromEntries(kafkaErrors.map((info) => [info.name, info.code]))) as {
  readonly [Row in KafkaErrorRow as Row['name']]: Row['code'];
};

/** The table row for a code, or `undefined` for a code this table does not know (e.g. from a newer peer). */
export function errorByCode(code: number): KafkaErrorInfo | undefined {
  return byCode.get(code);
}

/** The table row for a name. */
export function errorByName(name: ErrorName): KafkaErrorInfo {
  const info = byName.get(name);
  if (info === undefined) throw new TypeError(`"${String(name)}" is not a Kafka error name`);
  return info;
}

/** Narrows a string (from a peer, a log, a CLI flag) to an `ErrorName`. */
export function isErrorName(name: string): name is ErrorName {
  return byName.has(name);
}

/**
 * Like Kafka's `Errors.forCode`: the row for a code, and `UNKNOWN_SERVER_ERROR` for a code this table
 * does not know, so that an error from a newer peer is still handled (as non-retriable).
 */
export function errorForCode(code: number): KafkaErrorInfo {
  return byCode.get(code) ?? errorByName('UNKNOWN_SERVER_ERROR');
}

/** Whether Kafka's clients retry an error with this code; unknown codes are not retriable. */
export function isRetriableCode(code: number): boolean {
  return byCode.get(code)?.retriable ?? false;
}

/**
 * Builds the data form of an error: Kafka's code, name and retriable flag, and a message that defaults to
 * the table's description. Send this in error-response frames; never send `NONE` as an error.
 */
export function wireError(name: FailureErrorName, message?: string): WireError {
  const info = errorByName(name);
  if (info.code === 0) throw new TypeError('NONE is not an error: it cannot be sent as an error body');
  return { code: info.code, name: info.name, retriable: info.retriable, message: message ?? info.message };
}

/**
 * Checks an error body received from a peer and normalises it against the table: the code decides the
 * name and retriable flag (Kafka matches on codes; names can be renamed), and a code this table does not
 * know becomes `UNKNOWN_SERVER_ERROR` with the original code kept in the message. Returns `undefined`
 * when the value is not an error body at all.
 */
export function parseWireError(value: unknown): WireError | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const body = value as Record<string, unknown>;
  const { code, message } = body;
  if (typeof code !== 'number' || !Number.isInteger(code) || code === 0) return undefined;
  const text = typeof message === 'string' ? message : undefined;
  const info = byCode.get(code);
  if (info === undefined) {
    const unknown = errorByName('UNKNOWN_SERVER_ERROR');
    return { code: unknown.code, name: unknown.name, retriable: false, message: `unexpected error code ${code}${text === undefined ? '' : `: ${text}`}` };
  }
  return { code: info.code, name: info.name, retriable: info.retriable, message: text ?? info.message };
}

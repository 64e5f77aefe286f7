import { describe, expect, it } from 'vitest';
import {
  errorByCode,
  errorByName,
  errorCodes,
  errorForCode,
  isErrorName,
  isRetriableCode,
  kafkaErrors,
  parseWireError,
  wireError,
  type ErrorName,
} from './errors.js';

// kafka-group-protocol.md §0 (Errors.java at apache/kafka 1eb7644).
const groupProtocolReference: ReadonlyArray<[ErrorName, number]> = [
  ['NONE', 0], ['OFFSET_OUT_OF_RANGE', 1], ['UNKNOWN_TOPIC_OR_PARTITION', 3], ['NOT_LEADER_OR_FOLLOWER', 6],
  ['OFFSET_METADATA_TOO_LARGE', 12], ['COORDINATOR_LOAD_IN_PROGRESS', 14], ['COORDINATOR_NOT_AVAILABLE', 15],
  ['NOT_COORDINATOR', 16], ['ILLEGAL_GENERATION', 22], ['INCONSISTENT_GROUP_PROTOCOL', 23], ['INVALID_GROUP_ID', 24],
  ['UNKNOWN_MEMBER_ID', 25], ['INVALID_SESSION_TIMEOUT', 26], ['REBALANCE_IN_PROGRESS', 27],
  ['INVALID_COMMIT_OFFSET_SIZE', 28], ['GROUP_AUTHORIZATION_FAILED', 30], ['OUT_OF_ORDER_SEQUENCE_NUMBER', 45],
  ['DUPLICATE_SEQUENCE_NUMBER', 46], ['INVALID_PRODUCER_EPOCH', 47], ['INVALID_TXN_STATE', 48],
  ['INVALID_PRODUCER_ID_MAPPING', 49], ['INVALID_TRANSACTION_TIMEOUT', 50], ['CONCURRENT_TRANSACTIONS', 51],
  ['TRANSACTION_COORDINATOR_FENCED', 52], ['UNKNOWN_PRODUCER_ID', 59], ['NON_EMPTY_GROUP', 68], ['GROUP_ID_NOT_FOUND', 69],
  ['MEMBER_ID_REQUIRED', 79], ['GROUP_MAX_SIZE_REACHED', 81], ['FENCED_INSTANCE_ID', 82], ['UNSTABLE_OFFSET_COMMIT', 88],
  ['PRODUCER_FENCED', 90], ['FENCED_MEMBER_EPOCH', 110], ['UNRELEASED_INSTANCE_ID', 111], ['UNSUPPORTED_ASSIGNOR', 112],
  ['STALE_MEMBER_EPOCH', 113], ['TRANSACTION_ABORTABLE', 120],
];

// kafka-wire-protocol.md §7 "Useful error codes" (the ones it names; the rest are checked by code below).
const wireProtocolReference: ReadonlyArray<[ErrorName, number]> = [
  ['CORRUPT_MESSAGE', 2], ['REQUEST_TIMED_OUT', 7], ['INVALID_TOPIC_EXCEPTION', 17], ['UNSUPPORTED_VERSION', 35],
  ['TOPIC_ALREADY_EXISTS', 36], ['INVALID_PARTITIONS', 37], ['INVALID_REQUEST', 42], ['UNSUPPORTED_FOR_MESSAGE_FORMAT', 43],
  ['UNSUPPORTED_COMPRESSION_TYPE', 76], ['INVALID_RECORD', 87],
];

describe('Kafka error table', () => {
  it.each([...groupProtocolReference, ...wireProtocolReference])('maps %s to code %i in both directions', (name, code) => {
    expect(errorByName(name).code).toBe(code);
    expect(errorByCode(code)?.name).toBe(name);
    expect(errorCodes[name]).toBe(code);
  });

  it('holds every code from -1 to the highest exactly once, ordered by code', () => {
    const codes = kafkaErrors.map((info) => info.code);
    expect(codes[0]).toBe(-1);
    expect(codes).toEqual(Array.from({ length: codes.length }, (_, index) => index - 1));
    expect(new Set(kafkaErrors.map((info) => info.name)).size).toBe(kafkaErrors.length);
    expect(kafkaErrors.length).toBeGreaterThanOrEqual(130);
  });

  it.each([
    ['NOT_LEADER_OR_FOLLOWER', true],
    ['REQUEST_TIMED_OUT', true],
    ['NETWORK_EXCEPTION', true],
    ['COORDINATOR_NOT_AVAILABLE', true],
    ['UNKNOWN_TOPIC_OR_PARTITION', true],
    ['CORRUPT_MESSAGE', true],
    ['NOT_ENOUGH_REPLICAS', true],
    ['KAFKA_STORAGE_ERROR', true],
    ['TOPIC_ALREADY_EXISTS', false],
    ['INVALID_REQUEST', false],
    ['UNKNOWN_SERVER_ERROR', false],
    ['REBALANCE_IN_PROGRESS', false],
    ['NONE', false],
  ] as const)('marks %s retriable=%s as Kafka does', (name, retriable) => {
    expect(errorByName(name).retriable).toBe(retriable);
    expect(isRetriableCode(errorCodes[name])).toBe(retriable);
  });

  it('gives every error a message of our own', () => {
    for (const info of kafkaErrors) expect(info.message.length, info.name).toBeGreaterThan(5);
  });

  it('answers undefined for an unknown code and UNKNOWN_SERVER_ERROR through errorForCode', () => {
    expect(errorByCode(9999)).toBeUndefined();
    expect(errorForCode(9999).name).toBe('UNKNOWN_SERVER_ERROR');
    expect(isRetriableCode(9999)).toBe(false);
  });

  it('rejects a name that is not in the table', () => {
    expect(isErrorName('NOT_LEADER_FOR_PARTITION')).toBe(false);
    expect(isErrorName('NOT_LEADER_OR_FOLLOWER')).toBe(true);
    expect(() => errorByName('NO_SUCH_ERROR' as ErrorName)).toThrow(TypeError);
  });
});

describe('wireError', () => {
  it('builds the error body from the table, with the default or a given message', () => {
    expect(wireError('NOT_LEADER_OR_FOLLOWER')).toEqual({
      code: 6,
      name: 'NOT_LEADER_OR_FOLLOWER',
      retriable: true,
      message: errorByName('NOT_LEADER_OR_FOLLOWER').message,
    });
    expect(wireError('MESSAGE_TOO_LARGE', 'frame of 200 bytes exceeds 100')).toEqual({
      code: 10,
      name: 'MESSAGE_TOO_LARGE',
      retriable: false,
      message: 'frame of 200 bytes exceeds 100',
    });
  });

  it('refuses NONE', () => {
    expect(() => wireError('NONE' as never)).toThrow(TypeError);
  });
});

describe('parseWireError', () => {
  it('takes name and retriable from the code, keeping the peer message', () => {
    expect(parseWireError({ code: 16, name: 'WHATEVER', retriable: false, message: 'moved' })).toEqual({
      code: 16,
      name: 'NOT_COORDINATOR',
      retriable: true,
      message: 'moved',
    });
  });

  it('turns an unknown code into UNKNOWN_SERVER_ERROR and keeps the code in the message', () => {
    const parsed = parseWireError({ code: 4242, name: 'FUTURE_ERROR', retriable: true, message: 'new' });
    expect(parsed).toMatchObject({ code: -1, name: 'UNKNOWN_SERVER_ERROR', retriable: false });
    expect(parsed?.message).toContain('4242');
  });

  it('refuses values that are not error bodies', () => {
    expect(parseWireError(null)).toBeUndefined();
    expect(parseWireError({ code: 'x' })).toBeUndefined();
    expect(parseWireError({ code: 0, message: 'fine' })).toBeUndefined();
    expect(parseWireError({ code: 1.5 })).toBeUndefined();
  });
});

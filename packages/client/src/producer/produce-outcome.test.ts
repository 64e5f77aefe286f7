import { errorCodes, isKafkaError } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { isStaleMetadataCode } from '../network/stale-metadata.js';
import { decideBatchError, type BatchErrorContext } from './produce-outcome.js';

const base: BatchErrorContext = {
  code: errorCodes.NOT_LEADER_OR_FOLLOWER,
  message: null,
  attempts: 1,
  retries: 5,
  recordCount: 3,
  nowMs: 1_000,
  deliveryDeadlineMs: 120_000,
  isStaleMetadata: isStaleMetadataCode,
};

describe('decideBatchError', () => {
  it('retries a moved leader after refreshing metadata', () => {
    expect(decideBatchError(base)).toEqual({ kind: 'retry', refreshMetadata: true });
  });

  it('retries a retriable error without a refresh when metadata is not in doubt', () => {
    expect(decideBatchError({ ...base, code: errorCodes.NOT_ENOUGH_REPLICAS })).toEqual({ kind: 'retry', refreshMetadata: false });
  });

  it('fails with the named error once the retries are used up', () => {
    const action = decideBatchError({ ...base, attempts: 6 });
    expect(action.kind).toBe('fail');
    expect(isKafkaError((action as { error: unknown }).error, 'NOT_LEADER_OR_FOLLOWER')).toBe(true);
  });

  it('fails rather than retrying past delivery.timeout.ms', () => {
    expect(decideBatchError({ ...base, nowMs: 120_000 }).kind).toBe('fail');
  });

  it('fails non-retriable errors at once with the broker message', () => {
    const action = decideBatchError({ ...base, code: errorCodes.INVALID_REQUIRED_ACKS, message: 'acks must be -1, 0 or 1' });
    expect(action.kind).toBe('fail');
    const error = (action as { error: Error }).error;
    expect(isKafkaError(error, 'INVALID_REQUIRED_ACKS')).toBe(true);
    expect(error.message).toBe('acks must be -1, 0 or 1');
  });

  it('splits a batch of several records refused as too large, and fails a single record', () => {
    expect(decideBatchError({ ...base, code: errorCodes.MESSAGE_TOO_LARGE })).toEqual({ kind: 'split' });
    const single = decideBatchError({ ...base, code: errorCodes.MESSAGE_TOO_LARGE, recordCount: 1 });
    expect(isKafkaError((single as { error: unknown }).error, 'MESSAGE_TOO_LARGE')).toBe(true);
  });

  it('retries CORRUPT_MESSAGE, which Kafka counts as retriable', () => {
    expect(decideBatchError({ ...base, code: errorCodes.CORRUPT_MESSAGE }).kind).toBe('retry');
  });
});

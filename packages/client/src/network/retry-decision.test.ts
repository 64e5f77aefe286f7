import { KafkaProtocolError } from '@kactor/protocol';
import type { Random } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import { decideRetry, type RetryContext } from './retry-decision.js';

const midpoint: Random = { next: () => 0.5, nextInt: () => 0, nextBytes: (n) => new Uint8Array(n) };
const base: RetryContext = { callName: 'createTopics', attempts: 1, retries: 5, nowMs: 1_000, deadlineMs: 61_000, backoff: { initialMs: 100, maxMs: 1_000 } };

describe('decideRetry', () => {
  it('retries a retriable error after the backoff of its attempt', () => {
    expect(decideRetry(KafkaProtocolError.from('REQUEST_TIMED_OUT'), { ...base, attempts: 3 }, midpoint)).toEqual({ retry: true, waitMs: 400, refreshMetadata: false });
  });

  it('asks for fresh metadata after an error that means the cluster moved', () => {
    const decision = decideRetry(KafkaProtocolError.from('NOT_CONTROLLER'), base, midpoint);
    expect(decision).toMatchObject({ retry: true, refreshMetadata: true });
  });

  it('gives up at once on a non-retriable error', () => {
    const error = KafkaProtocolError.from('TOPIC_ALREADY_EXISTS');
    expect(decideRetry(error, base, midpoint)).toEqual({ retry: false, error });
  });

  it('gives up when the retries are used up', () => {
    const error = KafkaProtocolError.from('NETWORK_EXCEPTION');
    expect(decideRetry(error, { ...base, attempts: 6 }, midpoint)).toEqual({ retry: false, error });
  });

  it('turns a retry that would pass the deadline into a REQUEST_TIMED_OUT naming the last error', () => {
    const decision = decideRetry(KafkaProtocolError.from('LEADER_NOT_AVAILABLE'), { ...base, nowMs: 60_950 }, midpoint);
    expect(decision.retry).toBe(false);
    const error = (decision as { error: KafkaProtocolError }).error;
    expect(error.errorName).toBe('REQUEST_TIMED_OUT');
    expect(error.message).toContain('createTopics');
    expect(error.message).toContain('LEADER_NOT_AVAILABLE');
  });

  it('does not retry errors that are not Kafka errors', () => {
    const error = new TypeError('bug');
    expect(decideRetry(error, base, midpoint)).toEqual({ retry: false, error });
  });
});

import { errorByName, KafkaProtocolError, type ErrorName } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { FencedInstanceIdError } from './group-errors.js';
import { commitOutcome, fetchOutcome, offsetCommitRequest, offsetFetchRequest } from './group-offsets.js';

const commitAnswer = (...codes: ErrorName[]) => ({
  throttleTimeMs: 0,
  topics: [{ name: 'orders', partitions: codes.map((name, partitionIndex) => ({ partitionIndex, errorCode: errorByName(name).code })) }],
});

describe('committed offsets', () => {
  it('fails a commit answered FENCED_INSTANCE_ID with FencedInstanceIdError (static membership, fatal)', () => {
    const outcome = commitOutcome(commitAnswer('FENCED_INSTANCE_ID'));
    expect(outcome.kind).toBe('failed');
    expect(outcome.kind === 'failed' && outcome.error).toBeInstanceOf(FencedInstanceIdError);
  });

  it('builds an OffsetCommit per topic, in the member generation, with Kafka defaults for epoch and metadata', () => {
    const body = offsetCommitRequest('billing', { generationId: 4, memberId: 'm-1' }, null, [
      { topic: 'orders', partition: 0, offset: 10 },
      { topic: 'payments', partition: 2, offset: 3, metadata: 'batch-9', leaderEpoch: 5 },
      { topic: 'orders', partition: 1, offset: 7 },
    ]);
    expect(body).toEqual({
      groupId: 'billing',
      generationIdOrMemberEpoch: 4,
      memberId: 'm-1',
      groupInstanceId: null,
      retentionTimeMs: -1,
      topics: [
        { name: 'orders', partitions: [{ partitionIndex: 0, committedOffset: 10, committedLeaderEpoch: -1, committedMetadata: '' }, { partitionIndex: 1, committedOffset: 7, committedLeaderEpoch: -1, committedMetadata: '' }] },
        { name: 'payments', partitions: [{ partitionIndex: 2, committedOffset: 3, committedLeaderEpoch: 5, committedMetadata: 'batch-9' }] },
      ],
    });
  });

  it("classifies commit answers as Kafka's OffsetCommitResponseHandler does", () => {
    expect(commitOutcome(commitAnswer('NONE', 'NONE'))).toEqual({ kind: 'committed' });
    expect(commitOutcome(commitAnswer('NONE', 'ILLEGAL_GENERATION'))).toMatchObject({ kind: 'fenced', errorName: 'ILLEGAL_GENERATION' });
    expect(commitOutcome(commitAnswer('UNKNOWN_MEMBER_ID'))).toMatchObject({ kind: 'fenced', errorName: 'UNKNOWN_MEMBER_ID' });
    expect(commitOutcome(commitAnswer('REBALANCE_IN_PROGRESS'))).toMatchObject({ kind: 'rebalancing' });
    expect(commitOutcome(commitAnswer('NOT_COORDINATOR'))).toMatchObject({ kind: 'retriable', coordinatorLost: true });
    expect(commitOutcome(commitAnswer('COORDINATOR_NOT_AVAILABLE'))).toMatchObject({ kind: 'retriable', coordinatorLost: true });
    expect(commitOutcome(commitAnswer('COORDINATOR_LOAD_IN_PROGRESS'))).toMatchObject({ kind: 'retriable', coordinatorLost: false });
    expect(commitOutcome(commitAnswer('STALE_MEMBER_EPOCH'))).toMatchObject({ kind: 'retriable', coordinatorLost: false, error: { errorName: 'STALE_MEMBER_EPOCH' } });
    expect(commitOutcome(commitAnswer('OFFSET_METADATA_TOO_LARGE'))).toMatchObject({ kind: 'failed', error: { errorName: 'OFFSET_METADATA_TOO_LARGE' } });
    expect(commitOutcome(null, KafkaProtocolError.from('REQUEST_TIMED_OUT'))).toMatchObject({ kind: 'retriable', coordinatorLost: true });
    expect(commitOutcome(null, KafkaProtocolError.from('INVALID_REQUEST'))).toMatchObject({ kind: 'failed' });
  });

  it('asks OffsetFetch for each topic once, or for everything with null', () => {
    expect(offsetFetchRequest('g', [{ topic: 'a', partition: 1 }, { topic: 'a', partition: 0 }, { topic: 'a', partition: 1 }], true)).toEqual({
      groupId: 'g',
      topics: [{ name: 'a', partitionIndexes: [1, 0] }],
      requireStable: true,
    });
    expect(offsetFetchRequest('g', null, false)).toEqual({ groupId: 'g', topics: null, requireStable: false });
  });

  it('reads -1 as nothing committed, and classifies fetch errors', () => {
    const answer = (errorCode: number, partitionError = 0) => ({
      throttleTimeMs: 0,
      errorCode,
      topics: [{ name: 'a', partitions: [{ partitionIndex: 0, committedOffset: 5, committedLeaderEpoch: 2, metadata: 'm', errorCode: partitionError }, { partitionIndex: 1, committedOffset: -1, committedLeaderEpoch: -1, metadata: null, errorCode: 0 }] }],
    });
    expect(fetchOutcome(answer(0))).toEqual({
      kind: 'fetched',
      offsets: [
        { topic: 'a', partition: 0, offset: 5, metadata: 'm', leaderEpoch: 2 },
        { topic: 'a', partition: 1, offset: null, metadata: null, leaderEpoch: -1 },
      ],
    });
    expect(fetchOutcome(answer(errorByName('NOT_COORDINATOR').code))).toMatchObject({ kind: 'retriable', coordinatorLost: true });
    expect(fetchOutcome(answer(errorByName('UNSTABLE_OFFSET_COMMIT').code))).toMatchObject({ kind: 'retriable', coordinatorLost: false });
    expect(fetchOutcome(answer(errorByName('GROUP_AUTHORIZATION_FAILED').code))).toMatchObject({ kind: 'failed' });
    expect(fetchOutcome(answer(0, errorByName('UNKNOWN_TOPIC_OR_PARTITION').code))).toMatchObject({ kind: 'retriable' });
  });
});

/**
 * The wire contract of transactions (issue 13, KIP-98, KIP-447, KIP-664): AddPartitionsToTxn, AddOffsetsToTxn, EndTxn,
 * WriteTxnMarkers, TxnOffsetCommit, DescribeTransactions and ListTransactions with Kafka's api keys, who serves each,
 * round trips through a frame, and refusals one past their bounds; Fetch's and ListOffsets' isolation level.
 */
import { describe, expect, it } from 'vitest';
import { requiresClusterAction } from './cluster-actions.js';
import { refusal, responseRefusal, roundTripRequest, roundTripResponse } from './frame-round-trip.test-support.js';
import { apiNameForKey, apis, type ApiName, type RequestBody, type ResponseBody } from './registry.js';
import { transactionStates } from './transaction-fields.js';
import { wireLimits } from './wire-limits.js';

const producer = { transactionalId: 'copier-1', producerId: 4_000_000_000, producerEpoch: 7 };

describe("the transaction APIs' keys and who serves them", () => {
  const expected: Array<[ApiName, number, string, boolean]> = [
    ['addPartitionsToTxn', 24, 'transactionCoordinator', false],
    ['addOffsetsToTxn', 25, 'transactionCoordinator', false],
    ['endTxn', 26, 'transactionCoordinator', false],
    ['writeTxnMarkers', 27, 'broker', true],
    ['txnOffsetCommit', 28, 'coordinator', false],
    ['describeTransactions', 65, 'transactionCoordinator', false],
    ['listTransactions', 66, 'broker', false],
  ];
  it.each(expected)('%s has api key %i, is served by the %s, control plane: %s', (api, key, servedBy, clusterAction) => {
    expect(apiNameForKey(key)).toBe(api);
    expect(apis[api].servedBy).toBe(servedBy);
    expect(requiresClusterAction(api)).toBe(clusterAction);
  });
});

describe('AddPartitionsToTxn (24)', () => {
  const request: RequestBody<'addPartitionsToTxn'> = { ...producer, topics: [{ name: 'output', partitions: [0, 2] }, { name: 'audit', partitions: [1] }] };

  it('round trips a request and an answer with an error code per partition', () => {
    expect(roundTripRequest('addPartitionsToTxn', request)).toEqual(request);
    const answer: ResponseBody<'addPartitionsToTxn'> = {
      throttleTimeMs: 0,
      results: [
        { name: 'output', resultsByPartition: [{ partitionIndex: 0, partitionErrorCode: 0 }, { partitionIndex: 2, partitionErrorCode: 55 }] },
        { name: 'audit', resultsByPartition: [{ partitionIndex: 1, partitionErrorCode: 3 }] },
      ],
    };
    expect(roundTripResponse('addPartitionsToTxn', answer)).toEqual(answer);
  });

  it(`accepts ${wireLimits.maxPartitionsPerTopicInRequest} partitions of a topic and refuses one more; refuses an epoch past int16`, () => {
    const partitions = (count: number) => Array.from({ length: count }, (_, index) => index);
    expect(refusal('addPartitionsToTxn', { ...producer, topics: [{ name: 't', partitions: partitions(wireLimits.maxPartitionsPerTopicInRequest) }] })).toBeUndefined();
    expect(refusal('addPartitionsToTxn', { ...producer, topics: [{ name: 't', partitions: partitions(wireLimits.maxPartitionsPerTopicInRequest + 1) }] })).toMatch(
      /^INVALID_REQUEST: \w+ v0 topics\.0\.partitions/,
    );
    expect(refusal('addPartitionsToTxn', { ...request, producerEpoch: 2 ** 15 })).toMatch(/producerEpoch/);
  });

  it('refuses a transactional id past the wire string bound', () => {
    expect(refusal('addPartitionsToTxn', { ...request, transactionalId: 'x'.repeat(wireLimits.maxStringChars + 1) })).toMatch(/transactionalId/);
  });
});

describe('AddOffsetsToTxn (25) and EndTxn (26)', () => {
  it('round trip', () => {
    const add: RequestBody<'addOffsetsToTxn'> = { ...producer, groupId: 'copier' };
    expect(roundTripRequest('addOffsetsToTxn', add)).toEqual(add);
    expect(roundTripResponse('addOffsetsToTxn', { throttleTimeMs: 0, errorCode: 51 })).toEqual({ throttleTimeMs: 0, errorCode: 51 });
    for (const committed of [true, false]) expect(roundTripRequest('endTxn', { ...producer, committed })).toEqual({ ...producer, committed });
    expect(roundTripResponse('endTxn', { throttleTimeMs: 0, errorCode: 90 })).toEqual({ throttleTimeMs: 0, errorCode: 90 });
  });

  it('refuse a missing group id and a commit flag that is not a boolean', () => {
    expect(refusal('addOffsetsToTxn', producer)).toMatch(/^INVALID_REQUEST: \w+ v0 groupId/);
    expect(refusal('endTxn', { ...producer, committed: 1 })).toMatch(/^INVALID_REQUEST: \w+ v0 committed/);
  });
});

describe('WriteTxnMarkers (27)', () => {
  const marker = { producerId: 1000, producerEpoch: 3, transactionResult: true, topics: [{ name: 'output', partitionIndexes: [0, 1] }], coordinatorEpoch: 5 };

  it('round trips markers for two producers and the per-partition answers', () => {
    const request: RequestBody<'writeTxnMarkers'> = { markers: [marker, { ...marker, producerId: 1001, transactionResult: false }] };
    expect(roundTripRequest('writeTxnMarkers', request)).toEqual(request);
    const answer: ResponseBody<'writeTxnMarkers'> = {
      markers: [{ producerId: 1000, topics: [{ name: 'output', partitions: [{ partitionIndex: 0, errorCode: 0 }, { partitionIndex: 1, errorCode: 6 }] }] }],
    };
    expect(roundTripResponse('writeTxnMarkers', answer)).toEqual(answer);
  });

  it(`accepts ${wireLimits.maxTxnMarkersPerRequest} markers and refuses one more`, () => {
    const markers = (count: number) => Array.from({ length: count }, (_, producerId) => ({ ...marker, producerId }));
    expect(refusal('writeTxnMarkers', { markers: markers(wireLimits.maxTxnMarkersPerRequest) })).toBeUndefined();
    expect(refusal('writeTxnMarkers', { markers: markers(wireLimits.maxTxnMarkersPerRequest + 1) })).toMatch(/^INVALID_REQUEST: \w+ v0 markers/);
  });
});

describe('TxnOffsetCommit (28, with KIP-447 generation, member and instance ids)', () => {
  const request: RequestBody<'txnOffsetCommit'> = {
    ...producer,
    groupId: 'copier',
    generationId: 4,
    memberId: 'copier-1-5f0e',
    groupInstanceId: null,
    topics: [{ name: 'input', partitions: [{ partitionIndex: 0, committedOffset: 100, committedLeaderEpoch: -1, committedMetadata: null }] }],
  };

  it('round trips a member-validated commit, one without a generation (-1, \'\') and the answer', () => {
    expect(roundTripRequest('txnOffsetCommit', request)).toEqual(request);
    const unvalidated = { ...request, generationId: -1, memberId: '', groupInstanceId: 'copier-a' };
    expect(roundTripRequest('txnOffsetCommit', unvalidated)).toEqual(unvalidated);
    const answer: ResponseBody<'txnOffsetCommit'> = { throttleTimeMs: 0, topics: [{ name: 'input', partitions: [{ partitionIndex: 0, errorCode: 22 }] }] };
    expect(roundTripResponse('txnOffsetCommit', answer)).toEqual(answer);
  });

  it('refuses a commit without the KIP-447 fields and metadata past the wire string bound', () => {
    const { generationId: _generationId, ...withoutGeneration } = request;
    expect(refusal('txnOffsetCommit', withoutGeneration)).toMatch(/^INVALID_REQUEST: \w+ v0 generationId/);
    const longMetadata = { ...request, topics: [{ name: 'input', partitions: [{ ...request.topics[0]!.partitions[0]!, committedMetadata: 'm'.repeat(wireLimits.maxStringChars + 1) }] }] };
    expect(refusal('txnOffsetCommit', longMetadata)).toMatch(/committedMetadata/);
  });
});

describe('DescribeTransactions (65) and ListTransactions (66), KIP-664', () => {
  it("round trip a description in each of Kafka's states, and an unknown id answered with an error and no state", () => {
    const described: ResponseBody<'describeTransactions'> = {
      throttleTimeMs: 0,
      transactionStates: [
        ...transactionStates.map((transactionState) => ({
          errorCode: 0,
          transactionalId: `tx-${transactionState}`,
          transactionState,
          transactionTimeoutMs: 60_000,
          transactionStartTimeMs: 1_700_000_000_000,
          producerId: 1000,
          producerEpoch: 3,
          topicPartitions: [{ name: 'output', partitionIndexes: [0, 1] }],
        })),
        { errorCode: 105, transactionalId: 'missing', transactionState: '', transactionTimeoutMs: 0, transactionStartTimeMs: -1, producerId: -1, producerEpoch: -1, topicPartitions: [] },
      ],
    };
    expect(roundTripRequest('describeTransactions', { transactionalIds: ['tx-Ongoing', 'missing'] })).toEqual({ transactionalIds: ['tx-Ongoing', 'missing'] });
    expect(roundTripResponse('describeTransactions', described)).toEqual(described);
  });

  it('refuses a state Kafka does not have in an answer', () => {
    const answer = {
      throttleTimeMs: 0,
      transactionStates: [{ errorCode: 0, transactionalId: 't', transactionState: 'Committing', transactionTimeoutMs: 1, transactionStartTimeMs: -1, producerId: 1, producerEpoch: 0, topicPartitions: [] }],
    };
    expect(responseRefusal('describeTransactions', answer)).toBe('CORRUPT_MESSAGE');
  });

  it(`accepts ${wireLimits.maxTransactionalIdsPerRequest} transactional ids and refuses one more`, () => {
    const ids = (count: number) => Array.from({ length: count }, (_, index) => `tx-${index}`);
    expect(refusal('describeTransactions', { transactionalIds: ids(wireLimits.maxTransactionalIdsPerRequest) })).toBeUndefined();
    expect(refusal('describeTransactions', { transactionalIds: ids(wireLimits.maxTransactionalIdsPerRequest + 1) })).toMatch(/^INVALID_REQUEST: \w+ v0 transactionalIds/);
  });

  it('round trips a filtered listing, echoing the unknown state filters', () => {
    const request: RequestBody<'listTransactions'> = { stateFilters: ['Ongoing', 'Bogus'], producerIdFilters: [1000] };
    expect(roundTripRequest('listTransactions', request)).toEqual(request);
    const answer: ResponseBody<'listTransactions'> = {
      throttleTimeMs: 0,
      errorCode: 0,
      unknownStateFilters: ['Bogus'],
      transactionStates: [{ transactionalId: 'copier-1', producerId: 1000, transactionState: 'Ongoing' }],
    };
    expect(roundTripResponse('listTransactions', answer)).toEqual(answer);
  });

  it(`accepts ${wireLimits.maxListFilters} filters of each kind and refuses one more`, () => {
    const many = Array.from({ length: wireLimits.maxListFilters }, (_, index) => index);
    expect(refusal('listTransactions', { stateFilters: many.map(String), producerIdFilters: many })).toBeUndefined();
    expect(refusal('listTransactions', { stateFilters: [], producerIdFilters: [...many, 0] })).toMatch(/^INVALID_REQUEST: \w+ v0 producerIdFilters/);
    expect(refusal('listTransactions', { stateFilters: [...many.map(String), 'x'], producerIdFilters: [] })).toMatch(/^INVALID_REQUEST: \w+ v0 stateFilters/);
  });
});

describe('isolation levels and aborted transactions (Fetch, ListOffsets)', () => {
  const fetch: RequestBody<'fetch'> = {
    replicaId: -1,
    maxWaitMs: 500,
    minBytes: 1,
    maxBytes: 1_000,
    isolationLevel: 1,
    topics: [{ topic: 'output', partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 0, logStartOffset: -1, partitionMaxBytes: 100 }] }],
  };

  it("accepts read_uncommitted (0) and read_committed (1) and refuses any other id, as Kafka's IsolationLevel.forId does", () => {
    expect(roundTripRequest('fetch', fetch)).toEqual(fetch);
    expect(refusal('fetch', { ...fetch, isolationLevel: 0 })).toBeUndefined();
    expect(refusal('fetch', { ...fetch, isolationLevel: 2 })).toMatch(/^INVALID_REQUEST: \w+ v0 isolationLevel/);
    const listOffsets = { replicaId: -1, isolationLevel: 1, topics: [{ name: 'output', partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -1 }] }] };
    expect(refusal('listOffsets', listOffsets)).toBeUndefined();
    expect(refusal('listOffsets', { ...listOffsets, isolationLevel: -1 })).toMatch(/^INVALID_REQUEST: \w+ v0 isolationLevel/);
  });

  it(`an answer carries the LSO and up to ${wireLimits.maxAbortedTransactionsPerPartition} aborted transactions per partition`, () => {
    const partition = (abortedTransactions: Array<{ producerId: number; firstOffset: number }> | null) => ({
      partitionIndex: 0,
      errorCode: 0,
      highWatermark: 20,
      lastStableOffset: 12,
      logStartOffset: 0,
      abortedTransactions,
      records: new Uint8Array(),
    });
    const answer = (aborted: Array<{ producerId: number; firstOffset: number }> | null) => ({ throttleTimeMs: 0, errorCode: 0, responses: [{ topic: 'output', partitions: [partition(aborted)] }] });
    const two = [{ producerId: 1000, firstOffset: 3 }, { producerId: 1001, firstOffset: 5 }];
    const decodedPartition = (aborted: Array<{ producerId: number; firstOffset: number }> | null) =>
      (roundTripResponse('fetch', answer(aborted)) as ResponseBody<'fetch'>).responses[0]!.partitions[0];
    expect(decodedPartition(two)).toMatchObject({ lastStableOffset: 12, abortedTransactions: two });
    expect(decodedPartition(null)).toMatchObject({ lastStableOffset: 12, abortedTransactions: null });
    const many = (count: number) => Array.from({ length: count }, (_, firstOffset) => ({ producerId: 1, firstOffset }));
    expect(responseRefusal('fetch', answer(many(wireLimits.maxAbortedTransactionsPerPartition)))).toBeUndefined();
    expect(responseRefusal('fetch', answer(many(wireLimits.maxAbortedTransactionsPerPartition + 1)))).toBe('CORRUPT_MESSAGE');
  });
});

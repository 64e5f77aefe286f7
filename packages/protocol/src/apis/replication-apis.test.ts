/**
 * The wire contract of replication (issue 11): Fetch's replica fields with Kafka's defaults when absent, and the
 * OffsetsForLeaderEpoch, AlterPartition and ElectLeaders schemas, each round-tripped through a frame and refused one
 * past its bounds. AlterPartition is a control-plane API; ElectLeaders is an admin API clients may call.
 */
import { describe, expect, it } from 'vitest';
import { refusal, responseRefusal, roundTripRequest, roundTripResponse } from './frame-round-trip.test-support.js';
import { requiresClusterAction } from './cluster-actions.js';
import { apiNameForKey, apis, type RequestBody, type ResponseBody } from './registry.js';
import { wireLimits } from './wire-limits.js';

const consumerFetch: RequestBody<'fetch'> = {
  replicaId: -1,
  maxWaitMs: 500,
  minBytes: 1,
  maxBytes: 1_000,
  isolationLevel: 0,
  topics: [{ topic: 'orders', partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 0, logStartOffset: -1, partitionMaxBytes: 100 }] }],
};

const followerFetch: RequestBody<'fetch'> = {
  ...consumerFetch,
  replicaId: 2,
  replicaEpoch: 4_294_967_296,
  topics: [{ topic: 'orders', partitions: [{ partition: 0, currentLeaderEpoch: 5, lastFetchedEpoch: 3, fetchOffset: 42, logStartOffset: 0, partitionMaxBytes: 100 }] }],
};

const fetchPartition: ResponseBody<'fetch'>['responses'][number]['partitions'][number] = {
  partitionIndex: 0,
  errorCode: 0,
  highWatermark: 10,
  lastStableOffset: 10,
  logStartOffset: 0,
  abortedTransactions: null,
  records: new Uint8Array(),
};

describe('Fetch replica fields (KIP-903 ReplicaState, KIP-595 LastFetchedEpoch, DivergingEpoch, KIP-951 CurrentLeader)', () => {
  it("a consumer's fetch without them still decodes, and leaves them absent (Kafka's defaults)", () => {
    const body = roundTripRequest('fetch', consumerFetch) as RequestBody<'fetch'>;
    expect(body.replicaEpoch).toBeUndefined();
    expect(body.topics[0]?.partitions[0]?.lastFetchedEpoch).toBeUndefined();
  });

  it("a follower's fetch carries its broker epoch (int64) and last fetched epoch", () => {
    expect(roundTripRequest('fetch', followerFetch)).toEqual(followerFetch);
  });

  it('an answer carries the diverging epoch and the current leader, or neither', () => {
    const diverged = { ...fetchPartition, divergingEpoch: { epoch: 3, endOffset: 37 }, currentLeader: { leaderId: 1, leaderEpoch: 5 } };
    const body = { throttleTimeMs: 0, errorCode: 0, responses: [{ topic: 'orders', partitions: [diverged, fetchPartition] }] };
    const decoded = roundTripResponse('fetch', body) as ResponseBody<'fetch'>;
    const [first, second] = decoded.responses[0]!.partitions;
    expect(first).toMatchObject({ divergingEpoch: { epoch: 3, endOffset: 37 }, currentLeader: { leaderId: 1, leaderEpoch: 5 } });
    expect(second?.divergingEpoch).toBeUndefined();
    expect(second?.currentLeader).toBeUndefined();
  });

  it('refuses a last fetched epoch past int32 and a diverging epoch without its end offset', () => {
    const tooBig = { ...followerFetch, topics: [{ topic: 'orders', partitions: [{ ...followerFetch.topics[0]!.partitions[0]!, lastFetchedEpoch: 2 ** 31 }] }] };
    expect(refusal('fetch', tooBig)).toMatch(/^INVALID_REQUEST: \w+ v0 topics\.0\.partitions\.0\.lastFetchedEpoch/);
    const body = { throttleTimeMs: 0, errorCode: 0, responses: [{ topic: 'orders', partitions: [{ ...fetchPartition, divergingEpoch: { epoch: 3 } }] }] };
    expect(responseRefusal('fetch', body)).toBe('CORRUPT_MESSAGE');
  });
});

describe('OffsetsForLeaderEpoch (api key 23)', () => {
  const request: RequestBody<'offsetsForLeaderEpoch'> = {
    replicaId: -1,
    topics: [{ topic: 'orders', partitions: [{ partition: 0, currentLeaderEpoch: 5, leaderEpoch: 3 }, { partition: 1, currentLeaderEpoch: -1, leaderEpoch: 0 }] }],
  };

  it('has Kafka\'s api key, is served by any broker and is not a control-plane request', () => {
    expect(apiNameForKey(23)).toBe('offsetsForLeaderEpoch');
    expect(apis.offsetsForLeaderEpoch.servedBy).toBe('broker');
    expect(requiresClusterAction('offsetsForLeaderEpoch')).toBe(false);
  });

  it('round trips a request and an answer (an epoch found, and UNDEFINED_EPOCH_OFFSET)', () => {
    expect(roundTripRequest('offsetsForLeaderEpoch', request)).toEqual(request);
    const answer: ResponseBody<'offsetsForLeaderEpoch'> = {
      throttleTimeMs: 0,
      topics: [{ topic: 'orders', partitions: [{ errorCode: 0, partition: 0, leaderEpoch: 3, endOffset: 2 ** 53 - 1 }, { errorCode: 0, partition: 1, leaderEpoch: -1, endOffset: -1 }] }],
    };
    expect(roundTripResponse('offsetsForLeaderEpoch', answer)).toEqual(answer);
  });

  it(`accepts ${wireLimits.maxPartitionsPerTopicInRequest} partitions of a topic and refuses one more; refuses an epoch past int32`, () => {
    const partitions = (count: number) => Array.from({ length: count }, (_, partition) => ({ partition, currentLeaderEpoch: -1, leaderEpoch: 0 }));
    expect(refusal('offsetsForLeaderEpoch', { replicaId: -1, topics: [{ topic: 't', partitions: partitions(wireLimits.maxPartitionsPerTopicInRequest) }] })).toBeUndefined();
    expect(refusal('offsetsForLeaderEpoch', { replicaId: -1, topics: [{ topic: 't', partitions: partitions(wireLimits.maxPartitionsPerTopicInRequest + 1) }] })).toMatch(/^INVALID_REQUEST: \w+ v0 topics\.0\.partitions/);
    expect(refusal('offsetsForLeaderEpoch', { replicaId: -1, topics: [{ topic: 't', partitions: [{ partition: 0, currentLeaderEpoch: -1, leaderEpoch: 2 ** 31 }] }] })).toMatch(/leaderEpoch/);
  });
});

describe('AlterPartition (api key 56)', () => {
  const request: RequestBody<'alterPartition'> = {
    brokerId: 1,
    brokerEpoch: 37,
    topics: [
      {
        topicId: 'fX3k2Q',
        partitions: [{ partitionIndex: 0, leaderEpoch: 4, newIsrWithEpochs: [{ brokerId: 1, brokerEpoch: 37 }, { brokerId: 2, brokerEpoch: -1 }], leaderRecoveryState: 0, partitionEpoch: 9 }],
      },
    ],
  };

  it("has Kafka's api key, is served by the controller and is refused to clients (CLUSTER_AUTHORIZATION_FAILED)", () => {
    expect(apiNameForKey(56)).toBe('alterPartition');
    expect(apis.alterPartition.servedBy).toBe('controller');
    expect(requiresClusterAction('alterPartition')).toBe(true);
  });

  it('round trips a request and an answer with the committed ISR and epochs', () => {
    expect(roundTripRequest('alterPartition', request)).toEqual(request);
    const answer: ResponseBody<'alterPartition'> = {
      throttleTimeMs: 0,
      errorCode: 0,
      topics: [{ topicId: 'fX3k2Q', partitions: [{ partitionIndex: 0, errorCode: 0, leaderId: 1, leaderEpoch: 4, isr: [1, 2], leaderRecoveryState: 0, partitionEpoch: 10 }] }],
    };
    expect(roundTripResponse('alterPartition', answer)).toEqual(answer);
  });

  it('accepts RECOVERED (0) and RECOVERING (1) only as the leader recovery state (KIP-704)', () => {
    const withState = (leaderRecoveryState: number) => ({ ...request, topics: [{ ...request.topics[0]!, partitions: [{ ...request.topics[0]!.partitions[0]!, leaderRecoveryState }] }] });
    expect(refusal('alterPartition', withState(1))).toBeUndefined();
    expect(refusal('alterPartition', withState(2))).toMatch(/^INVALID_REQUEST: \w+ v0 topics\.0\.partitions\.0\.leaderRecoveryState/);
    expect(refusal('alterPartition', withState(-1))).toMatch(/^INVALID_REQUEST: \w+ v0 topics\.0\.partitions\.0\.leaderRecoveryState/);
  });

  it(`accepts an ISR of ${wireLimits.maxBrokers} members and refuses one more`, () => {
    const withIsr = (count: number) => ({
      ...request,
      topics: [{ ...request.topics[0]!, partitions: [{ ...request.topics[0]!.partitions[0]!, newIsrWithEpochs: Array.from({ length: count }, (_, brokerId) => ({ brokerId, brokerEpoch: -1 })) }] }],
    });
    expect(refusal('alterPartition', withIsr(wireLimits.maxBrokers))).toBeUndefined();
    expect(refusal('alterPartition', withIsr(wireLimits.maxBrokers + 1))).toMatch(/^INVALID_REQUEST: \w+ v0 topics\.0\.partitions\.0\.newIsrWithEpochs/);
  });
});

describe('ElectLeaders (api key 43)', () => {
  it("has Kafka's api key, is served by the controller and is an admin API clients may call", () => {
    expect(apiNameForKey(43)).toBe('electLeaders');
    expect(apis.electLeaders.servedBy).toBe('controller');
    expect(requiresClusterAction('electLeaders')).toBe(false);
  });

  it('round trips a request for some partitions, for all (null), and an answer', () => {
    const some: RequestBody<'electLeaders'> = { electionType: 0, topicPartitions: [{ topic: 'orders', partitions: [0, 5] }], timeoutMs: 60_000 };
    expect(roundTripRequest('electLeaders', some)).toEqual(some);
    const all: RequestBody<'electLeaders'> = { electionType: 1, topicPartitions: null, timeoutMs: 60_000 };
    expect(roundTripRequest('electLeaders', all)).toEqual(all);
    const answer: ResponseBody<'electLeaders'> = {
      throttleTimeMs: 0,
      errorCode: 0,
      replicaElectionResults: [{ topic: 'orders', partitionResult: [{ partitionId: 0, errorCode: 84, errorMessage: 'leader 0 is already the preferred replica' }, { partitionId: 5, errorCode: 0, errorMessage: null }] }],
    };
    expect(roundTripResponse('electLeaders', answer)).toEqual(answer);
  });

  it(`an answer for every partition (null) may list more than the ${wireLimits.maxTopicsPerRequest} topics a request may name (bounded by maxListedEntries)`, () => {
    const answer = (count: number) => ({
      throttleTimeMs: 0,
      errorCode: 0,
      replicaElectionResults: Array.from({ length: count }, (_, index) => ({ topic: `t${index}`, partitionResult: [{ partitionId: 0, errorCode: 0, errorMessage: null }] })),
    });
    expect(responseRefusal('electLeaders', answer(wireLimits.maxTopicsPerRequest + 1))).toBeUndefined();
  });

  it('accepts PREFERRED (0) and UNCLEAN (1) only as the election type', () => {
    expect(refusal('electLeaders', { electionType: 2, topicPartitions: null, timeoutMs: 1 })).toMatch(/^INVALID_REQUEST: \w+ v0 electionType/);
    expect(refusal('electLeaders', { electionType: -1, topicPartitions: null, timeoutMs: 1 })).toMatch(/^INVALID_REQUEST: \w+ v0 electionType/);
  });

  it(`accepts ${wireLimits.maxTopicsPerRequest} topics and refuses one more`, () => {
    const topics = (count: number) => Array.from({ length: count }, (_, index) => ({ topic: `t${index}`, partitions: [0] }));
    expect(refusal('electLeaders', { electionType: 0, topicPartitions: topics(wireLimits.maxTopicsPerRequest), timeoutMs: 1 })).toBeUndefined();
    expect(refusal('electLeaders', { electionType: 0, topicPartitions: topics(wireLimits.maxTopicsPerRequest + 1), timeoutMs: 1 })).toMatch(/^INVALID_REQUEST: \w+ v0 topicPartitions/);
  });
});

describe('Produce acks', () => {
  it('lets acks outside -1, 0 and 1 through the frame (int16), so the broker answers INVALID_REQUIRED_ACKS, not INVALID_REQUEST', () => {
    const body = { transactionalId: null, acks: 3, timeoutMs: 30_000, topicData: [{ name: 'orders', partitionData: [{ index: 0, records: new Uint8Array([1]) }] }] };
    expect(refusal('produce', body)).toBeUndefined();
    expect(refusal('produce', { ...body, acks: -2 })).toBeUndefined();
    expect(refusal('produce', { ...body, acks: 2 ** 15 })).toMatch(/^INVALID_REQUEST: \w+ v0 acks/);
  });
});

/**
 * The wire contract of the KRaft metadata quorum (issue 12): Vote (with KIP-996's pre-vote), BeginQuorumEpoch,
 * EndQuorumEpoch, DescribeQuorum and FetchSnapshot with Kafka's api keys, each round-tripped through a frame and
 * refused one past its bounds; Fetch's optional cluster id and snapshot id. Vote, BeginQuorumEpoch,
 * EndQuorumEpoch and FetchSnapshot are control-plane requests; DescribeQuorum is an admin read clients may send.
 */
import { describe, expect, it } from 'vitest';
import { refusal, responseRefusal, roundTripRequest, roundTripResponse } from './frame-round-trip.test-support.js';
import { requiresClusterAction } from './cluster-actions.js';
import { fetchReplicationDefaults } from './fetch.js';
import { quorumFieldDefaults } from './quorum-fields.js';
import { apiNameForKey, apis, supportedApiVersions, type RequestBody, type ResponseBody } from './registry.js';
import { wireLimits } from './wire-limits.js';

const metadataTopic = '__cluster_metadata';
const directoryId = 'J8aAPcfLQt2bqs1JT_rMgQ';
const endpoints = (count: number) => Array.from({ length: count }, (_, index) => ({ name: `CONTROLLER${index}`, host: '127.0.0.1', port: 9093 + index }));

describe('the quorum APIs in the registry', () => {
  it.each([
    [52, 'vote', true],
    [53, 'beginQuorumEpoch', true],
    [54, 'endQuorumEpoch', true],
    [55, 'describeQuorum', false],
    [59, 'fetchSnapshot', true],
  ] as const)("api key %i is %s, served by the quorum; control-plane (cluster principal only): %s", (key, api, controlPlane) => {
    expect(apiNameForKey(key)).toBe(api);
    expect(apis[api].servedBy).toBe('quorum');
    expect(requiresClusterAction(api)).toBe(controlPlane);
    expect(supportedApiVersions()).toContainEqual({ apiKey: key, name: api, minVersion: 0, maxVersion: 0 });
  });
});

describe('Vote (api key 52)', () => {
  const partition = { partitionIndex: 0, replicaEpoch: 5, replicaId: 1, lastOffsetEpoch: 4, lastOffset: 2 ** 40, preVote: false };
  const request: RequestBody<'vote'> = { clusterId: 'kactor-cluster', voterId: 2, topics: [{ topicName: metadataTopic, partitions: [partition] }] };

  it('round trips a standard vote, a pre-vote (KIP-996) with directory ids, and their answers', () => {
    expect(roundTripRequest('vote', request)).toEqual(request);
    const preVote: RequestBody<'vote'> = {
      clusterId: null,
      voterId: -1,
      topics: [{ topicName: metadataTopic, partitions: [{ ...partition, replicaEpoch: 4, preVote: true, replicaDirectoryId: directoryId, voterDirectoryId: quorumFieldDefaults.directoryId }] }],
    };
    expect(roundTripRequest('vote', preVote)).toEqual(preVote);
    const granted: ResponseBody<'vote'> = { errorCode: 0, topics: [{ topicName: metadataTopic, partitions: [{ partitionIndex: 0, errorCode: 0, leaderId: -1, leaderEpoch: 5, voteGranted: true }] }] };
    expect(roundTripResponse('vote', granted)).toEqual(granted);
    const withLeader: ResponseBody<'vote'> = {
      errorCode: 0,
      topics: [{ topicName: metadataTopic, partitions: [{ partitionIndex: 0, errorCode: 74, leaderId: 3, leaderEpoch: 6, voteGranted: false }] }],
      nodeEndpoints: [{ nodeId: 3, host: '127.0.0.1', port: 9095 }],
    };
    expect(roundTripResponse('vote', withLeader)).toEqual(withLeader);
  });

  it('refuses a vote that does not say whether it is a pre-vote, an offset past the safe integers and a malformed directory id', () => {
    const withPartition = (fields: Record<string, unknown>) => ({ ...request, topics: [{ topicName: metadataTopic, partitions: [{ ...partition, ...fields }] }] });
    const { preVote: _preVote, ...withoutPreVote } = partition;
    expect(refusal('vote', { ...request, topics: [{ topicName: metadataTopic, partitions: [withoutPreVote] }] })).toMatch(/^INVALID_REQUEST: \w+ v0 topics\.0\.partitions\.0\.preVote/);
    expect(refusal('vote', withPartition({ lastOffset: 2 ** 53 }))).toMatch(/lastOffset/);
    expect(refusal('vote', withPartition({ replicaEpoch: 2 ** 31 }))).toMatch(/replicaEpoch/);
    expect(refusal('vote', withPartition({ replicaDirectoryId: 'not-a-uuid' }))).toMatch(/replicaDirectoryId/);
    expect(refusal('vote', withPartition({ voterDirectoryId: directoryId + 'A' }))).toMatch(/voterDirectoryId/);
  });

  it(`accepts ${wireLimits.maxBrokers} leader endpoints in an answer and refuses one more, and a port past 65535`, () => {
    const answer = (nodeEndpoints: unknown) => ({ errorCode: 0, topics: [], nodeEndpoints });
    const nodes = (count: number) => Array.from({ length: count }, (_, nodeId) => ({ nodeId, host: 'h', port: 1 }));
    expect(responseRefusal('vote', answer(nodes(wireLimits.maxBrokers)))).toBeUndefined();
    expect(responseRefusal('vote', answer(nodes(wireLimits.maxBrokers + 1)))).toBe('CORRUPT_MESSAGE');
    expect(responseRefusal('vote', answer([{ nodeId: 1, host: 'h', port: 65_536 }]))).toBe('CORRUPT_MESSAGE');
  });
});

describe('BeginQuorumEpoch (api key 53)', () => {
  const request: RequestBody<'beginQuorumEpoch'> = {
    clusterId: 'kactor-cluster',
    voterId: 2,
    topics: [{ topicName: metadataTopic, partitions: [{ partitionIndex: 0, leaderId: 1, leaderEpoch: 6 }] }],
    leaderEndpoints: endpoints(1),
  };

  it('round trips a request naming the new leader and its endpoints, and an answer', () => {
    expect(roundTripRequest('beginQuorumEpoch', request)).toEqual(request);
    const answer: ResponseBody<'beginQuorumEpoch'> = { errorCode: 0, topics: [{ topicName: metadataTopic, partitions: [{ partitionIndex: 0, errorCode: 0, leaderId: 1, leaderEpoch: 6 }] }] };
    expect(roundTripResponse('beginQuorumEpoch', answer)).toEqual(answer);
  });

  it(`accepts ${wireLimits.maxEndpointsPerNode} leader endpoints and refuses one more`, () => {
    expect(refusal('beginQuorumEpoch', { ...request, leaderEndpoints: endpoints(wireLimits.maxEndpointsPerNode) })).toBeUndefined();
    expect(refusal('beginQuorumEpoch', { ...request, leaderEndpoints: endpoints(wireLimits.maxEndpointsPerNode + 1) })).toMatch(/^INVALID_REQUEST: \w+ v0 leaderEndpoints/);
  });
});

describe('EndQuorumEpoch (api key 54)', () => {
  const withCandidates = (count: number): RequestBody<'endQuorumEpoch'> => ({
    clusterId: null,
    topics: [
      {
        topicName: metadataTopic,
        partitions: [{ partitionIndex: 0, leaderId: 1, leaderEpoch: 6, preferredCandidates: Array.from({ length: count }, (_, index) => ({ candidateId: index + 2 })) }],
      },
    ],
    leaderEndpoints: endpoints(1),
  });

  it('round trips a resignation with its preferred candidates in order, and an answer', () => {
    const request = withCandidates(2);
    request.topics[0]!.partitions[0]!.preferredCandidates.push({ candidateId: 9, candidateDirectoryId: directoryId });
    const decoded = roundTripRequest('endQuorumEpoch', request) as RequestBody<'endQuorumEpoch'>;
    expect(decoded).toEqual(request);
    expect(decoded.topics[0]?.partitions[0]?.preferredCandidates.map((candidate) => candidate.candidateId)).toEqual([2, 3, 9]);
    const answer: ResponseBody<'endQuorumEpoch'> = { errorCode: 0, topics: [{ topicName: metadataTopic, partitions: [{ partitionIndex: 0, errorCode: 0, leaderId: -1, leaderEpoch: 6 }] }] };
    expect(roundTripResponse('endQuorumEpoch', answer)).toEqual(answer);
  });

  it(`accepts ${wireLimits.maxBrokers} preferred candidates and refuses one more`, () => {
    expect(refusal('endQuorumEpoch', withCandidates(wireLimits.maxBrokers))).toBeUndefined();
    expect(refusal('endQuorumEpoch', withCandidates(wireLimits.maxBrokers + 1))).toMatch(/^INVALID_REQUEST: \w+ v0 topics\.0\.partitions\.0\.preferredCandidates/);
  });
});

describe('DescribeQuorum (api key 55)', () => {
  const replica = (replicaId: number, logEndOffset: number) => ({ replicaId, logEndOffset, lastFetchTimestamp: 1_700_000_000_000 + replicaId, lastCaughtUpTimestamp: 1_700_000_000_000 });
  const answer = (voters: number, observers: number): ResponseBody<'describeQuorum'> => ({
    errorCode: 0,
    errorMessage: null,
    topics: [
      {
        topicName: metadataTopic,
        partitions: [
          {
            partitionIndex: 0,
            errorCode: 0,
            errorMessage: null,
            leaderId: 0,
            leaderEpoch: 3,
            highWatermark: 42,
            currentVoters: Array.from({ length: voters }, (_, id) => replica(id, 42)),
            observers: Array.from({ length: observers }, (_, id) => replica(voters + id, 40)),
          },
        ],
      },
    ],
    nodes: [{ nodeId: 0, listeners: endpoints(1) }],
  });

  it('round trips a request and an answer: leader, epoch, high watermark, each voter and observer with its log end offset and times', () => {
    const request: RequestBody<'describeQuorum'> = { topics: [{ topicName: metadataTopic, partitions: [{ partitionIndex: 0 }] }] };
    expect(roundTripRequest('describeQuorum', request)).toEqual(request);
    const full = answer(3, 2);
    full.topics[0]!.partitions[0]!.currentVoters[1] = { replicaId: 1, replicaDirectoryId: directoryId, logEndOffset: -1, lastFetchTimestamp: -1, lastCaughtUpTimestamp: -1 };
    expect(roundTripResponse('describeQuorum', full)).toEqual(full);
    const noLeader: ResponseBody<'describeQuorum'> = { errorCode: 6, errorMessage: 'this node does not lead the metadata quorum', topics: [], nodes: [] };
    expect(roundTripResponse('describeQuorum', noLeader)).toEqual(noLeader);
  });

  it(`lists up to ${wireLimits.maxBrokers} voters and observers, and refuses one more`, () => {
    expect(responseRefusal('describeQuorum', answer(wireLimits.maxBrokers, wireLimits.maxBrokers))).toBeUndefined();
    expect(responseRefusal('describeQuorum', answer(wireLimits.maxBrokers + 1, 0))).toBe('CORRUPT_MESSAGE');
    expect(responseRefusal('describeQuorum', answer(3, wireLimits.maxBrokers + 1))).toBe('CORRUPT_MESSAGE');
  });

  it('refuses a replica without its last fetch time', () => {
    const full = answer(1, 0) as { topics: Array<{ partitions: Array<{ currentVoters: Array<Record<string, unknown>> }> }> };
    delete full.topics[0]!.partitions[0]!.currentVoters[0]!.lastFetchTimestamp;
    expect(responseRefusal('describeQuorum', full)).toBe('CORRUPT_MESSAGE');
  });
});

describe('FetchSnapshot (api key 59)', () => {
  const request: RequestBody<'fetchSnapshot'> = {
    clusterId: 'kactor-cluster',
    replicaId: 4,
    maxBytes: 2_147_483_647,
    topics: [{ name: metadataTopic, partitions: [{ partition: 0, currentLeaderEpoch: 6, snapshotId: { endOffset: 100, epoch: 1 }, position: 0 }] }],
  };

  it('round trips a request for a snapshot chunk and an answer carrying bytes that may end inside a batch', () => {
    expect(roundTripRequest('fetchSnapshot', request)).toEqual(request);
    const answer: ResponseBody<'fetchSnapshot'> = {
      throttleTimeMs: 0,
      errorCode: 0,
      topics: [
        {
          name: metadataTopic,
          partitions: [
            { index: 0, errorCode: 0, snapshotId: { endOffset: 100, epoch: 1 }, currentLeader: { leaderId: 0, leaderEpoch: 6 }, size: 5_000, position: 4_096, unalignedRecords: new Uint8Array([1, 2, 3]) },
            { index: 1, errorCode: 98, snapshotId: { endOffset: -1, epoch: -1 }, size: -1, position: -1, unalignedRecords: new Uint8Array() },
          ],
        },
      ],
    };
    const decoded = roundTripResponse('fetchSnapshot', answer) as ResponseBody<'fetchSnapshot'>;
    expect(decoded.topics[0]?.partitions[0]).toMatchObject({ size: 5_000, position: 4_096, currentLeader: { leaderId: 0, leaderEpoch: 6 } });
    expect([...(decoded.topics[0]?.partitions[0]?.unalignedRecords ?? [])]).toEqual([1, 2, 3]);
    expect(decoded.topics[0]?.partitions[1]?.currentLeader).toBeUndefined();
  });

  it('refuses a snapshot id without its epoch and a position past the safe integers', () => {
    const withPartition = (fields: Record<string, unknown>) => ({ ...request, topics: [{ name: metadataTopic, partitions: [{ ...request.topics[0]!.partitions[0]!, ...fields }] }] });
    expect(refusal('fetchSnapshot', withPartition({ snapshotId: { endOffset: 100 } }))).toMatch(/^INVALID_REQUEST: \w+ v0 topics\.0\.partitions\.0\.snapshotId/);
    expect(refusal('fetchSnapshot', withPartition({ position: 2 ** 53 }))).toMatch(/position/);
  });
});

describe('Fetch for the metadata quorum (ClusterId, SnapshotId)', () => {
  const quorumFetch: RequestBody<'fetch'> = {
    clusterId: 'kactor-cluster',
    replicaId: 2,
    maxWaitMs: 500,
    minBytes: 0,
    maxBytes: 8_388_608,
    isolationLevel: 0,
    topics: [{ topic: metadataTopic, partitions: [{ partition: 0, currentLeaderEpoch: 6, lastFetchedEpoch: 5, fetchOffset: 37, logStartOffset: -1, partitionMaxBytes: 1_048_576 }] }],
  };

  it('a fetch with a cluster id round trips, and one without it (a consumer) leaves it absent', () => {
    expect(roundTripRequest('fetch', quorumFetch)).toEqual(quorumFetch);
    expect(roundTripRequest('fetch', { ...quorumFetch, clusterId: null })).toMatchObject({ clusterId: null });
    const { clusterId: _clusterId, ...consumerFetch } = quorumFetch;
    expect((roundTripRequest('fetch', consumerFetch) as RequestBody<'fetch'>).clusterId).toBeUndefined();
    expect(fetchReplicationDefaults.clusterId).toBeNull();
  });

  it('an answer names the snapshot to read instead of the log, or none', () => {
    const partition = { partitionIndex: 0, errorCode: 0, highWatermark: 10, lastStableOffset: 10, logStartOffset: 100, abortedTransactions: null, records: new Uint8Array() };
    const body = { throttleTimeMs: 0, errorCode: 0, responses: [{ topic: metadataTopic, partitions: [{ ...partition, snapshotId: { endOffset: 100, epoch: 1 } }, partition] }] };
    const [first, second] = (roundTripResponse('fetch', body) as ResponseBody<'fetch'>).responses[0]!.partitions;
    expect(first?.snapshotId).toEqual({ endOffset: 100, epoch: 1 });
    expect(second?.snapshotId).toBeUndefined();
    expect(fetchReplicationDefaults.snapshotId).toEqual({ endOffset: -1, epoch: -1 });
    expect(responseRefusal('fetch', { ...body, responses: [{ topic: metadataTopic, partitions: [{ ...partition, snapshotId: { endOffset: 100 } }] }] })).toBe('CORRUPT_MESSAGE');
  });
});

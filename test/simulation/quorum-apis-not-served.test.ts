/**
 * Issue 12's first slice declares the KRaft quorum APIs on the wire, but no node serves them yet: today's single
 * controller keeps working as before. A cluster member's Vote, BeginQuorumEpoch, EndQuorumEpoch, FetchSnapshot
 * or DescribeQuorum is answered INVALID_REQUEST naming the API as not served, a client's control-plane one
 * CLUSTER_AUTHORIZATION_FAILED, and the node goes on serving.
 */
import type { RequestBody } from '@kactor/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { haltSingleNodes, singleNodeClusterSecret as clusterSecret, startSingleNode } from '@kactor/simulation';

afterEach(haltSingleNodes);

const metadataTopic = '__cluster_metadata';
const requests: { [A in 'vote' | 'beginQuorumEpoch' | 'endQuorumEpoch' | 'fetchSnapshot' | 'describeQuorum']: RequestBody<A> } = {
  vote: { clusterId: null, voterId: 0, topics: [{ topicName: metadataTopic, partitions: [{ partitionIndex: 0, replicaEpoch: 1, replicaId: 1, lastOffsetEpoch: 0, lastOffset: 0, preVote: true }] }] },
  beginQuorumEpoch: { clusterId: null, voterId: 0, topics: [{ topicName: metadataTopic, partitions: [{ partitionIndex: 0, leaderId: 1, leaderEpoch: 1 }] }], leaderEndpoints: [] },
  endQuorumEpoch: { clusterId: null, topics: [{ topicName: metadataTopic, partitions: [{ partitionIndex: 0, leaderId: 1, leaderEpoch: 1, preferredCandidates: [] }] }], leaderEndpoints: [] },
  fetchSnapshot: { clusterId: null, replicaId: 1, maxBytes: 1_000, topics: [{ name: metadataTopic, partitions: [{ partition: 0, currentLeaderEpoch: 1, snapshotId: { endOffset: 1, epoch: 1 }, position: 0 }] }] },
  describeQuorum: { topics: [{ topicName: metadataTopic, partitions: [{ partitionIndex: 0 }] }] },
};

describe('the quorum APIs are declared but not served yet', () => {
  it('a cluster member gets INVALID_REQUEST "not served" for each, and the node still answers Metadata', async () => {
    const h = await startSingleNode();
    const member = h.client(clusterSecret);
    for (const api of Object.keys(requests) as Array<keyof typeof requests>) {
      const result = await h.call(member, api, requests[api] as never);
      expect(result.ok ? `${api} answered` : `${result.error.name}: ${result.error.message}`).toBe(`INVALID_REQUEST: ${api} is not served by brokers`);
    }
    const metadata = await h.call(h.client(undefined), 'metadata', { topics: null, allowAutoTopicCreation: false });
    expect(metadata.ok && metadata.body.brokers.map((broker) => broker.nodeId)).toEqual([0]);
  });

  it('a client gets CLUSTER_AUTHORIZATION_FAILED for the control-plane ones and "not served" for DescribeQuorum', async () => {
    const h = await startSingleNode();
    const client = h.client(undefined);
    for (const api of ['vote', 'beginQuorumEpoch', 'endQuorumEpoch', 'fetchSnapshot'] as const) {
      const result = await h.call(client, api, requests[api] as never);
      expect(result.ok ? undefined : result.error.name).toBe('CLUSTER_AUTHORIZATION_FAILED');
    }
    const answer = await h.call(client, 'describeQuorum', requests.describeQuorum);
    expect(answer.ok ? undefined : answer.error.name).toBe('INVALID_REQUEST');
  });
});

/**
 * FetchSnapshot (KIP-630) in the core: the leader's checks in Kafka's order and its bounded chunks
 * (KafkaRaftClientSnapshotTest's testFetchSnapshotRequest* cases), a Fetch below the log start answered with the
 * snapshot to read, and the follower's checks on each chunk.
 */
import { describe, expect, it } from 'vitest';
import { decideFollowerFetch } from './follower-fetch-response.js';
import { decideSnapshotChunk, handleFetchSnapshotRequest, type LeaderFetchSnapshotContext, type RaftFetchSnapshotRequest } from './fetch-snapshot.js';
import { handleLeaderFetch, type LeaderFetchContext } from './leader-fetch.js';
import { updateLocalState } from './leader-state.js';
import { RaftInvariantError } from './raft-errors.js';
import type { QuorumState } from './quorum-state.js';
import { transitionToFollower } from './quorum-transitions.js';
import { CLUSTER_METADATA_TOPIC } from './vote-request.js';
import { LOCAL_ID, electedLeader, epochLookup, started, step, voter } from './test-support.js';

const SNAPSHOT = { offset: 10, epoch: 2 };
const snapshotBytes = Uint8Array.from({ length: 25 }, (_, i) => i);

function leaderAtEpoch3(): QuorumState {
  const quorum = electedLeader([LOCAL_ID, 1, 2], 2, 12);
  if (quorum.state.name !== 'Leader') throw new Error('not leader');
  return { ...quorum, state: { ...quorum.state, leader: updateLocalState(quorum.state.leader, 13).state } };
}

const serving: LeaderFetchSnapshotContext = {
  clusterId: 'cluster',
  maxChunkBytes: 10,
  snapshots: {
    sizeOf: (id) => (id.offset === SNAPSHOT.offset && id.epoch === SNAPSHOT.epoch ? snapshotBytes.length : undefined),
    read: (_id, position, maxBytes) => snapshotBytes.slice(position, position + maxBytes),
  },
};

function request(overrides: Partial<RaftFetchSnapshotRequest> = {}): RaftFetchSnapshotRequest {
  return { clusterId: 'cluster', topicName: CLUSTER_METADATA_TOPIC, partitionIndex: 0, replicaId: 1, maxBytes: 1_000, currentLeaderEpoch: 3, snapshotId: SNAPSHOT, position: 0, ...overrides };
}

describe('handleFetchSnapshotRequest (the leader)', () => {
  it('answers chunks of min(MaxBytes, its bound) from the position asked, with the size', () => {
    const first = handleFetchSnapshotRequest(leaderAtEpoch3(), request(), serving);
    expect(first).toMatchObject({ kind: 'answer', response: { errorCode: 'NONE', leaderId: LOCAL_ID, leaderEpoch: 3, size: 25, position: 0 } });
    expect(first.kind === 'answer' && [...(first.response.bytes ?? [])]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const small = handleFetchSnapshotRequest(leaderAtEpoch3(), request({ position: 20, maxBytes: 3 }), serving);
    expect(small.kind === 'answer' && [...(small.response.bytes ?? [])]).toEqual([20, 21, 22]);
  });

  it('refuses in Kafka\'s order: cluster id, partition, epochs, SNAPSHOT_NOT_FOUND, POSITION_OUT_OF_RANGE', () => {
    const leader = leaderAtEpoch3();
    expect(handleFetchSnapshotRequest(leader, request({ clusterId: 'other' }), serving)).toEqual({ kind: 'top-level-error', errorCode: 'INCONSISTENT_CLUSTER_ID' });
    expect(handleFetchSnapshotRequest(leader, request({ partitionIndex: 1 }), serving)).toEqual({ kind: 'top-level-error', errorCode: 'INVALID_REQUEST' });
    const errorOf = (outcome: ReturnType<typeof handleFetchSnapshotRequest>) => (outcome.kind === 'answer' ? outcome.response.errorCode : outcome.errorCode);
    expect(errorOf(handleFetchSnapshotRequest(leader, request({ currentLeaderEpoch: 2 }), serving))).toBe('FENCED_LEADER_EPOCH');
    expect(errorOf(handleFetchSnapshotRequest(leader, request({ currentLeaderEpoch: 4 }), serving))).toBe('UNKNOWN_LEADER_EPOCH');
    expect(errorOf(handleFetchSnapshotRequest(leader, request({ snapshotId: { offset: 10, epoch: 1 } }), serving))).toBe('SNAPSHOT_NOT_FOUND');
    expect(errorOf(handleFetchSnapshotRequest(leader, request({ position: 25 }), serving))).toBe('POSITION_OUT_OF_RANGE');
    expect(errorOf(handleFetchSnapshotRequest(leader, request({ position: -1 }), serving))).toBe('POSITION_OUT_OF_RANGE');
    const follower = transitionToFollower(started([LOCAL_ID, 1, 2]), 3, 2, voter(2).endpoints, step(0)).quorum;
    const notLeader = handleFetchSnapshotRequest(follower, request(), serving);
    expect(notLeader).toMatchObject({ kind: 'answer', response: { errorCode: 'NOT_LEADER_OR_FOLLOWER', leaderId: 2, leaderEpoch: 3, size: -1, position: -1 } });
  });
});

describe('a Fetch below the leader\'s log start (KIP-630)', () => {
  const log: LeaderFetchContext['log'] = { logStartOffset: 10, logEndOffset: 13, lastFetchedEpoch: 3, epochs: epochLookup([[2, 10], [3, 12]]), earliestSnapshotId: SNAPSHOT, latestSnapshotId: SNAPSHOT };
  const context: LeaderFetchContext = { clusterId: 'cluster', log, nowMs: 1_000 };
  const fetch = (fetchOffset: number, lastFetchedEpoch: number) => ({ clusterId: 'cluster', topicName: CLUSTER_METADATA_TOPIC, partitionIndex: 0, replica: { id: 1 }, maxWaitMs: 500, currentLeaderEpoch: 3, fetchOffset, lastFetchedEpoch });

  it('is answered with the latest SnapshotId (from 0 too), and records nothing for the replica', () => {
    for (const [offset, epoch] of [[0, 0], [4, 1], [9, 2]] as const) {
      const outcome = handleLeaderFetch(leaderAtEpoch3(), fetch(offset, epoch), context);
      expect(outcome.kind).toBe('snapshot');
      expect(outcome.kind === 'snapshot' && outcome.snapshotId).toEqual(SNAPSHOT);
    }
  });

  it('at the log start, valid from the snapshot there (same epoch), a snapshot again from another epoch', () => {
    expect(handleLeaderFetch(leaderAtEpoch3(), fetch(10, 2), context).kind).toBe('valid');
    expect(handleLeaderFetch(leaderAtEpoch3(), fetch(10, 1), context).kind).toBe('snapshot');
    expect(handleLeaderFetch(leaderAtEpoch3(), fetch(12, 2), context).kind).toBe('valid');
  });
});

describe('the follower', () => {
  const follower = () => transitionToFollower(started([LOCAL_ID, 1, 2]), 3, 1, voter(1).endpoints, step(0)).quorum;
  const view = { logEndOffset: 4, lastFetchedEpoch: 1, epochs: epochLookup([[1, 0]]) };

  it('Fetch answer with SnapshotId: fetch that snapshot; one ending below the high watermark is a bug', () => {
    const decision = decideFollowerFetch(follower(), { errorCode: 'NONE', highWatermark: 13, leaderId: 1, leaderEpoch: 3, snapshotId: SNAPSHOT }, view, step(0));
    expect(decision.kind === 'fetch-snapshot' && decision.snapshotId).toEqual(SNAPSHOT);
    const ahead = follower();
    const withHighWatermark = { ...ahead, state: { ...ahead.state, highWatermark: 11 } } as QuorumState;
    expect(() => decideFollowerFetch(withHighWatermark, { errorCode: 'NONE', highWatermark: 13, leaderId: 1, leaderEpoch: 3, snapshotId: SNAPSHOT }, view, step(0))).toThrow(RaftInvariantError);
  });

  it('appends a chunk only for its snapshot at the position reached; the one reaching the size completes it', () => {
    const answer = (position: number, bytes: Uint8Array, snapshotId = SNAPSHOT) => ({ errorCode: 'NONE' as const, leaderId: 1, leaderEpoch: 3, snapshotId, size: 25, position, bytes });
    expect(decideSnapshotChunk({ snapshotId: SNAPSHOT, position: 0 }, answer(0, snapshotBytes.slice(0, 10)))).toMatchObject({ kind: 'append', complete: false });
    expect(decideSnapshotChunk({ snapshotId: SNAPSHOT, position: 20 }, answer(20, snapshotBytes.slice(20)))).toMatchObject({ kind: 'append', complete: true });
    expect(decideSnapshotChunk({ snapshotId: SNAPSHOT, position: 10 }, answer(0, snapshotBytes.slice(0, 10))).kind).toBe('mismatch');
    expect(decideSnapshotChunk({ snapshotId: SNAPSHOT, position: 0 }, answer(0, snapshotBytes, { offset: 11, epoch: 2 })).kind).toBe('mismatch');
    expect(decideSnapshotChunk({ snapshotId: SNAPSHOT, position: 20 }, answer(20, new Uint8Array(10))).kind).toBe('mismatch');
    expect(decideSnapshotChunk({ snapshotId: SNAPSHOT, position: 20 }, answer(20, new Uint8Array(0))).kind).toBe('mismatch');
  });
});

import { describe, expect, it } from 'vitest';
import { timeUntilCheckQuorumExpires } from './check-quorum.js';
import { replicaStateOf, updateLocalState } from './leader-state.js';
import { handleLeaderFetch, type LeaderFetchContext, type RaftFetchRequest } from './leader-fetch.js';
import type { QuorumState } from './quorum-state.js';
import { transitionToFollower } from './quorum-transitions.js';
import { CLUSTER_METADATA_TOPIC } from './vote-request.js';
import { LOCAL_ID, electedLeader, epochLookup, started, step, voter } from './test-support.js';

// testLeaderImmediatelySendsDivergingEpoch: three records in each of epochs 1, 3 and 5, then the leader's own
// epoch 6 starting with its LeaderChangeMessage at offset 9.
const log: LeaderFetchContext['log'] = { logStartOffset: 0, logEndOffset: 10, lastFetchedEpoch: 6, epochs: epochLookup([[1, 0], [3, 3], [5, 6], [6, 9]]) };
const context: LeaderFetchContext = { clusterId: 'cluster', log, nowMs: 1000 };

function fetchRequest(replicaId: number, currentLeaderEpoch: number, fetchOffset: number, lastFetchedEpoch: number): RaftFetchRequest {
  return { clusterId: 'cluster', topicName: CLUSTER_METADATA_TOPIC, partitionIndex: 0, replica: { id: replicaId }, maxWaitMs: 500, currentLeaderEpoch, fetchOffset, lastFetchedEpoch };
}

function leaderAtEpoch6(): QuorumState {
  const quorum = electedLeader([LOCAL_ID, 1, 2], 5, 9);
  if (quorum.state.name !== 'Leader') throw new Error('not leader');
  return { ...quorum, state: { ...quorum.state, leader: updateLocalState(quorum.state.leader, 10).state } };
}

describe('handleLeaderFetch', () => {
  it('testLeaderImmediatelySendsDivergingEpoch: epochs 1, 3, 5; fetch (6, epoch 2) => DivergingEpoch (1, 3)', () => {
    const leader = leaderAtEpoch6();
    expect(leader.state.epoch).toBe(6);
    const outcome = handleLeaderFetch(leader, fetchRequest(1, 6, 6, 2), context);
    expect(outcome.kind).toBe('diverging');
    expect(outcome.kind === 'diverging' && outcome.divergingEpoch).toEqual({ epoch: 1, offset: 3 });
    // Nothing is acknowledged by a diverging fetch.
    expect(outcome.kind === 'diverging' && outcome.quorum.state.name === 'Leader' && replicaStateOf(outcome.quorum.state.leader, 1)?.endOffset).toBeUndefined();
  });

  it('a fetch offset past the end of the fetcher\'s last epoch diverges at that epoch\'s end', () => {
    const outcome = handleLeaderFetch(leaderAtEpoch6(), fetchRequest(1, 6, 8, 3), context);
    expect(outcome.kind === 'diverging' && outcome.divergingEpoch).toEqual({ epoch: 3, offset: 6 });
    const beyondEnd = handleLeaderFetch(leaderAtEpoch6(), fetchRequest(1, 6, 11, 6), context);
    expect(beyondEnd.kind === 'diverging' && beyondEnd.divergingEpoch).toEqual({ epoch: 6, offset: 10 });
  });

  it('a consistent fetch records the replica\'s end offset; a voter majority past the epoch start sets the HW', () => {
    const first = handleLeaderFetch(leaderAtEpoch6(), fetchRequest(1, 6, 9, 5), context);
    expect(first).toMatchObject({ kind: 'valid', highWatermarkUpdated: false });
    expect(first.kind === 'valid' && first.highWatermark).toBeUndefined();
    if (first.kind !== 'valid') throw new Error('expected valid');
    const second = handleLeaderFetch(first.quorum, fetchRequest(1, 6, 10, 6), context);
    expect(second).toMatchObject({ kind: 'valid', highWatermarkUpdated: true, highWatermark: 10 });
  });

  it('observers are served but never move the HW', () => {
    const outcome = handleLeaderFetch(leaderAtEpoch6(), fetchRequest(7, 6, 10, 6), context);
    expect(outcome).toMatchObject({ kind: 'valid', highWatermarkUpdated: false });
    expect(outcome.kind === 'valid' && outcome.quorum.state.name === 'Leader' && replicaStateOf(outcome.quorum.state.leader, 7)?.endOffset).toBe(10);
  });

  it('a fetch from a voter counts toward check-quorum, diverging or not', () => {
    const leader = leaderAtEpoch6(); // elected at time 0: check-quorum 1.5 x 10000 ms
    const outcome = handleLeaderFetch(leader, fetchRequest(1, 6, 6, 2), context);
    expect(outcome.kind === 'diverging' && outcome.quorum.state.name === 'Leader' && timeUntilCheckQuorumExpires(outcome.quorum.state.leader, 1000)).toBe(15000);
  });

  it('validation in Kafka\'s order, every error naming the current leader and epoch', () => {
    const leader = leaderAtEpoch6();
    const errorOf = (quorum: QuorumState, request: RaftFetchRequest, extra: Partial<LeaderFetchContext> = {}): unknown => {
      const outcome = handleLeaderFetch(quorum, request, { ...context, ...extra });
      return outcome.kind === 'error' ? [outcome.errorCode, outcome.leaderId, outcome.leaderEpoch] : outcome.kind;
    };
    expect(errorOf(leader, { ...fetchRequest(1, 6, 0, 0), clusterId: 'other' })).toEqual(['INCONSISTENT_CLUSTER_ID', LOCAL_ID, 6]);
    expect(errorOf(leader, { ...fetchRequest(1, 6, 0, 0), maxWaitMs: -1 })).toEqual(['INVALID_REQUEST', LOCAL_ID, 6]);
    expect(errorOf(leader, fetchRequest(1, 6, -1, 0))).toEqual(['INVALID_REQUEST', LOCAL_ID, 6]);
    expect(errorOf(leader, fetchRequest(1, 6, 0, -1))).toEqual(['INVALID_REQUEST', LOCAL_ID, 6]);
    expect(errorOf(leader, fetchRequest(1, 5, 0, 6))).toEqual(['INVALID_REQUEST', LOCAL_ID, 6]);
    expect(errorOf(leader, fetchRequest(1, 5, 0, 0))).toEqual(['FENCED_LEADER_EPOCH', LOCAL_ID, 6]);
    expect(errorOf(leader, fetchRequest(1, 7, 0, 0))).toEqual(['UNKNOWN_LEADER_EPOCH', LOCAL_ID, 6]);
    expect(errorOf(leader, fetchRequest(1, 6, 0, 0), { shuttingDown: true })).toEqual(['BROKER_NOT_AVAILABLE', LOCAL_ID, 6]);
    const follower = transitionToFollower(started([LOCAL_ID, 1, 2]), 6, 1, voter(1).endpoints, step(0)).quorum;
    expect(errorOf(follower, fetchRequest(7, 6, 0, 0))).toEqual(['NOT_LEADER_OR_FOLLOWER', 1, 6]);
    expect(errorOf(leader, fetchRequest(1, 6, 0, 0))).toBe('valid');
  });
});

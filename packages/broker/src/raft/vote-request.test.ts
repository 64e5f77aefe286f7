import { describe, expect, it } from 'vitest';
import type { QuorumState } from './quorum-state.js';
import { transitionToFollower, transitionToResigned } from './quorum-transitions.js';
import { completeFollowerFetch } from './follower-fetch-response.js';
import { CLUSTER_METADATA_TOPIC, handleVoteRequest, type VoteReceiver, type VoteRequest } from './vote-request.js';
import { LOCAL_ID, electedLeader, started, step, voter } from './test-support.js';

const now = step(0);
const emptyLog: VoteReceiver = { clusterId: 'cluster', logEnd: { offset: 0, epoch: 0 } };

function voteRequest(epoch: number, candidateId: number, lastOffsetEpoch: number, lastOffset: number, preVote = false): VoteRequest {
  return { clusterId: 'cluster', topicName: CLUSTER_METADATA_TOPIC, partitionIndex: 0, candidate: { id: candidateId }, replicaEpoch: epoch, voterKey: { id: LOCAL_ID }, lastOffsetEpoch, lastOffset, preVote };
}
const preVoteRequest = (epoch: number, candidateId: number, lastOffsetEpoch: number, lastOffset: number): VoteRequest => voteRequest(epoch, candidateId, lastOffsetEpoch, lastOffset, true);

function followerOf(leaderId: number, epoch: number, hasFetchedFromLeader: boolean): QuorumState {
  const follower = transitionToFollower(started([LOCAL_ID, 1, 2]), epoch, leaderId, voter(leaderId).endpoints, now).quorum;
  return hasFetchedFromLeader ? completeFollowerFetch(follower, { leaderHighWatermark: 0, logEndOffset: 0, nowMs: 0 }) : follower;
}

describe('handleVoteRequest: validation in Kafka\'s order', () => {
  const quorum = started([LOCAL_ID, 1, 2], { epoch: 5 });

  it('INCONSISTENT_CLUSTER_ID first, then INVALID_REQUEST for the partition and the epochs', () => {
    expect(handleVoteRequest(quorum, { ...voteRequest(1, 1, 4, -1), clusterId: 'other' }, emptyLog, now).response.errorCode).toBe('INCONSISTENT_CLUSTER_ID');
    expect(handleVoteRequest(quorum, { ...voteRequest(6, 1, 4, 0), partitionIndex: 1 }, emptyLog, now).response.errorCode).toBe('INVALID_REQUEST');
    expect(handleVoteRequest(quorum, voteRequest(6, 1, 4, -1), emptyLog, now).response.errorCode).toBe('INVALID_REQUEST');
    expect(handleVoteRequest(quorum, voteRequest(6, 1, -1, 0), emptyLog, now).response.errorCode).toBe('INVALID_REQUEST');
    // A standard vote's last epoch must be below its new epoch; a PreVote's may equal it.
    expect(handleVoteRequest(quorum, voteRequest(6, 1, 6, 0), emptyLog, now).response.errorCode).toBe('INVALID_REQUEST');
    expect(handleVoteRequest(quorum, preVoteRequest(6, 1, 7, 0), emptyLog, now).response.errorCode).toBe('INVALID_REQUEST');
    expect(handleVoteRequest(quorum, preVoteRequest(5, 1, 5, 0), emptyLog, now).response).toMatchObject({ errorCode: 'NONE', voteGranted: true });
  });

  it('FENCED_LEADER_EPOCH for an older epoch; a missing cluster id is not checked', () => {
    const { clusterId: _none, ...withoutClusterId } = voteRequest(4, 1, 3, 0);
    expect(handleVoteRequest(quorum, withoutClusterId, emptyLog, now).response).toEqual({ errorCode: 'FENCED_LEADER_EPOCH', voteGranted: false, leaderId: -1, leaderEpoch: 5 });
  });

  it('a higher epoch moves to Unattached (persisted) before INVALID_VOTER_KEY is answered', () => {
    const outcome = handleVoteRequest(quorum, { ...voteRequest(7, 1, 4, 0), voterKey: { id: 2 } }, emptyLog, now);
    expect(outcome.response).toEqual({ errorCode: 'INVALID_VOTER_KEY', voteGranted: false, leaderId: -1, leaderEpoch: 7 });
    expect(outcome.persist).toEqual({ epoch: 7 });
    expect(outcome.quorum.state).toMatchObject({ name: 'Unattached', epoch: 7 });
    const otherDirectory = { ...quorum, config: { ...quorum.config, localDirectoryId: 'dir-0' } };
    expect(handleVoteRequest(otherDirectory, { ...voteRequest(5, 1, 4, 0), voterKey: { id: LOCAL_ID, directoryId: 'dir-9' } }, emptyLog, now).response.errorCode).toBe('INVALID_VOTER_KEY');
  });
});

describe('handleVoteRequest: standard votes', () => {
  it('Unattached grants an up-to-date candidate once per epoch and persists the vote before answering', () => {
    const local: VoteReceiver = { clusterId: 'cluster', logEnd: { offset: 10, epoch: 3 } };
    const unattached = started([LOCAL_ID, 1, 2], { epoch: 5 });
    expect(handleVoteRequest(unattached, voteRequest(6, 1, 2, 20), local, now).response.voteGranted).toBe(false); // older last epoch
    expect(handleVoteRequest(unattached, voteRequest(5, 1, 3, 9), local, now).response.voteGranted).toBe(false); // same epoch, shorter log
    const granted = handleVoteRequest(unattached, voteRequest(5, 1, 3, 10), local, now);
    expect(granted.response).toEqual({ errorCode: 'NONE', voteGranted: true, leaderId: -1, leaderEpoch: 5 });
    expect(granted.persist).toEqual({ epoch: 5, votedKey: { id: 1 } });
    const second = handleVoteRequest(granted.quorum, voteRequest(5, 2, 3, 10), local, now);
    expect(second.response.voteGranted).toBe(false);
    expect(second.persist).toBeUndefined();
    // The same candidate asking again (a retried request) is granted again, without a new write.
    const retried = handleVoteRequest(granted.quorum, voteRequest(5, 1, 3, 10), local, now);
    expect(retried.response.voteGranted).toBe(true);
    expect(retried.persist).toBeUndefined();
  });

  it('testHandleVoteRequestAsFollowerWithElectedLeader: a Follower rejects standard votes in its epoch', () => {
    const outcome = handleVoteRequest(followerOf(2, 2, false), voteRequest(2, 1, 1, 0), emptyLog, now);
    expect(outcome.response).toEqual({ errorCode: 'NONE', voteGranted: false, leaderId: 2, leaderEpoch: 2 });
  });

  it('testRejectVotesFromSameEpochAfterResigningLeadership / testGrantVotesFromHigherEpochAfterResigningLeadership', () => {
    const resigned = started([LOCAL_ID, 1, 2], { epoch: 2, leaderId: LOCAL_ID });
    expect(resigned.state.name).toBe('Resigned');
    expect(handleVoteRequest(resigned, voteRequest(2, 1, 1, 0), emptyLog, now).response).toEqual({ errorCode: 'NONE', voteGranted: false, leaderId: LOCAL_ID, leaderEpoch: 2 });
    const higher = handleVoteRequest(resigned, voteRequest(3, 1, 2, 0), emptyLog, now);
    expect(higher.response).toEqual({ errorCode: 'NONE', voteGranted: true, leaderId: -1, leaderEpoch: 3 });
    expect(higher.persist).toEqual({ epoch: 3, votedKey: { id: 1 } });
  });
});

describe('handleVoteRequest: PreVote (KafkaRaftClientPreVoteTest)', () => {
  for (const hasFetchedFromLeader of [false, true]) {
    it(`testHandlePreVoteRequestAsFollower (hasFetchedFromLeader=${hasFetchedFromLeader})`, () => {
      const epoch = 2;
      const follower = followerOf(2, epoch, hasFetchedFromLeader);
      const fromVoter = handleVoteRequest(follower, preVoteRequest(epoch, 1, epoch, 1), emptyLog, now);
      expect(fromVoter.response).toEqual({ errorCode: 'NONE', voteGranted: !hasFetchedFromLeader, leaderId: 2, leaderEpoch: epoch });
      expect(fromVoter.persist).toBeUndefined();
      expect(fromVoter.quorum).toBe(follower);
      const fromObserver = handleVoteRequest(follower, preVoteRequest(epoch, 3, epoch, 1), emptyLog, now);
      expect(fromObserver.response).toEqual({ errorCode: 'NONE', voteGranted: !hasFetchedFromLeader, leaderId: 2, leaderEpoch: epoch });
      const higher = handleVoteRequest(follower, preVoteRequest(epoch + 1, 1, epoch + 1, 1), emptyLog, now);
      expect(higher.response).toEqual({ errorCode: 'NONE', voteGranted: true, leaderId: -1, leaderEpoch: epoch + 1 });
      expect(higher.quorum.state).toMatchObject({ name: 'Unattached', epoch: epoch + 1 });
      expect(higher.quorum.state.name === 'Unattached' && higher.quorum.state.votedKey).toBeUndefined();
      expect(higher.persist).toEqual({ epoch: epoch + 1 });
    });
  }

  it('testHandlePreVoteRequestAsCandidate: grants up-to-date PreVotes, keeps its own vote, moves on a higher epoch', () => {
    const candidate = started([LOCAL_ID, 1], { epoch: 2, votedKey: { id: LOCAL_ID } });
    expect(candidate.state.name).toBe('Candidate');
    const fromVoter = handleVoteRequest(candidate, preVoteRequest(2, 1, 2, 1), emptyLog, now);
    expect(fromVoter.response).toEqual({ errorCode: 'NONE', voteGranted: true, leaderId: -1, leaderEpoch: 2 });
    expect(fromVoter.quorum.state).toMatchObject({ name: 'Candidate', epoch: 2 });
    expect(handleVoteRequest(candidate, preVoteRequest(2, 2, 2, 2), emptyLog, now).response.voteGranted).toBe(true);
    const higher = handleVoteRequest(candidate, preVoteRequest(3, 1, 3, 2), emptyLog, now);
    expect(higher.response).toEqual({ errorCode: 'NONE', voteGranted: true, leaderId: -1, leaderEpoch: 3 });
    expect(higher.quorum.state.name).toBe('Unattached');
  });

  it('testHandlePreVoteRequestAsResigned: a Resigned leader grants up-to-date PreVotes in its epoch', () => {
    const leader = electedLeader([LOCAL_ID, 1, 2], 1, 0);
    const resigned = transitionToResigned(leader, [1, 2], now).quorum;
    expect(handleVoteRequest(resigned, preVoteRequest(2, 1, 2, 1), emptyLog, now).response).toEqual({ errorCode: 'NONE', voteGranted: true, leaderId: LOCAL_ID, leaderEpoch: 2 });
    expect(handleVoteRequest(resigned, preVoteRequest(2, 1, 1, 1), { clusterId: 'cluster', logEnd: { offset: 1, epoch: 2 } }, now).response.voteGranted).toBe(false);
  });

  it('testLeaderRejectPreVoteRequestOnSameEpoch', () => {
    const leader = electedLeader([LOCAL_ID, 1, 2], 1, 0);
    const outcome = handleVoteRequest(leader, preVoteRequest(2, 1, 2, 1), emptyLog, now);
    expect(outcome.response).toEqual({ errorCode: 'NONE', voteGranted: false, leaderId: LOCAL_ID, leaderEpoch: 2 });
    expect(outcome.quorum.state.name).toBe('Leader');
  });

  it('testRejectPreVoteIfRemoteLogIsNotUpToDate: compared by last epoch, then end offset', () => {
    const unattached = started([LOCAL_ID, 1, 2], { epoch: 2 });
    const local: VoteReceiver = { clusterId: 'cluster', logEnd: { offset: 3, epoch: 2 } };
    expect(handleVoteRequest(unattached, preVoteRequest(2, 1, 1, 10), local, now).response.voteGranted).toBe(false);
    expect(handleVoteRequest(unattached, preVoteRequest(2, 1, 2, 2), local, now).response.voteGranted).toBe(false);
    const granted = handleVoteRequest(unattached, preVoteRequest(2, 1, 2, 3), local, now);
    expect(granted.response.voteGranted).toBe(true);
    // A granted PreVote records nothing: the replica may still grant a real vote to anyone in this epoch.
    expect(granted.persist).toBeUndefined();
    expect(granted.quorum.state.name === 'Unattached' && granted.quorum.state.votedKey).toBeUndefined();
  });
});

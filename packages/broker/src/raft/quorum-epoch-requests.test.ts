import { describe, expect, it } from 'vitest';
import { acknowledgeResignation, handleBeginQuorumEpochRequest, handleEndQuorumEpochRequest } from './quorum-epoch-requests.js';
import { transitionToFollower, transitionToResigned } from './quorum-transitions.js';
import { LOCAL_ID, electedLeader, started, step, voter } from './test-support.js';

const receiver = { clusterId: 'cluster', electionBackoffMaxMs: 1000 };
const now = step(100);

describe('BeginQuorumEpoch and EndQuorumEpoch', () => {
  it('testHandleBeginQuorumRequest: an Unattached voter follows the announced leader (persisted) and answers NONE', () => {
    const outcome = handleBeginQuorumEpochRequest(started([LOCAL_ID, 1, 2], { epoch: 1 }), { clusterId: 'cluster', leaderId: 1, leaderEpoch: 2, voterKey: { id: LOCAL_ID } }, receiver, now);
    expect(outcome.response).toEqual({ errorCode: 'NONE', leaderId: 1, leaderEpoch: 2 });
    expect(outcome.persist).toEqual({ epoch: 2, leaderId: 1 });
    expect(outcome.quorum.state).toMatchObject({ name: 'Follower', epoch: 2, leaderId: 1 });
  });

  it('an older epoch is fenced, another cluster is refused, a request for another voter is INVALID_VOTER_KEY', () => {
    const quorum = started([LOCAL_ID, 1, 2], { epoch: 3 });
    expect(handleBeginQuorumEpochRequest(quorum, { leaderId: 1, leaderEpoch: 2 }, receiver, now).response).toEqual({ errorCode: 'FENCED_LEADER_EPOCH', leaderId: -1, leaderEpoch: 3 });
    expect(handleBeginQuorumEpochRequest(quorum, { clusterId: 'x', leaderId: 1, leaderEpoch: 4 }, receiver, now).response.errorCode).toBe('INCONSISTENT_CLUSTER_ID');
    const misaddressed = handleBeginQuorumEpochRequest(quorum, { leaderId: 1, leaderEpoch: 4, voterKey: { id: 2 } }, receiver, now);
    expect(misaddressed.response).toEqual({ errorCode: 'INVALID_VOTER_KEY', leaderId: 1, leaderEpoch: 4 });
  });

  it('testHandleEndQuorumRequestWithLowerPriorityToBecomeLeader: the second of two successors waits (max >> 1) << 0', () => {
    const follower = transitionToFollower(started([LOCAL_ID, 1, 2]), 2, 1, voter(1).endpoints, step(0)).quorum;
    const outcome = handleEndQuorumEpochRequest(follower, { leaderId: 1, leaderEpoch: 2, preferredSuccessors: [2, LOCAL_ID] }, receiver, now);
    expect(outcome.response).toEqual({ errorCode: 'NONE', leaderId: 1, leaderEpoch: 2 });
    expect(outcome.quorum.state).toMatchObject({ name: 'Follower', fetchDeadlineMs: 100 + 500 });
    const first = handleEndQuorumEpochRequest(follower, { leaderId: 1, leaderEpoch: 2, preferredSuccessors: [LOCAL_ID, 2] }, receiver, now);
    expect(first.quorum.state).toMatchObject({ fetchDeadlineMs: 100 });
  });

  it('testEndQuorumStartsNewElectionImmediatelyIfFollowerUnattached: learns the leader, then starts at once as first successor', () => {
    const unattached = started([LOCAL_ID, 1, 2], { epoch: 2 });
    const outcome = handleEndQuorumEpochRequest(unattached, { leaderId: 1, leaderEpoch: 2, preferredSuccessors: [LOCAL_ID, 2] }, receiver, now);
    expect(outcome.quorum.state).toMatchObject({ name: 'Follower', epoch: 2, leaderId: 1, fetchDeadlineMs: 100 });
    expect(outcome.persist).toEqual({ epoch: 2, leaderId: 1 });
  });

  it('a Resigned leader forgets each voter that acknowledged its EndQuorumEpoch', () => {
    const resigned = transitionToResigned(electedLeader([LOCAL_ID, 1, 2], 1, 0), [2, 1], step(0)).quorum;
    const acked = acknowledgeResignation(resigned, 2);
    expect(acked.state).toMatchObject({ name: 'Resigned', unackedVoters: [1] });
  });
});

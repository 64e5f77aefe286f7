import { describe, expect, it } from 'vitest';
import { fromQuorumStateData, toQuorumStateData } from './election-state.js';
import { initializeQuorumState } from './quorum-initialize.js';
import { IllegalRaftTransitionError } from './raft-errors.js';
import { ELECTION_TIMEOUT_MS, FETCH_TIMEOUT_MS, LOCAL_ID, config, step } from './test-support.js';

const jitter = step(0, 2500);

describe('initializeQuorumState (QuorumState.initialize)', () => {
  it('testInitializePrimordialEpoch: no quorum-state file starts Unattached in epoch 0', () => {
    const started = initializeQuorumState(config([LOCAL_ID]), undefined, { offset: 0, epoch: 0 }, jitter);
    expect(started.quorum.state).toMatchObject({ name: 'Unattached', epoch: 0 });
    expect(started.persist).toEqual({ epoch: 0 });
  });

  it('testInitializeAsResignedLeader: stored leader is this replica => Resigned in the same epoch', () => {
    const started = initializeQuorumState(config([LOCAL_ID, 1, 2]), { epoch: 5, leaderId: LOCAL_ID }, { offset: 0, epoch: 0 }, jitter);
    expect(started.quorum.state).toEqual({
      name: 'Resigned',
      epoch: 5,
      localId: LOCAL_ID,
      unackedVoters: [1, 2],
      preferredSuccessors: [],
      electionDeadlineMs: ELECTION_TIMEOUT_MS + 2500,
    });
    expect(started.persist).toEqual({ epoch: 5, leaderId: LOCAL_ID });
  });

  it('testInitializeAsResignedCandidate: voted for itself => Candidate in the same epoch with only its own vote', () => {
    const started = initializeQuorumState(config([LOCAL_ID, 1, 2]), { epoch: 5, votedKey: { id: LOCAL_ID } }, { offset: 0, epoch: 0 }, jitter);
    expect(started.quorum.state).toMatchObject({ name: 'Candidate', epoch: 5, retries: 1, electionDeadlineMs: ELECTION_TIMEOUT_MS + 2500 });
    const state = started.quorum.state;
    expect(state.name === 'Candidate' && state.election.votes).toEqual([
      { voterId: LOCAL_ID, vote: 'granted' },
      { voterId: 1, vote: 'unrecorded' },
      { voterId: 2, vote: 'unrecorded' },
    ]);
  });

  it('a stored leader and a vote for itself (a Candidate that lost to that leader) => Follower, keeping the vote', () => {
    // Found by the Raft event simulation (survivesRandomFaults seed 61): restarted as a Candidate of epoch 3 holding
    // records of epoch 3, the replica asked for votes with lastOffsetEpoch 3 >= replicaEpoch 3, was answered
    // INVALID_REQUEST and stopped on the core's invariant.
    const started = initializeQuorumState(config([LOCAL_ID, 1, 2]), { epoch: 3, leaderId: 2, votedKey: { id: LOCAL_ID } }, { offset: 30, epoch: 3 }, jitter);
    expect(started.quorum.state).toMatchObject({ name: 'Follower', epoch: 3, leaderId: 2, votedKey: { id: LOCAL_ID } });
    expect(started.persist).toEqual({ epoch: 3, leaderId: 2, votedKey: { id: LOCAL_ID } });
  });

  it('testInitializeAsUnattached: stored epoch without a leader', () => {
    const started = initializeQuorumState(config([LOCAL_ID, 1, 2]), { epoch: 5 }, { offset: 0, epoch: 0 }, jitter);
    expect(started.quorum.state).toEqual({ name: 'Unattached', epoch: 5, electionDeadlineMs: ELECTION_TIMEOUT_MS + 2500 });
  });

  it('a stored epoch below the log\'s last epoch starts Unattached at the log epoch', () => {
    const started = initializeQuorumState(config([LOCAL_ID, 1, 2]), { epoch: 2, leaderId: LOCAL_ID }, { offset: 40, epoch: 4 }, jitter);
    expect(started.quorum.state).toMatchObject({ name: 'Unattached', epoch: 4 });
    expect(started.persist).toEqual({ epoch: 4 });
  });

  it('testInitializeAsFollower / testInitializeVotedAndLeaderAreDifferent: a known leader with endpoints => Follower, keeping the vote', () => {
    const started = initializeQuorumState(config([LOCAL_ID, 1, 2]), { epoch: 5, leaderId: 1, votedKey: { id: 2 } }, { offset: 0, epoch: 0 }, jitter);
    expect(started.quorum.state).toMatchObject({ name: 'Follower', epoch: 5, leaderId: 1, votedKey: { id: 2 }, fetchDeadlineMs: FETCH_TIMEOUT_MS, hasFetchedFromLeader: false });
    expect(started.persist).toEqual({ epoch: 5, leaderId: 1, votedKey: { id: 2 } });
  });

  it('testInitializeAsUnattachedWhenMissingEndpoints: a leader outside the voter set => Unattached knowing its id', () => {
    const started = initializeQuorumState(config([LOCAL_ID, 1, 2]), { epoch: 5, leaderId: 3, votedKey: { id: 3 } }, { offset: 0, epoch: 0 }, jitter);
    expect(started.quorum.state).toMatchObject({ name: 'Unattached', epoch: 5, leaderId: 3, votedKey: { id: 3 } });
  });

  it('testInitializeAsVotedNoLeader: voted for another => Unattached with that vote', () => {
    const started = initializeQuorumState(config([LOCAL_ID, 1, 2]), { epoch: 5, votedKey: { id: 1 } }, { offset: 0, epoch: 0 }, jitter);
    expect(started.quorum.state).toEqual({ name: 'Unattached', epoch: 5, votedKey: { id: 1 }, electionDeadlineMs: ELECTION_TIMEOUT_MS + 2500 });
  });

  it('a stored vote without a local id is refused', () => {
    const { localId: _unused, ...withoutLocalId } = config([1, 2]);
    expect(() => initializeQuorumState(withoutLocalId, { epoch: 5, votedKey: { id: 1 } }, { offset: 0, epoch: 0 }, jitter)).toThrow(IllegalRaftTransitionError);
  });

  it('quorum-state data v1 round-trips with -1 for absent ids', () => {
    expect(toQuorumStateData({ epoch: 5 })).toEqual({ LeaderId: -1, LeaderEpoch: 5, VotedId: -1, data_version: 1 });
    const voted = { epoch: 5, leaderId: 1, votedKey: { id: 2, directoryId: 'dir-2' } };
    expect(fromQuorumStateData(toQuorumStateData(voted))).toEqual(voted);
  });
});

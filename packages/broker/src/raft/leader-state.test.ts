import { describe, expect, it } from 'vitest';
import { resetBeginQuorumEpochTimer, timeUntilBeginQuorumEpochTimerExpires, timeUntilCheckQuorumExpires, updateCheckQuorumForFollowingVoter } from './check-quorum.js';
import { newLeaderState, nonAcknowledgingVoters, nonLeaderVotersByDescendingFetchOffset, replicaStateOf, updateLocalState, updateReplicaState, type LeaderState } from './leader-state.js';
import { RaftInvariantError } from './raft-errors.js';
import { leaderChangeMessage } from './leader-change-message.js';

const LOCAL_ID = 0;
const FETCH_TIMEOUT_MS = 2000;
const CHECK_QUORUM_TIMEOUT_MS = 3000;

function leader(voterIds: readonly number[], epochStartOffset: number, nowMs = 0): LeaderState {
  return newLeaderState({ localKey: { id: LOCAL_ID }, epoch: 5, epochStartOffset, voterIds, grantingVoters: [LOCAL_ID], fetchTimeoutMs: FETCH_TIMEOUT_MS, nowMs });
}

/** Applies updates in order, answering each step's (highWatermarkUpdated, highWatermark). */
class LeaderDriver {
  constructor(public state: LeaderState) {}

  local(endOffset: number, voterIds?: readonly number[]): boolean {
    const update = updateLocalState(this.state, endOffset, voterIds);
    this.state = update.state;
    return update.highWatermarkUpdated;
  }

  fetched(id: number, fetchOffset: number, nowMs = 0): boolean {
    const update = updateReplicaState(this.state, { id }, nowMs, fetchOffset);
    this.state = update.state;
    return update.highWatermarkUpdated;
  }

  get highWatermark(): number | undefined {
    return this.state.highWatermark;
  }
}

describe('LeaderState high watermark (LeaderStateTest)', () => {
  it('testUpdateHighWatermarkQuorumSizeThree: unknown at the epoch start offset, set once a majority passes it', () => {
    const driver = new LeaderDriver(leader([LOCAL_ID, 1, 2], 10));
    expect(driver.local(15)).toBe(false);
    expect(nonAcknowledgingVoters(driver.state)).toEqual([1, 2]);
    expect(driver.highWatermark).toBeUndefined();
    expect(driver.fetched(1, 10)).toBe(false);
    expect(nonAcknowledgingVoters(driver.state)).toEqual([2]);
    expect(driver.highWatermark).toBeUndefined();
    expect(driver.fetched(2, 10)).toBe(false);
    expect(nonAcknowledgingVoters(driver.state)).toEqual([]);
    expect(driver.highWatermark).toBeUndefined();
    expect(driver.fetched(2, 15)).toBe(true);
    expect(driver.highWatermark).toBe(15);
    expect(driver.local(20)).toBe(false);
    expect(driver.highWatermark).toBe(15);
    expect(driver.fetched(1, 20)).toBe(true);
    expect(driver.highWatermark).toBe(20);
    expect(driver.fetched(2, 20)).toBe(false);
    expect(driver.highWatermark).toBe(20);
  });

  it('testUpdateHighWatermarkQuorumSizeTwo', () => {
    const driver = new LeaderDriver(leader([LOCAL_ID, 1], 10));
    expect(driver.local(13)).toBe(false);
    expect(driver.fetched(1, 10)).toBe(false);
    expect(driver.highWatermark).toBeUndefined();
    expect(driver.fetched(1, 11)).toBe(true);
    expect(driver.highWatermark).toBe(11);
    expect(driver.fetched(1, 13)).toBe(true);
    expect(driver.highWatermark).toBe(13);
  });

  it('testNonMonotonicHighWatermarkUpdate: a voter that lost its disk refetches lower; the HW does not rewind', () => {
    const driver = new LeaderDriver(leader([LOCAL_ID, 1], 0));
    driver.local(10);
    driver.fetched(1, 10);
    expect(driver.highWatermark).toBe(10);
    expect(driver.fetched(1, 5)).toBe(false);
    expect(replicaStateOf(driver.state, 1)?.endOffset).toBe(5);
    expect(driver.highWatermark).toBe(10);
  });

  it('testHighWatermarkDoesNotDecreaseFromNewVoter: a voter set change never lowers the HW', () => {
    const driver = new LeaderDriver(leader([LOCAL_ID, 1, 2], 5));
    expect(driver.local(15)).toBe(false);
    expect(driver.fetched(1, 15)).toBe(true);
    expect(driver.highWatermark).toBe(15);
    expect(driver.fetched(2, 10)).toBe(false);
    // Node 3 fetches as an observer before it joins the voters.
    expect(driver.fetched(3, 10)).toBe(false);
    expect(driver.local(16, [LOCAL_ID, 1, 2, 3])).toBe(false);
    expect(driver.highWatermark).toBe(15);
    expect(driver.fetched(2, 13)).toBe(false);
    expect(driver.fetched(3, 13)).toBe(false);
    expect(driver.fetched(1, 16)).toBe(false);
    expect(driver.highWatermark).toBe(15);
    expect(driver.fetched(3, 16)).toBe(true);
    expect(driver.highWatermark).toBe(16);
  });

  it('observers never count toward the high watermark', () => {
    const driver = new LeaderDriver(leader([LOCAL_ID, 1, 2], 0));
    driver.local(10);
    expect(driver.fetched(7, 10)).toBe(false);
    expect(driver.fetched(8, 10)).toBe(false);
    expect(driver.highWatermark).toBeUndefined();
    expect(driver.state.observerStates.find((replica) => replica.key.id === 7)).toMatchObject({ endOffset: 10 });
  });

  it('the leader\'s own end offset never goes back; a fetch naming the leader itself is a bug', () => {
    const driver = new LeaderDriver(leader([LOCAL_ID, 1], 0));
    driver.local(10);
    expect(() => driver.local(9)).toThrow(RaftInvariantError);
    expect(() => driver.fetched(LOCAL_ID, 10)).toThrow(RaftInvariantError);
    // A negative replica id is a plain reader, not a replica.
    expect(driver.fetched(-1, 10)).toBe(false);
  });

  it('testGetNonLeaderFollowersByFetchOffsetDescending: preferred successors, most caught-up first', () => {
    const driver = new LeaderDriver(leader([LOCAL_ID, 1, 2], 10));
    driver.local(15);
    driver.fetched(1, 10);
    driver.fetched(2, 15);
    expect(nonLeaderVotersByDescendingFetchOffset(driver.state)).toEqual([2, 1]);
  });
});

describe('check-quorum and BeginQuorumEpoch timers (LeaderStateTest)', () => {
  it('testCheckQuorum: a majority of voters resets the timer; an observer does not; then it expires', () => {
    let state = leader([LOCAL_ID, 1, 2, 3, 4], 0, 0);
    expect(timeUntilCheckQuorumExpires(state, 0)).toBe(CHECK_QUORUM_TIMEOUT_MS);
    let now = CHECK_QUORUM_TIMEOUT_MS / 2;
    expect(timeUntilCheckQuorumExpires(state, now)).toBeGreaterThan(0);
    state = updateCheckQuorumForFollowingVoter(state, { id: 1 }, now);
    state = updateCheckQuorumForFollowingVoter(state, { id: 2 }, now);
    expect(timeUntilCheckQuorumExpires(state, now)).toBe(CHECK_QUORUM_TIMEOUT_MS);
    now += CHECK_QUORUM_TIMEOUT_MS / 2;
    const remainingMs = timeUntilCheckQuorumExpires(state, now);
    expect(remainingMs).toBeGreaterThan(0);
    state = updateCheckQuorumForFollowingVoter(state, { id: 3 }, now);
    state = updateCheckQuorumForFollowingVoter(state, { id: 5 }, now); // an observer
    expect(timeUntilCheckQuorumExpires(state, now)).toBe(remainingMs);
    now += CHECK_QUORUM_TIMEOUT_MS / 2;
    expect(timeUntilCheckQuorumExpires(state, now)).toBe(0);
  });

  it('testCheckQuorumWithOneVoter: a single voter never expires, whoever fetches', () => {
    let state = leader([LOCAL_ID], 0, 0);
    expect(timeUntilCheckQuorumExpires(state, 0)).toBe(Infinity);
    expect(timeUntilCheckQuorumExpires(state, CHECK_QUORUM_TIMEOUT_MS)).toBe(Infinity);
    state = updateCheckQuorumForFollowingVoter(state, { id: 1 }, CHECK_QUORUM_TIMEOUT_MS);
    expect(timeUntilCheckQuorumExpires(state, CHECK_QUORUM_TIMEOUT_MS * 2)).toBe(Infinity);
  });

  it('testBeginQuorumEpochTimer: due at once, then every fetch timeout / 2', () => {
    let state = leader([LOCAL_ID, 1], 10, 0);
    expect(timeUntilBeginQuorumEpochTimerExpires(state, 0)).toBe(0);
    state = resetBeginQuorumEpochTimer(state, 5);
    expect(timeUntilBeginQuorumEpochTimerExpires(state, 5)).toBe(FETCH_TIMEOUT_MS / 2);
    expect(timeUntilBeginQuorumEpochTimerExpires(state, 10)).toBe(FETCH_TIMEOUT_MS / 2 - 5);
    expect(timeUntilBeginQuorumEpochTimerExpires(state, 10 + FETCH_TIMEOUT_MS / 2)).toBe(0);
  });
});

describe('leaderChangeMessage', () => {
  it('names the leader, the voters and those that granted the vote', () => {
    const state = newLeaderState({ localKey: { id: 0 }, epoch: 5, epochStartOffset: 10, voterIds: [0, 1, 2], grantingVoters: [0, 2], fetchTimeoutMs: 2000, nowMs: 0 });
    expect(leaderChangeMessage(state)).toEqual({ version: 0, leaderId: 0, voters: [{ voterId: 0 }, { voterId: 1 }, { voterId: 2 }], grantingVoters: [{ voterId: 0 }, { voterId: 2 }] });
  });
});

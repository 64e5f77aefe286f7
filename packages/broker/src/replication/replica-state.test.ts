import { describe, expect, it } from 'vitest';
import { followerFetched, followerStateForNewLeader, isFollowerCaughtUp, NEVER_CAUGHT_UP, unknownFollowerState, UNKNOWN_OFFSET } from './replica-state.js';

// Kafka's IsrExpirationTest values: replica.lag.time.max.ms = 100, the leader's LEO 20.
const replicaLagTimeMaxMs = 100;
const leaderLogEndOffset = 20;

describe('followerFetched', () => {
  it('records the fetch offset as the follower LEO and marks it caught up when it asks for the leader LEO', () => {
    const state = followerFetched(unknownFollowerState(1), { fetchOffset: 20, logStartOffset: 0, fetchTimeMs: 1000, leaderLogEndOffset, brokerEpoch: 7 });
    expect(state).toEqual({ brokerId: 1, logEndOffset: 20, logStartOffset: 0, lastFetchLeaderLogEndOffset: 20, lastFetchTimeMs: 1000, lastCaughtUpTimeMs: 1000, brokerEpoch: 7 });
  });

  it('counts a fetch reaching the leader LEO of the previous fetch as caught up at the previous fetch time', () => {
    const first = followerFetched(unknownFollowerState(1), { fetchOffset: 10, logStartOffset: 0, fetchTimeMs: 1000, leaderLogEndOffset: 12 });
    expect(first.lastCaughtUpTimeMs).toBe(NEVER_CAUGHT_UP);
    const second = followerFetched(first, { fetchOffset: 12, logStartOffset: 0, fetchTimeMs: 1050, leaderLogEndOffset: 20 });
    expect(second.lastCaughtUpTimeMs).toBe(1000);
    expect(second.lastFetchLeaderLogEndOffset).toBe(20);
  });

  it('does not move the caught-up time for a fetch below the previous leader LEO', () => {
    const first = followerFetched(unknownFollowerState(1), { fetchOffset: 10, logStartOffset: 0, fetchTimeMs: 1000, leaderLogEndOffset: 12 });
    const second = followerFetched(first, { fetchOffset: 11, logStartOffset: 0, fetchTimeMs: 1050, leaderLogEndOffset: 12 });
    expect(second.lastCaughtUpTimeMs).toBe(NEVER_CAUGHT_UP);
  });

  it('never moves the caught-up time backwards', () => {
    const caughtUp = followerFetched(unknownFollowerState(1), { fetchOffset: 15, logStartOffset: 0, fetchTimeMs: 2000, leaderLogEndOffset: 15 });
    const reordered = followerFetched(caughtUp, { fetchOffset: 15, logStartOffset: 0, fetchTimeMs: 1500, leaderLogEndOffset: 15 });
    expect(reordered.lastCaughtUpTimeMs).toBe(2000);
  });
});

describe('isFollowerCaughtUp (IsrExpirationTest shapes)', () => {
  it('a stuck follower (fetching at LEO - 1) falls out once the lag time has passed', () => {
    // In the ISR when the leader took over at time 0, then stuck one record behind.
    const stuck = followerFetched(followerStateForNewLeader(1, true, 0), { fetchOffset: leaderLogEndOffset - 1, logStartOffset: 0, fetchTimeMs: 0, leaderLogEndOffset });
    expect(isFollowerCaughtUp(stuck, leaderLogEndOffset, replicaLagTimeMaxMs, replicaLagTimeMaxMs)).toBe(true);
    expect(isFollowerCaughtUp(stuck, leaderLogEndOffset, replicaLagTimeMaxMs + 1, replicaLagTimeMaxMs)).toBe(false);
  });

  it('a silent follower (no fetch since it was caught up) falls out after the lag time', () => {
    const silent = followerStateForNewLeader(1, true, 0);
    expect(silent.logEndOffset).toBe(UNKNOWN_OFFSET);
    expect(isFollowerCaughtUp(silent, leaderLogEndOffset, replicaLagTimeMaxMs, replicaLagTimeMaxMs)).toBe(true);
    expect(isFollowerCaughtUp(silent, leaderLogEndOffset, replicaLagTimeMaxMs + 1, replicaLagTimeMaxMs)).toBe(false);
  });

  it('a caught-up idle follower stays in sync however long nothing is written', () => {
    const idle = followerFetched(unknownFollowerState(1), { fetchOffset: leaderLogEndOffset, logStartOffset: 0, fetchTimeMs: 0, leaderLogEndOffset });
    expect(isFollowerCaughtUp(idle, leaderLogEndOffset, 10 * replicaLagTimeMaxMs, replicaLagTimeMaxMs)).toBe(true);
  });

  it('a new leader counts an out-of-sync follower as never caught up, even at the start of a simulated clock', () => {
    expect(isFollowerCaughtUp(followerStateForNewLeader(2, false, 5000), leaderLogEndOffset, 5000, replicaLagTimeMaxMs)).toBe(false);
    expect(isFollowerCaughtUp(followerStateForNewLeader(2, false, 0), leaderLogEndOffset, 0, replicaLagTimeMaxMs)).toBe(false);
    expect(isFollowerCaughtUp(followerStateForNewLeader(2, true, 0), leaderLogEndOffset, 0, replicaLagTimeMaxMs)).toBe(true);
  });
});

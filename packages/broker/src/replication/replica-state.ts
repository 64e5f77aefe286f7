/**
 * What a partition leader knows about one follower (Kafka's `Replica`/`ReplicaState`, core/.../cluster/Replica.scala):
 * its log end offset as of its latest valid fetch, when it last fetched, and when it was last caught up. The ISR
 * shrink rule and the high-watermark rule read only this state. Times are passed in (milliseconds), never read.
 */

/** Kafka's `UnifiedLog.UnknownOffset`: the follower has not fetched in this leader epoch yet. */
export const UNKNOWN_OFFSET = -1;

/**
 * The follower has never been caught up in this leader epoch. Kafka uses time 0 for this and relies on the wall
 * clock being far from 0; a simulated clock starts at 0, so "never" is explicit here.
 */
export const NEVER_CAUGHT_UP = -1;

export interface FollowerReplicaState {
  readonly brokerId: number;
  /** The follower's LEO: the fetch offset of its latest valid fetch, or UNKNOWN_OFFSET. */
  readonly logEndOffset: number;
  readonly logStartOffset: number;
  /** The leader's LEO when that fetch arrived; the next fetch reaching it proves the follower caught up. */
  readonly lastFetchLeaderLogEndOffset: number;
  readonly lastFetchTimeMs: number;
  readonly lastCaughtUpTimeMs: number;
  /** The follower's broker epoch as sent in its fetch (KIP-903), undefined until it has fetched. */
  readonly brokerEpoch: number | undefined;
}

export function unknownFollowerState(brokerId: number, lastCaughtUpTimeMs = NEVER_CAUGHT_UP): FollowerReplicaState {
  return {
    brokerId,
    logEndOffset: UNKNOWN_OFFSET,
    logStartOffset: UNKNOWN_OFFSET,
    lastFetchLeaderLogEndOffset: UNKNOWN_OFFSET,
    lastFetchTimeMs: 0,
    lastCaughtUpTimeMs,
    brokerEpoch: undefined,
  };
}

export interface FollowerFetch {
  readonly fetchOffset: number;
  readonly logStartOffset: number;
  readonly fetchTimeMs: number;
  /** The leader's LEO at the time of this fetch. */
  readonly leaderLogEndOffset: number;
  readonly brokerEpoch?: number;
}

/**
 * Records a valid follower fetch (Replica.updateFetchStateOrThrow). The follower was caught up at this fetch if it
 * asked for the leader's LEO; it was caught up at its *previous* fetch if it now asks for at least the LEO the
 * leader had then, because everything the leader had at the previous fetch has reached it. This second rule is
 * what keeps a follower that is always slightly behind a busy leader in the ISR while it keeps pace.
 */
export function followerFetched(state: FollowerReplicaState, fetch: FollowerFetch): FollowerReplicaState {
  let lastCaughtUpTimeMs = state.lastCaughtUpTimeMs;
  if (fetch.fetchOffset >= fetch.leaderLogEndOffset) {
    lastCaughtUpTimeMs = Math.max(lastCaughtUpTimeMs, fetch.fetchTimeMs);
  } else if (state.lastFetchLeaderLogEndOffset !== UNKNOWN_OFFSET && fetch.fetchOffset >= state.lastFetchLeaderLogEndOffset) {
    lastCaughtUpTimeMs = Math.max(lastCaughtUpTimeMs, state.lastFetchTimeMs);
  }
  return {
    brokerId: state.brokerId,
    logEndOffset: fetch.fetchOffset,
    logStartOffset: fetch.logStartOffset,
    lastFetchLeaderLogEndOffset: fetch.leaderLogEndOffset,
    lastFetchTimeMs: fetch.fetchTimeMs,
    lastCaughtUpTimeMs,
    brokerEpoch: fetch.brokerEpoch ?? state.brokerEpoch,
  };
}

/**
 * In sync (Replica.isCaughtUp): the follower's LEO equals the leader's, or it was last caught up no longer than
 * `replica.lag.time.max.ms` ago. Stuck followers (fetching but not advancing), silent ones (not fetching) and slow
 * ones (never reaching the leader's previous LEO) all stop being caught up once the lag time passes.
 */
export function isFollowerCaughtUp(state: FollowerReplicaState, leaderLogEndOffset: number, nowMs: number, replicaLagTimeMaxMs: number): boolean {
  if (state.logEndOffset === leaderLogEndOffset) return true;
  return state.lastCaughtUpTimeMs !== NEVER_CAUGHT_UP && nowMs - state.lastCaughtUpTimeMs <= replicaLagTimeMaxMs;
}

/**
 * A broker becoming leader forgets every follower's position (Replica.resetReplicaState): the HW then stays put
 * until each ISR member has fetched in the new epoch. ISR members count as caught up now, so they are not expelled
 * before they had a chance to fetch; others as never caught up.
 */
export function followerStateForNewLeader(brokerId: number, inSync: boolean, nowMs: number): FollowerReplicaState {
  return unknownFollowerState(brokerId, inSync ? nowMs : NEVER_CAUGHT_UP);
}

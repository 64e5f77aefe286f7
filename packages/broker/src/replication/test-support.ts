/** Builders shared by the replication core's tests. */
import { followerFetched, unknownFollowerState, type FollowerReplicaState } from './replica-state.js';

/** A follower that fetched `fetchOffset` at `fetchTimeMs` while the leader's LEO was `leaderLogEndOffset`. */
export function followerAt(brokerId: number, fetchOffset: number, fetchTimeMs: number, leaderLogEndOffset: number): FollowerReplicaState {
  return followerFetched(unknownFollowerState(brokerId), { fetchOffset, logStartOffset: 0, fetchTimeMs, leaderLogEndOffset });
}

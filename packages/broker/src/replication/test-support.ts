/** Builders shared by the replication core's tests. */
import { UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET, type EpochEndOffsetLookup } from './epoch-lookup.js';
import { followerFetched, followerStateForNewLeader, type FollowerReplicaState } from './replica-state.js';

/**
 * A follower that was in sync when the leader took over at time 0, then fetched `fetchOffset` at `fetchTimeMs`
 * while the leader's LEO was `leaderLogEndOffset`.
 */
export function followerAt(brokerId: number, fetchOffset: number, fetchTimeMs: number, leaderLogEndOffset: number): FollowerReplicaState {
  return followerFetched(followerStateForNewLeader(brokerId, true, 0), { fetchOffset, logStartOffset: 0, fetchTimeMs, leaderLogEndOffset });
}

/**
 * A stand-in for storage's leader-epoch cache in these tests: `entries` are (epoch, startOffset) pairs in order,
 * answered with Kafka's endOffsetFor rule.
 */
export function epochLookup(entries: readonly (readonly [epoch: number, startOffset: number])[]): EpochEndOffsetLookup {
  return {
    endOffsetFor(requestedEpoch, logEndOffset) {
      const undefinedAnswer = { epoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET };
      if (requestedEpoch === UNDEFINED_EPOCH || entries.length === 0) return undefinedAnswer;
      if (entries[entries.length - 1]![0] === requestedEpoch) return { epoch: requestedEpoch, endOffset: logEndOffset };
      const higher = entries.findIndex(([epoch]) => epoch > requestedEpoch);
      if (higher === -1) return undefinedAnswer;
      const floor = entries[higher - 1];
      return { epoch: floor === undefined ? requestedEpoch : floor[0], endOffset: entries[higher]![1] };
    },
  };
}

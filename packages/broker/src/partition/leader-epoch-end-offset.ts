/**
 * The leader's answer to OffsetsForLeaderEpoch (Kafka's `Partition.lastOffsetForLeaderEpoch` and
 * `UnifiedLog.endOffsetForEpoch`): check the sender's current leader epoch (KIP-320), then look up where the asked
 * epoch ends in the leader's epoch cache.
 *
 * Kafka's leader adds (its epoch, its log end offset) to the cache the moment it becomes leader, even with no data
 * (KIP-101), and so does kactor's (partition.machine.ts `becomeLeader`). When that write failed (a full disk), the
 * entry is implied: it starts at the log end offset, because any batch appended since would have created it. So the
 * answer is computed as if the entry were there.
 */
import type { ErrorName } from '@kactor/protocol';
import { leaderEpochProblem, type PartitionView } from './partition-reader.js';

/** Kafka's UNDEFINED_EPOCH / UNDEFINED_EPOCH_OFFSET. */
const UNDEFINED = -1;

export interface EpochEndOffsetAnswer {
  readonly errorName: ErrorName;
  readonly leaderEpoch: number;
  readonly endOffset: number;
}

/** What this answer needs from storage's LeaderEpochCache. */
export interface EpochCacheLookup {
  readonly latestEpoch: number | undefined;
  endOffsetFor(requestedEpoch: number, logEndOffset: number): { epoch: number; endOffset: number };
}

/** Thrown when the cache holds an epoch above the partition's leader epoch: epochs never go back. */
export class LeaderEpochAheadOfPartitionError extends Error {
  override readonly name = 'LeaderEpochAheadOfPartitionError';
}

/**
 * Where `requestedEpoch` ends in a log whose leader holds `leaderEpoch`: (epoch, end offset), or (-1, -1) when the
 * leader has no epoch at or below it (UNDEFINED_EPOCH_OFFSET).
 */
export function endOffsetForEpoch(cache: EpochCacheLookup, leaderEpoch: number, requestedEpoch: number, logEndOffset: number): { epoch: number; endOffset: number } {
  const latest = cache.latestEpoch;
  if (latest !== undefined && latest > leaderEpoch) {
    throw new LeaderEpochAheadOfPartitionError(`the epoch cache holds epoch ${latest}, above the partition's leader epoch ${leaderEpoch}`);
  }
  const impliedEntry = leaderEpoch >= 0 && (latest === undefined || latest < leaderEpoch);
  if (!impliedEntry || requestedEpoch === UNDEFINED) return cache.endOffsetFor(requestedEpoch, logEndOffset);
  // With the implied entry (leaderEpoch, logEndOffset) as the latest one:
  if (requestedEpoch === leaderEpoch) return { epoch: leaderEpoch, endOffset: logEndOffset };
  if (requestedEpoch > leaderEpoch) return { epoch: UNDEFINED, endOffset: UNDEFINED };
  // An epoch at or above the cache's latest ends where the implied entry starts; one below it, as the cache says.
  if (latest === undefined) return { epoch: requestedEpoch, endOffset: logEndOffset };
  if (requestedEpoch >= latest) return { epoch: latest, endOffset: logEndOffset };
  return cache.endOffsetFor(requestedEpoch, logEndOffset);
}

/** The whole answer for one partition: a leader check, then the lookup. */
export function lastOffsetForLeaderEpoch(view: PartitionView, currentLeaderEpoch: number, requestedEpoch: number): EpochEndOffsetAnswer {
  const problem = leaderEpochProblem(view, currentLeaderEpoch);
  if (problem !== undefined) return { errorName: problem, leaderEpoch: UNDEFINED, endOffset: UNDEFINED };
  const { log } = view.context.ports;
  const found = endOffsetForEpoch(log.leaderEpochCache, view.context.leaderEpoch, requestedEpoch, log.logEndOffset);
  return { errorName: 'NONE', leaderEpoch: found.epoch, endOffset: found.endOffset };
}

/**
 * The named errors of the pure Raft core (KRaft, KIP-595 https://cwiki.apache.org/confluence/display/KAFKA/KIP-595%3A+A+Raft+Protocol+for+the+Metadata+Quorum).
 * Both mean a bug in the caller or in kactor, never bad input from the network (that is answered with a wire error
 * code): Kafka throws IllegalStateException in the same places. Under the simulation a seed that breaks a rule fails
 * loudly at the first broken step.
 */

/** The rules that must hold whatever messages arrive (RaftEventSimulationTest's invariants, asserted where they can break). */
export type RaftInvariant =
  | 'epoch-decreased'
  | 'high-watermark-decreased'
  | 'local-end-offset-decreased'
  | 'truncation-below-high-watermark'
  | 'conflicting-vote'
  | 'vote-from-non-voter'
  | 'two-leaders-in-epoch'
  | 'fetch-from-local-replica'
  | 'request-answered-invalid'
  /** A leader named a snapshot ending below what this replica already knows committed (KIP-630). */
  | 'snapshot-below-high-watermark'
  /** Kafka's LeaderNeverLoadSnapshot: a leader never replaces its log with a snapshot. */
  | 'leader-loaded-snapshot';

export class RaftInvariantError extends Error {
  override readonly name = 'RaftInvariantError';

  constructor(
    readonly invariant: RaftInvariant,
    detail: string,
  ) {
    super(`raft invariant "${invariant}" violated: ${detail}`);
  }
}

/** A state change Kafka's QuorumState refuses (e.g. following oneself, Unattached in the same epoch from Leader). */
export class IllegalRaftTransitionError extends Error {
  override readonly name = 'IllegalRaftTransitionError';

  constructor(
    readonly from: string,
    readonly to: string,
    reason: string,
  ) {
    super(`cannot transition from ${from} to ${to}: ${reason}`);
  }
}

/** Epochs only go up: a replica never adopts an older epoch than the one it is in. */
export function assertEpochMove(previousEpoch: number, nextEpoch: number): void {
  if (nextEpoch < previousEpoch) {
    throw new RaftInvariantError('epoch-decreased', `epoch went from ${previousEpoch} to ${nextEpoch}`);
  }
}

/** A known high watermark never goes back (Kafka: "Non-monotonic update of high watermark"). */
export function assertHighWatermarkMove(previous: number | undefined, next: number): void {
  if (previous !== undefined && next < previous) {
    throw new RaftInvariantError('high-watermark-decreased', `high watermark went from ${previous} to ${next}`);
  }
}

/**
 * The invariants the replication cores assert (issue 11, "assert what must hold"). A violation means a bug in
 * kactor, not bad input, so it throws instead of answering with a wire error: under the simulation a seed that
 * silently corrupted replicas fails loudly at the first broken rule instead.
 */
export type ReplicationInvariant =
  | 'high-watermark-above-log-end-offset'
  | 'high-watermark-decreased'
  | 'leader-epoch-decreased'
  | 'isr-without-leader';

export class ReplicationInvariantError extends Error {
  override readonly name = 'ReplicationInvariantError';

  constructor(
    readonly invariant: ReplicationInvariant,
    detail: string,
  ) {
    super(`replication invariant "${invariant}" violated: ${detail}`);
  }
}

/** The leader's HW never passes its own LEO, and never goes back within a leader epoch. */
export function assertHighWatermarkMove(previousHighWatermark: number, nextHighWatermark: number, logEndOffset: number): void {
  if (nextHighWatermark > logEndOffset) {
    throw new ReplicationInvariantError('high-watermark-above-log-end-offset', `high watermark ${nextHighWatermark} > log end offset ${logEndOffset}`);
  }
  if (nextHighWatermark < previousHighWatermark) {
    throw new ReplicationInvariantError('high-watermark-decreased', `high watermark went from ${previousHighWatermark} to ${nextHighWatermark}`);
  }
}

/** Leader epochs only go up: a replica that sees an older one must fence it, never adopt it. */
export function assertLeaderEpochMove(previousLeaderEpoch: number, nextLeaderEpoch: number): void {
  if (nextLeaderEpoch < previousLeaderEpoch) {
    throw new ReplicationInvariantError('leader-epoch-decreased', `leader epoch went from ${previousLeaderEpoch} to ${nextLeaderEpoch}`);
  }
}

/**
 * The leader's high watermark (Kafka's Partition.maybeIncrementLeaderHW): the lowest log end offset among
 * the ISR members, never moving backwards and never past the leader's own log end offset. With replication
 * factor 1 the ISR is the leader alone, so the high watermark is its log end offset; followers plug their
 * fetch positions in here when replication lands.
 */
export interface HighWatermarkInput {
  current: number;
  leaderId: number;
  leaderLogEndOffset: number;
  isr: readonly number[];
  /** Log end offsets of followers, as last reported by their fetches. */
  followerLogEndOffsets: Readonly<Record<number, number>>;
}

export function leaderHighWatermark(input: HighWatermarkInput): number {
  let lowest = input.leaderLogEndOffset;
  for (const replica of input.isr) {
    if (replica === input.leaderId) continue;
    const followerEnd = input.followerLogEndOffsets[replica];
    // A follower that has not fetched in this leader epoch holds the high watermark where it is.
    if (followerEnd === undefined) return input.current;
    lowest = Math.min(lowest, followerEnd);
  }
  return Math.max(input.current, Math.min(lowest, input.leaderLogEndOffset));
}

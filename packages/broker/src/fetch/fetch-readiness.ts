/**
 * Whether a fetch may be answered now, decided from offsets without reading records (the check of Kafka's
 * DelayedFetch.tryComplete). A parked fetch asks this every time one of its partitions moves, so it must cost
 * a few comparisons, not a read: Kafka compares each partition's fetch offset with the offset the fetch may read
 * up to (the log end for a follower, the high watermark for read_uncommitted, the last stable offset for
 * read_committed) and counts the bytes between them, and answers at once when a partition has an error (its
 * leadership moved, its epoch changed, it is gone, the log was truncated below the fetch offset).
 *
 * kactor's logs know no byte position of an offset, so the bytes are counted in two steps: a partition with any
 * offset to read holds at least one whole batch (RECORD_BATCH_OVERHEAD bytes: the high watermark, the last stable
 * offset and the log end all fall on batch boundaries), which already satisfies the usual fetch.min.bytes of 1
 * (consumers' and replica.fetch.min.bytes' default). Only a larger fetch.min.bytes needs the exact count, taken
 * with a read and kept until that partition's end offset moves again.
 */
import type { RequestBody } from '@kactor/protocol';
import { isolationLevels, RECORD_BATCH_OVERHEAD } from '@kactor/protocol';
import { leaderEpochProblem, partitionLastStableOffset, type PartitionView } from '../partition/partition-reader.js';
import type { PartitionLookup } from './fetch-reader.js';
import { partitionKey } from '../node/partition-host.js';
import { verdictKey, type FollowerFetchVerdicts } from './follower-fetch-reader.js';

/**
 * `ready`: answer now (an error, or fetch.min.bytes are there); `short`: some records but fewer bytes than
 * fetch.min.bytes; `nothing`: no partition has a record to read yet.
 */
export type FetchReadiness = 'ready' | 'short' | 'nothing';

interface WatchedPartition {
  topic: string;
  partition: number;
  fetchOffset: number;
  currentLeaderEpoch: number;
  partitionMaxBytes: number;
  /** A follower's fetch: whether its partition actor let it read (decided once, on arrival). */
  followerMayRead: boolean;
  /** The exact bytes last counted, and the end offset they were counted to (-1: never counted). */
  countedEndOffset: number;
  countedBytes: number;
}

/** The end offset a partition may be read to, or `error` when the fetch must be answered at once. */
type EndOffset = number | 'error';

export class FetchReadinessCheck {
  /** The purgatory keys of the partitions read (`topic-partition`): a move of any of them may make the fetch ready. */
  readonly keys: string[] = [];
  private readonly partitions: WatchedPartition[] = [];
  private readonly follower: boolean;
  private readonly readCommitted: boolean;

  /** `verdicts`: a follower's fetch (replicaId >= 0), with its partition actors' verdicts; undefined for a consumer's. */
  constructor(
    private readonly request: RequestBody<'fetch'>,
    private readonly lookup: PartitionLookup,
    verdicts?: FollowerFetchVerdicts,
  ) {
    this.follower = verdicts !== undefined;
    this.readCommitted = request.isolationLevel === isolationLevels.readCommitted;
    for (const topic of request.topics) {
      for (const partition of topic.partitions) {
        const verdict = verdicts?.get(verdictKey(topic.topic, partition.partition));
        this.keys.push(partitionKey(topic.topic, partition.partition));
        this.partitions.push({
          topic: topic.topic,
          partition: partition.partition,
          fetchOffset: partition.fetchOffset,
          currentLeaderEpoch: partition.currentLeaderEpoch,
          partitionMaxBytes: partition.partitionMaxBytes,
          followerMayRead: typeof verdict === 'object' && verdict.kind === 'read',
          countedEndOffset: -1,
          countedBytes: 0,
        });
      }
    }
  }

  check(): FetchReadiness {
    let atLeastBytes = 0;
    let withRecords: Array<{ watched: WatchedPartition; view: PartitionView; endOffset: number }> | undefined;
    for (const watched of this.partitions) {
      const view = this.lookup(watched.topic, watched.partition);
      if (typeof view === 'string') return 'ready';
      const endOffset = this.endOffsetOf(watched, view);
      if (endOffset === 'error') return 'ready';
      if (endOffset <= watched.fetchOffset) continue;
      atLeastBytes += Math.min(RECORD_BATCH_OVERHEAD, watched.partitionMaxBytes);
      (withRecords ??= []).push({ watched, view, endOffset });
    }
    if (atLeastBytes >= this.request.minBytes) return 'ready';
    if (withRecords === undefined) return 'nothing';
    let bytes = 0;
    for (const { watched, view, endOffset } of withRecords) {
      bytes += this.bytesUpTo(watched, view, endOffset);
      if (bytes >= this.request.minBytes) return 'ready';
    }
    return 'short';
  }

  private endOffsetOf(watched: WatchedPartition, view: PartitionView): EndOffset {
    if (this.follower) {
      // Any verdict but `read` (an error, a divergence) was answered on arrival; a leadership that moved since is news.
      if (!watched.followerMayRead || view.state !== 'Leader') return 'error';
    } else if (leaderEpochProblem(view, watched.currentLeaderEpoch) !== undefined) {
      return 'error';
    }
    const { log } = view.context.ports;
    // Truncated below the fetch offset, or the log start moved past it: the read answers OFFSET_OUT_OF_RANGE.
    if (watched.fetchOffset < log.logStartOffset || watched.fetchOffset > log.logEndOffset) return 'error';
    if (this.follower) return log.logEndOffset;
    return this.readCommitted ? partitionLastStableOffset(view.context) : view.context.highWatermark;
  }

  /** Kafka counts at most partitionMaxBytes of a partition towards fetch.min.bytes. */
  private bytesUpTo(watched: WatchedPartition, view: PartitionView, endOffset: number): number {
    if (watched.countedEndOffset !== endOffset) {
      // The offsets were just found in range, so the read cannot be out of range.
      const bytes = view.context.ports.log.read(watched.fetchOffset, watched.partitionMaxBytes, endOffset).records.byteLength;
      watched.countedEndOffset = endOffset;
      watched.countedBytes = Math.min(bytes, watched.partitionMaxBytes);
    }
    return watched.countedBytes;
  }
}

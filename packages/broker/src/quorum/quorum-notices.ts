/**
 * What the Raft replica host tells the node (leader changes, committed metadata, replica progress), in the order the
 * replica said it, but never from inside the statechart's own step: the node reacts by appending (the controller
 * writes as soon as it leads), and an append must run as its own event so it can answer its offsets at once. So
 * notices are queued and delivered on the next turn of the node's clock.
 *
 * Committed metadata is read from the local log up to the high watermark, every record exactly once and in order,
 * starting from the log start (a restarted replica replays everything committed), or from the end of the snapshot the
 * node loaded (skipTo); control batches are skipped.
 */
import type { Clock, TimerHandle } from '@kactor/runtime';
import type { PartitionLog, SnapshotId } from '@kactor/storage';
import { readMetadataRecords } from '../controller/metadata-log.js';
import type { MetadataRecord } from '../controller/metadata-records.js';

export interface CommittedMetadata {
  readonly records: ReadonlyArray<{ readonly offset: number; readonly record: MetadataRecord }>;
  readonly highWatermark: number;
}

export interface LeaderChange {
  readonly leaderId: number | undefined;
  readonly epoch: number;
  /** This replica is the Leader. */
  readonly isLocal: boolean;
  /** Where this leader's epoch starts (its LeaderChangeMessage); set only when `isLocal`. */
  readonly epochStartOffset: number | undefined;
}

export interface ReplicaProgress {
  readonly replicaId: number;
  /** The replica has applied every committed record up to and including this offset (its reported HW - 1). */
  readonly appliedOffset: number;
}

export interface QuorumListener {
  onCommitted(batch: CommittedMetadata): void;
  /** A snapshot fetched from the leader replaced the whole log (KIP-630): the node reloads its state from it. */
  onSnapshotInstalled?(id: SnapshotId): void;
  onLeaderChanged(change: LeaderChange): void;
  onReplicaProgress(progress: ReplicaProgress): void;
}

type Notice =
  | { readonly kind: 'snapshot'; readonly id: SnapshotId }
  | { readonly kind: 'leader'; readonly change: LeaderChange } | { readonly kind: 'committed'; readonly highWatermark: number } | { readonly kind: 'progress'; readonly progress: ReplicaProgress };

export class QuorumNotices {
  private readonly queue: Notice[] = [];
  private timer: TimerHandle | undefined;
  private lastLeader: LeaderChange | undefined;
  /** The first offset not yet delivered. */
  private nextOffset: number;
  private deliveredHighWatermark = -1;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly log: Pick<PartitionLog, 'logStartOffset' | 'logEndOffset' | 'read'>,
    private readonly listener: QuorumListener,
    private readonly onError: (error: unknown) => void,
  ) {
    this.nextOffset = log.logStartOffset;
  }

  /** A leader change, once per (epoch, leader, local): a repeat of the last one is dropped. */
  leaderChanged(change: LeaderChange): void {
    const last = this.lastLeader;
    if (last !== undefined && last.epoch === change.epoch && last.leaderId === change.leaderId && last.isLocal === change.isLocal) return;
    this.lastLeader = change;
    this.push({ kind: 'leader', change });
  }

  highWatermark(highWatermark: number): void {
    this.push({ kind: 'committed', highWatermark });
  }

  progress(progress: ReplicaProgress): void {
    this.push({ kind: 'progress', progress });
  }

  /**
   * A snapshot holding everything below `endOffset` was loaded (KIP-630): committed records are delivered from there
   * on, and a high watermark at or below it has nothing new.
   */
  skipTo(endOffset: number): void {
    this.nextOffset = Math.max(this.nextOffset, endOffset);
    this.deliveredHighWatermark = Math.max(this.deliveredHighWatermark, endOffset);
  }

  /**
   * The replica installed a snapshot in place of its log (KIP-630): what was below its end is no longer read from the
   * log (it is gone), and the listener reloads from the snapshot, in order with the other notices.
   */
  snapshotInstalled(id: SnapshotId): void {
    this.skipTo(id.endOffset);
    this.push({ kind: 'snapshot', id });
  }

  /** Nothing more is delivered (the replica stopped or crashed). */
  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private push(notice: Notice): void {
    if (this.stopped) return;
    this.queue.push(notice);
    this.timer ??= this.clock.setTimeout(() => this.deliver(), 0);
  }

  private deliver(): void {
    this.timer = undefined;
    try {
      for (let notice = this.queue.shift(); notice !== undefined && !this.stopped; notice = this.queue.shift()) {
        if (notice.kind === 'leader') this.listener.onLeaderChanged(notice.change);
        else if (notice.kind === 'snapshot') this.listener.onSnapshotInstalled?.(notice.id);
        else if (notice.kind === 'progress') this.listener.onReplicaProgress(notice.progress);
        else this.deliverCommitted(notice.highWatermark);
      }
    } catch (error) {
      this.onError(error);
    }
  }

  private deliverCommitted(highWatermark: number): void {
    // The high watermark only moves up; a repeated or older one has nothing new.
    if (highWatermark <= this.deliveredHighWatermark) return;
    const records = readMetadataRecords(this.log, { fromOffset: this.nextOffset, toOffset: highWatermark });
    this.nextOffset = Math.max(this.nextOffset, highWatermark);
    this.deliveredHighWatermark = highWatermark;
    this.listener.onCommitted({ records, highWatermark });
  }
}

/**
 * When a node writes a snapshot of its committed metadata (KIP-630; Kafka's SnapshotGenerator, which every node runs,
 * broker or controller): once `metadata.log.max.record.bytes.between.snapshots` bytes of records were committed since
 * the last one, or `metadata.log.max.snapshot.interval.ms` passed with records committed since (checked as records
 * commit, as Kafka's publishLogDelta does). The snapshot holds the committed state below the high watermark, its id
 * is (high watermark, epoch of the last record below it). After a snapshot is written the older ones are deleted, and
 * `onSnapshot` lets the node move its log start up to it.
 */
import type { Clock, Logger } from '@kactor/runtime';
import { type SnapshotId, type SnapshotStore } from '@kactor/storage';
import type { ControllerState } from '../controller/metadata-state.js';
import { snapshotRecordsOf } from '../controller/metadata-snapshot.js';
import { writeMetadataSnapshot } from './metadata-snapshot-file.js';

export interface SnapshotLimits {
  /** metadata.log.max.record.bytes.between.snapshots (Kafka's default 20 MiB). */
  readonly maxBytesBetweenSnapshots: number;
  /** metadata.log.max.snapshot.interval.ms (Kafka's default 1 h); 0 for size only. */
  readonly maxIntervalMs: number;
}

export interface SnapshotProgress {
  readonly bytesSinceLastSnapshot: number;
  readonly lastSnapshotMs: number;
  readonly nowMs: number;
}

/** Why a snapshot is due now, or undefined (nothing committed since the last one counts as not due). */
export function snapshotDue(progress: SnapshotProgress, limits: SnapshotLimits): 'bytes' | 'interval' | undefined {
  if (progress.bytesSinceLastSnapshot <= 0) return undefined;
  if (progress.bytesSinceLastSnapshot >= limits.maxBytesBetweenSnapshots) return 'bytes';
  if (limits.maxIntervalMs > 0 && progress.nowMs - progress.lastSnapshotMs >= limits.maxIntervalMs) return 'interval';
  return undefined;
}

export interface CommittedImage {
  /** The committed state: every record below `endOffset` applied. */
  readonly state: ControllerState;
  readonly endOffset: number;
}

export interface SnapshotGeneratorOptions {
  readonly limits: SnapshotLimits;
  readonly store: SnapshotStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The epoch of the record at `offset` in the local log (the leader-epoch cache), if it knows it. */
  epochAt(offset: number): number | undefined;
  /** A snapshot was written (the node moves its log start up to it). */
  onSnapshot?(id: SnapshotId): void;
}

export class MetadataSnapshotGenerator {
  private bytesSinceLastSnapshot = 0;
  private lastSnapshotMs: number;

  constructor(private readonly options: SnapshotGeneratorOptions) {
    this.lastSnapshotMs = options.clock.now();
  }

  /** `bytes` of records were committed and applied; `image` gives the committed state if a snapshot is due. */
  committed(bytes: number, image: () => CommittedImage): SnapshotId | undefined {
    const { options } = this;
    this.bytesSinceLastSnapshot += bytes;
    const nowMs = options.clock.now();
    const reason = snapshotDue({ bytesSinceLastSnapshot: this.bytesSinceLastSnapshot, lastSnapshotMs: this.lastSnapshotMs, nowMs }, options.limits);
    if (reason === undefined) return undefined;
    const { state, endOffset } = image();
    const latest = options.store.latest();
    if (endOffset <= 0 || (latest !== undefined && latest.endOffset >= endOffset)) return undefined;
    const epoch = options.epochAt(endOffset - 1);
    if (epoch === undefined) {
      options.logger.warn({ endOffset }, 'no epoch known for the last committed record: no snapshot this time');
      return undefined;
    }
    const id = { endOffset, epoch };
    const records = snapshotRecordsOf(state);
    const sizeBytes = writeMetadataSnapshot(options.store, { id, records, timestampMs: nowMs, lastContainedLogTimestampMs: nowMs });
    const deleted = options.store.deleteBefore(id);
    options.logger.info({ endOffset, epoch, records: records.length, sizeBytes, reason, bytesSinceLastSnapshot: this.bytesSinceLastSnapshot, deletedOlder: deleted }, 'wrote a metadata snapshot');
    this.bytesSinceLastSnapshot = 0;
    this.lastSnapshotMs = nowMs;
    options.onSnapshot?.(id);
    return id;
  }
}

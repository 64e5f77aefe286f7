/**
 * Loading a partition folder's segments (Kafka's `LogLoader`, simplified honestly):
 * - Leftovers of interrupted work go first: temporary files of atomic writes, and `.index` files
 *   without their `.log`.
 * - After an unclean shutdown, every segment from the one holding the recovery point onwards is
 *   checked batch by batch (header, length, offsets, CRC). At the first torn or bad batch the segment
 *   is cut there and every later segment deleted: what follows a hole cannot be trusted to be
 *   contiguous. Indexes of checked segments are rebuilt.
 * - Segments below the recovery point, and all segments after a clean shutdown, are trusted; only an
 *   index that is missing or fails its sanity check is rebuilt. The last segment's tail is still walked
 *   to find the log end offset, and recovered if it turns out torn (a disk that lied about a flush).
 *
 * - A partition folder without any `.log` file is a new log (or one whose every segment is gone): its
 *   empty first segment is created with an empty index, and nothing is logged, as there is nothing to
 *   recover or rebuild (a brand-new partition must not read like a repaired one).
 *
 * Not done, unlike Kafka: producer-state snapshots, the leader-epoch cache and the time index, which
 * this storage does not keep yet.
 */
import path from 'node:path';
import { INDEX_FILE_SUFFIX, LOG_FILE_SUFFIX, TEMP_FILE_SUFFIX, parseSegmentFileName } from './file-names.js';
import type { LogConfig } from './log.js';
import { LogSegment } from './segment.js';
import type { StorageFs } from './storage-fs.js';
import type { StorageLogger } from './storage-logger.js';

export interface LoadSegmentsOptions {
  fs: StorageFs;
  dir: string;
  config: LogConfig;
  nowMs: number;
  /** Whether the data directory was shut down cleanly: then segments are trusted. */
  cleanShutdown: boolean;
  /** Offset below which everything was flushed before the last shutdown (0 when unknown). */
  recoveryPoint: number;
  logger: StorageLogger;
}

export interface LoadedSegments {
  /** Sorted by base offset; the last one is active (its index open for writing). Never empty. */
  segments: LogSegment[];
  /** Whether any segment was checked batch by batch (the caller then flushes and checkpoints). */
  recovered: boolean;
  /** Whether recovery cut a torn or bad tail. */
  truncated: boolean;
}

export function loadSegments(options: LoadSegmentsOptions): LoadedSegments {
  const { fs, dir, config, nowMs, logger } = options;
  const baseOffsets = listSegmentsAndRemoveLeftovers(fs, dir);
  if (baseOffsets.length === 0) return { segments: [newLogSegment(options)], recovered: false, truncated: false };
  const segments: LogSegment[] = [];
  let recovered = false;
  let truncated = false;
  let minNextOffset = 0;
  for (let i = 0; i < baseOffsets.length; i++) {
    const baseOffset = baseOffsets[i]!;
    const isLast = i === baseOffsets.length - 1;
    const segment = LogSegment.open(fs, dir, baseOffset, nowMs);
    segments.push(segment);
    minNextOffset = Math.max(minNextOffset, baseOffset);
    // A segment holds data at or above the recovery point when the next one starts above it.
    const holdsUnflushedData = isLast || baseOffsets[i + 1]! > options.recoveryPoint;
    let mustRecover = !options.cleanShutdown && holdsUnflushedData;
    if (!mustRecover) {
      if (segment.loadIndex(minNextOffset, config)) {
        logger.info({ segment: segment.logPath }, 'rebuilt a missing or inconsistent offset index');
      }
      if (isLast) {
        const tail = segment.scanTail(minNextOffset);
        if (tail.stop !== 'end') {
          logger.warn({ segment: segment.logPath, reason: tail.reason }, 'the last segment ends in a torn batch: recovering it');
          mustRecover = true;
        }
      } else {
        segment.nextOffset = baseOffsets[i + 1]!;
      }
    }
    if (mustRecover) {
      recovered = true;
      const result = segment.recover(minNextOffset, config);
      if (result.stop !== 'end') {
        truncated = true;
        logger.warn(
          { segment: segment.logPath, reason: result.reason, validBytes: result.validEndPosition, nextOffset: result.nextOffset },
          'truncated the log at the first torn or corrupt batch',
        );
        deleteSegmentsAfter(fs, dir, baseOffsets.slice(i + 1), logger);
        break;
      }
    }
    minNextOffset = segment.nextOffset;
  }
  segments[segments.length - 1]!.activate();
  return { segments, recovered, truncated };
}

/** The empty first segment of a log that has no segment yet, its (empty) index written, ready for appends. */
function newLogSegment(options: LoadSegmentsOptions): LogSegment {
  const segment = LogSegment.create(options.fs, options.dir, 0, options.nowMs);
  segment.loadIndex(0, options.config);
  segment.activate();
  return segment;
}

/** Base offsets of the `.log` files, sorted; removes temporary files and orphaned indexes. */
function listSegmentsAndRemoveLeftovers(fs: StorageFs, dir: string): number[] {
  const names = fs.readdirSync(dir);
  const logOffsets = new Set<number>();
  for (const name of names) {
    const offset = parseSegmentFileName(name, LOG_FILE_SUFFIX);
    if (offset !== null) logOffsets.add(offset);
  }
  for (const name of names) {
    const indexOffset = parseSegmentFileName(name, INDEX_FILE_SUFFIX);
    const orphanIndex = indexOffset !== null && !logOffsets.has(indexOffset);
    if (name.endsWith(TEMP_FILE_SUFFIX) || orphanIndex) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
  }
  return [...logOffsets].sort((a, b) => a - b);
}

function deleteSegmentsAfter(fs: StorageFs, dir: string, baseOffsets: readonly number[], logger: StorageLogger): void {
  for (const baseOffset of baseOffsets) {
    const segment = LogSegment.open(fs, dir, baseOffset, 0);
    logger.warn({ segment: segment.logPath }, 'deleted a segment that follows a truncation');
    segment.deleteFiles();
  }
}

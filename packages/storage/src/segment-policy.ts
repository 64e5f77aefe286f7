/**
 * The rules both logs share, as plain functions, so that `FileLog` and `MemoryLog` roll segments and
 * place index entries at exactly the same points (Kafka's `LogSegment.shouldRoll` and
 * `LogSegment.append`).
 */
import type { LogConfig } from './log.js';

/** One offset index entry: relative offset (u32) and file position (u32). */
export const INDEX_ENTRY_BYTES = 8;
/** Offsets in a segment are stored relative to its base offset in 32 bits (Kafka keeps them signed). */
export const MAX_RELATIVE_OFFSET = 0x7fff_ffff;

/** How many entries an index of `segment.index.bytes` holds (Kafka rounds down to whole entries). */
export function maxIndexEntries(config: Pick<LogConfig, 'segmentIndexBytes'>): number {
  return Math.floor(config.segmentIndexBytes / INDEX_ENTRY_BYTES);
}

/**
 * Kafka's sparse index rule: a batch gets an entry (its last offset, its position) when more than
 * `index.interval.bytes` were written since the previous entry, counted before the batch. The first
 * batch of a segment never gets one: a lookup that finds no entry starts at position 0.
 */
export function needsIndexEntry(bytesSinceLastIndexEntry: number, config: Pick<LogConfig, 'indexIntervalBytes'>): boolean {
  return bytesSinceLastIndexEntry > config.indexIntervalBytes;
}

export interface ActiveSegmentState {
  baseOffset: number;
  sizeBytes: number;
  /** When the segment got its first batch (or was loaded, if it already had data), on the injected clock. */
  ageStartMs: number;
  indexEntries: number;
}

export type RollReason = 'segment.bytes' | 'segment.ms' | 'segment.index.bytes' | 'relative offset overflow';

/**
 * Why the active segment must roll before an append of `appendBytes` ending at `appendLastOffset`, or
 * null. An empty segment never rolls: a new one would start at the same offset (Kafka replaces it with
 * an identical one), so an append larger than `segment.bytes` lands alone in an empty segment.
 *
 * The age is measured on the injected clock from the segment's first append (or from its loading after
 * a restart). Kafka measures from the first batch's timestamp, which is about the time of the first
 * append; but CreateTime timestamps are chosen by producers, which would let clients steer rolling,
 * so we keep to the clock.
 */
export function rollReason(
  segment: ActiveSegmentState,
  appendBytes: number,
  appendLastOffset: number,
  config: Pick<LogConfig, 'segmentBytes' | 'segmentMs' | 'segmentIndexBytes'>,
  nowMs: number,
): RollReason | null {
  if (segment.sizeBytes === 0) return null;
  if (segment.sizeBytes > config.segmentBytes - appendBytes) return 'segment.bytes';
  if (nowMs - segment.ageStartMs > config.segmentMs) return 'segment.ms';
  if (segment.indexEntries >= maxIndexEntries(config)) return 'segment.index.bytes';
  if (appendLastOffset - segment.baseOffset > MAX_RELATIVE_OFFSET) return 'relative offset overflow';
  return null;
}

import { describe, expect, it } from 'vitest';
import { maxIndexEntries, needsIndexEntry, rollReason } from './segment-policy.js';

const config = { segmentBytes: 1000, segmentMs: 60_000, segmentIndexBytes: 80 };
const segment = { baseOffset: 100, sizeBytes: 500, ageStartMs: 0, indexEntries: 0 };

describe('rollReason', () => {
  it('keeps a segment that has room, age and index space left', () => {
    expect(rollReason(segment, 500, 200, config, 60_000)).toBeNull();
  });

  it('rolls when the append would exceed segment.bytes', () => {
    expect(rollReason(segment, 501, 200, config, 0)).toBe('segment.bytes');
  });

  it('rolls a segment older than segment.ms', () => {
    expect(rollReason(segment, 1, 200, config, 60_001)).toBe('segment.ms');
  });

  it('rolls when the index is full', () => {
    expect(rollReason({ ...segment, indexEntries: 10 }, 1, 200, config, 0)).toBe('segment.index.bytes');
  });

  it('rolls before an offset would not fit in 31 bits relative to the base', () => {
    expect(rollReason(segment, 1, 100 + 0x7fffffff, config, 0)).toBeNull();
    expect(rollReason(segment, 1, 100 + 0x80000000, config, 0)).toBe('relative offset overflow');
  });

  it('never rolls an empty segment', () => {
    const empty = { ...segment, sizeBytes: 0, indexEntries: 10 };
    expect(rollReason(empty, 5000, 100 + 0x80000000, config, 10 ** 9)).toBeNull();
  });
});

describe('the sparse index cadence', () => {
  it('adds an entry once more than index.interval.bytes were written since the last', () => {
    expect(needsIndexEntry(4096, { indexIntervalBytes: 4096 })).toBe(false);
    expect(needsIndexEntry(4097, { indexIntervalBytes: 4096 })).toBe(true);
  });

  it('holds whole 8-byte entries', () => {
    expect(maxIndexEntries({ segmentIndexBytes: 10 * 1024 * 1024 })).toBe(1_310_720);
    expect(maxIndexEntries({ segmentIndexBytes: 12 })).toBe(1);
  });
});

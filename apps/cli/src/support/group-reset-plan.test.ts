import { describe, expect, it } from 'vitest';
import { planReset, type PartitionFacts } from './group-reset-plan.js';

const partitions: PartitionFacts[] = [
  { topic: 'orders', partition: 1, logStartOffset: 0, logEndOffset: 5, committedOffset: null, offsetForTimestamp: null },
  { topic: 'orders', partition: 0, logStartOffset: 2, logEndOffset: 10, committedOffset: 6, offsetForTimestamp: 4 },
];
const offsets = (spec: Parameters<typeof planReset>[1], facts = partitions) => planReset(facts, spec).offsets.map((entry) => `${entry.topic}-${entry.partition}=${entry.offset}`);

describe('groups reset-offsets plan (Kafka prepareOffsetsToReset)', () => {
  it('--to-earliest is the log start, --to-latest the log end, sorted by topic and partition', () => {
    expect(offsets({ kind: 'earliest' })).toEqual(['orders-0=2', 'orders-1=0']);
    expect(offsets({ kind: 'latest' })).toEqual(['orders-0=10', 'orders-1=5']);
  });

  it('--to-current keeps the committed offset, and the log end where nothing is committed', () => {
    expect(offsets({ kind: 'current' })).toEqual(['orders-0=6', 'orders-1=5']);
  });

  it('--to-offset is clamped into [log start, log end] with a warning, as Kafka checkOffsetsRange does', () => {
    const plan = planReset(partitions, { kind: 'offset', offset: 7 });
    expect(plan.offsets.map((entry) => entry.offset)).toEqual([7, 5]);
    expect(plan.warnings).toEqual(['New offset (7) is higher than latest offset for topic partition orders-1. Value will be set to 5']);
    expect(planReset(partitions, { kind: 'offset', offset: 1 }).warnings).toEqual(['New offset (1) is lower than earliest offset for topic partition orders-0. Value will be set to 2']);
  });

  it('--shift-by moves the committed offset and is clamped; a partition without a committed offset is an error', () => {
    const committedOnly = partitions.filter((entry) => entry.committedOffset !== null);
    expect(offsets({ kind: 'shiftBy', shift: -3 }, committedOnly)).toEqual(['orders-0=3']);
    expect(offsets({ kind: 'shiftBy', shift: 2 }, committedOnly)).toEqual(['orders-0=8']);
    expect(offsets({ kind: 'shiftBy', shift: -100 }, committedOnly)).toEqual(['orders-0=2']);
    expect(offsets({ kind: 'shiftBy', shift: 100 }, committedOnly)).toEqual(['orders-0=10']);
    expect(() => planReset(partitions, { kind: 'shiftBy', shift: 1 })).toThrow('Cannot shift offset for partition orders-1 since there is no current committed offset');
  });

  it('a timestamp uses the offset found for it; a partition with no record that recent falls back to its log end with a warning', () => {
    const plan = planReset(partitions, { kind: 'timestamp', timestampMs: 1_700_000_000_000 });
    expect(plan.offsets.map((entry) => entry.offset)).toEqual([4, 5]);
    expect(plan.warnings).toEqual(['Partition 1 from topic orders is empty. Falling back to latest known offset.']);
  });
});

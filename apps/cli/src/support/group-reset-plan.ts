/**
 * The offsets a `groups reset-offsets` sets, per partition, as Kafka's tool computes them (its
 * `prepareOffsetsToReset`): pure, from what the cluster said about each partition.
 */
import type { ResetSpec } from './group-reset-options.js';
import { ResetUsageError } from './group-reset-options.js';

export interface PartitionFacts {
  topic: string;
  partition: number;
  /** The log start offset (what --to-earliest gives). */
  logStartOffset: number;
  /** The log end offset a consumer can read to, the high watermark (what --to-latest gives). */
  logEndOffset: number;
  /** The group's committed offset, or null. */
  committedOffset: number | null;
  /** For a timestamp spec: the first offset with a timestamp at or after it, or null when no record is that recent. */
  offsetForTimestamp?: number | null;
}

export interface PlannedOffset {
  topic: string;
  partition: number;
  offset: number;
}

export interface ResetPlan {
  offsets: PlannedOffset[];
  /** Kafka's warnings (a value clamped into the log's range, an empty partition falling back to its end). */
  warnings: string[];
}

/**
 * `--to-offset` and `--shift-by` are clamped into [log start, log end] with a warning, as Kafka's
 * `checkOffsetsRange` does; `--shift-by` needs a committed offset; `--to-current` keeps the committed offset
 * (the log end where there is none); a timestamp with no record that recent falls back to the log end.
 */
export function planReset(partitions: readonly PartitionFacts[], spec: ResetSpec): ResetPlan {
  const warnings: string[] = [];
  const clamped = (facts: PartitionFacts, requested: number): number => {
    const name = `${facts.topic}-${facts.partition}`;
    if (requested > facts.logEndOffset) {
      warnings.push(`New offset (${requested}) is higher than latest offset for topic partition ${name}. Value will be set to ${facts.logEndOffset}`);
      return facts.logEndOffset;
    }
    if (requested < facts.logStartOffset) {
      warnings.push(`New offset (${requested}) is lower than earliest offset for topic partition ${name}. Value will be set to ${facts.logStartOffset}`);
      return facts.logStartOffset;
    }
    return requested;
  };
  const offsetOf = (facts: PartitionFacts): number => {
    switch (spec.kind) {
      case 'earliest':
        return facts.logStartOffset;
      case 'latest':
        return facts.logEndOffset;
      case 'current':
        return facts.committedOffset ?? facts.logEndOffset;
      case 'offset':
        return clamped(facts, spec.offset);
      case 'shiftBy':
        if (facts.committedOffset === null) throw new ResetUsageError(`Cannot shift offset for partition ${facts.topic}-${facts.partition} since there is no current committed offset`);
        return clamped(facts, facts.committedOffset + spec.shift);
      case 'timestamp':
        if (facts.offsetForTimestamp === undefined || facts.offsetForTimestamp === null || facts.offsetForTimestamp < 0) {
          warnings.push(`Partition ${facts.partition} from topic ${facts.topic} is empty. Falling back to latest known offset.`);
          return facts.logEndOffset;
        }
        return facts.offsetForTimestamp;
    }
  };
  const offsets = [...partitions]
    .sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition))
    .map((facts) => {
      const offset = offsetOf(facts);
      if (!Number.isSafeInteger(offset) || offset < 0) throw new Error(`invariant: planned offset ${offset} for ${facts.topic}-${facts.partition} is not an offset`);
      return { topic: facts.topic, partition: facts.partition, offset };
    });
  return { offsets, warnings };
}

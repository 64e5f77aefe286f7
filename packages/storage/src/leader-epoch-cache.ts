/**
 * A partition's leader-epoch cache (Kafka's `LeaderEpochFileCache`, KIP-101, KIP-279): which leader
 * epoch began at which offset. Followers use it to find where their log diverges from the leader's
 * (`endOffsetFor`, the answer to OffsetsForLeaderEpoch and the check behind a fetch's `DivergingEpoch`),
 * so that they truncate by epoch and never by their high watermark.
 *
 * The core is pure and in memory; every change is first written through a `LeaderEpochCheckpoint`
 * (the `leader-epoch-checkpoint` file, or memory in simulations) and applied only once that write
 * succeeded, so the entries in memory are always the ones on disk.
 * https://cwiki.apache.org/confluence/display/KAFKA/KIP-101+-+Alter+Replication+Protocol+to+use+Leader+Epoch+rather+than+High+Watermark+for+Truncation
 */

/** Kafka's `OffsetsForLeaderEpochResponse.UNDEFINED_EPOCH`. */
export const UNDEFINED_EPOCH = -1;
/** Kafka's `OffsetsForLeaderEpochResponse.UNDEFINED_EPOCH_OFFSET`. */
export const UNDEFINED_EPOCH_OFFSET = -1;

export interface EpochEntry {
  readonly epoch: number;
  readonly startOffset: number;
}

export interface EpochEndOffset {
  epoch: number;
  endOffset: number;
}

/** Where the entries are kept durably. `write` replaces the whole content atomically or throws. */
export interface LeaderEpochCheckpoint {
  read(): EpochEntry[];
  write(entries: readonly EpochEntry[]): void;
}

/** An epoch or start offset below zero was assigned (Kafka throws IllegalArgumentException). */
export class InvalidEpochEntryError extends Error {
  override readonly name = 'InvalidEpochEntryError';
  constructor(readonly epoch: number, readonly startOffset: number) {
    super(`leader epoch entry ${epoch}@${startOffset} is invalid: the epoch and start offset must be non-negative integers`);
  }
}

/** The cache's entries broke their order: a bug, never bad input (the cache drops non-monotonic entries). */
export class LeaderEpochCacheInvariantError extends Error {
  override readonly name = 'LeaderEpochCacheInvariantError';
}

/** Throws unless epochs strictly increase and start offsets never decrease, all non-negative. */
export function assertEpochEntriesMonotonic(entries: readonly EpochEntry[]): void {
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (!isValidEntry(entry)) throw new LeaderEpochCacheInvariantError(`entry ${i} (${entry.epoch}@${entry.startOffset}) is negative or not an integer`);
    const previous = entries[i - 1];
    if (previous === undefined) continue;
    if (entry.epoch <= previous.epoch || entry.startOffset < previous.startOffset) {
      throw new LeaderEpochCacheInvariantError(
        `entries ${previous.epoch}@${previous.startOffset} and ${entry.epoch}@${entry.startOffset} are out of order: epochs must increase and start offsets must not decrease`,
      );
    }
  }
}

function isValidEntry(entry: EpochEntry): boolean {
  return Number.isSafeInteger(entry.epoch) && entry.epoch >= 0 && Number.isSafeInteger(entry.startOffset) && entry.startOffset >= 0;
}

export class LeaderEpochCache {
  private entries: EpochEntry[];

  /**
   * Loads the checkpoint's entries through the same rules as `assign` (as Kafka does), so a file with
   * entries out of order keeps only the ones a leader could have written last.
   */
  constructor(private readonly checkpoint: LeaderEpochCheckpoint) {
    let loaded: EpochEntry[] = [];
    for (const entry of checkpoint.read()) loaded = withAssigned(loaded, entry) ?? loaded;
    assertEpochEntriesMonotonic(loaded);
    this.entries = loaded;
  }

  /** A copy of the entries, oldest epoch first. */
  get epochEntries(): EpochEntry[] {
    return this.entries.map((entry) => ({ ...entry }));
  }

  /** The latest epoch, or undefined when the cache is empty. */
  get latestEpoch(): number | undefined {
    return this.entries.at(-1)?.epoch;
  }

  /** The epoch before the latest one. */
  get previousEpoch(): number | undefined {
    return this.entries.at(-2)?.epoch;
  }

  /**
   * Records that `epoch` began at `startOffset` (a new leader's LEO, or the first batch of an epoch a
   * follower appends). An assignment that does not advance the cache (the latest epoch again at the same
   * or a later offset) is ignored; otherwise entries whose epoch or start is at or past the new one's are
   * removed first, as Kafka's `maybeTruncateNonMonotonicEntries` does. Returns whether the cache changed.
   */
  assign(epoch: number, startOffset: number): boolean {
    const updated = withAssigned(this.entries, { epoch, startOffset });
    if (updated === null) return false;
    this.commit(updated);
    return true;
  }

  /**
   * Where `requestedEpoch` ends (Kafka's `endOffsetFor`): the latest epoch ends at the log end; another
   * known epoch ends where the next one starts; an epoch between two known ones answers the largest epoch
   * below it and the next start; an epoch below the first answers itself and the first start (older
   * data is gone); UNDEFINED_EPOCH, an epoch above all, or an empty cache answer (-1, -1).
   */
  endOffsetFor(requestedEpoch: number, logEndOffset: number): EpochEndOffset {
    const undefinedAnswer = { epoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET };
    if (requestedEpoch === UNDEFINED_EPOCH) return undefinedAnswer;
    if (this.latestEpoch === requestedEpoch) return { epoch: requestedEpoch, endOffset: logEndOffset };
    const higher = this.entries.findIndex((entry) => entry.epoch > requestedEpoch);
    if (higher === -1) return undefinedAnswer;
    const next = this.entries[higher]!;
    const floor = this.entries[higher - 1];
    if (floor === undefined) return { epoch: requestedEpoch, endOffset: next.startOffset };
    return { epoch: floor.epoch, endOffset: next.startOffset };
  }

  /** The epoch of the entry covering `offset` (the last one starting at or before it). */
  epochForOffset(offset: number): number | undefined {
    let epoch: number | undefined;
    for (const entry of this.entries) {
      if (entry.startOffset > offset) break;
      epoch = entry.epoch;
    }
    return epoch;
  }

  /** After the log was truncated to `endOffset`: drops the entries starting at or after it. -1 changes nothing. */
  truncateFromEnd(endOffset: number): void {
    if (endOffset < 0) return;
    const kept = this.entries.filter((entry) => entry.startOffset < endOffset);
    if (kept.length !== this.entries.length) this.commit(kept);
  }

  /**
   * After the log start moved to `startOffset` (retention, DeleteRecords): drops the entries that start at
   * or before it, keeping the last of them with its start moved to `startOffset`.
   */
  truncateFromStart(startOffset: number): void {
    const removed = this.entries.filter((entry) => entry.startOffset <= startOffset);
    if (removed.length === 0) return;
    const lastRemoved = removed.at(-1)!;
    this.commit([{ epoch: lastRemoved.epoch, startOffset }, ...this.entries.slice(removed.length)]);
  }

  /** Removes every entry (a log truncated fully). */
  clear(): void {
    if (this.entries.length > 0) this.commit([]);
  }

  /** Writes first: when the write fails (a full disk), the cache keeps the entries still on disk. */
  private commit(entries: EpochEntry[]): void {
    assertEpochEntriesMonotonic(entries);
    this.checkpoint.write(entries);
    this.entries = entries;
  }
}

/** The entries after assigning `entry`, or null when the assignment changes nothing. */
function withAssigned(entries: readonly EpochEntry[], entry: EpochEntry): EpochEntry[] | null {
  if (!isValidEntry(entry)) throw new InvalidEpochEntryError(entry.epoch, entry.startOffset);
  const latest = entries.at(-1);
  const updateNeeded = latest === undefined || entry.epoch !== latest.epoch || entry.startOffset < latest.startOffset;
  if (!updateNeeded) return null;
  const kept = entries.filter((existing) => existing.epoch < entry.epoch && existing.startOffset < entry.startOffset);
  return [...kept, { epoch: entry.epoch, startOffset: entry.startOffset }];
}

/**
 * Producer-state snapshots beside a partition's log (KIP-98: Kafka's `<offset, 20 digits>.snapshot` files written by
 * its ProducerStateManager). A snapshot at offset N holds the producer entries (epoch, last batches, open transaction)
 * and the aborted transactions of every batch below N, so that a broker opening the log reads the latest snapshot at or
 * below its log end and replays only the batch headers after it instead of the whole log.
 *
 * The content is kactor's own (Kafka's is a binary struct with a CRC): one line with the CRC-32C of the rest in hex,
 * then the snapshot as JSON. A snapshot whose CRC or shape does not hold reads as missing, and the broker rebuilds
 * from an older snapshot or from the log start, as Kafka deletes a corrupt snapshot and reloads. The log keeps the
 * two newest (Kafka keeps a few: any one at or below the log end is enough to start from).
 */
import { crc32c } from '@kactor/protocol';

/** One appended batch of a producer, as the partition keeps it to recognise a retry. */
export interface ProducerSnapshotBatch {
  readonly firstSequence: number;
  readonly lastSequence: number;
  readonly firstOffset: number;
  readonly lastOffset: number;
  readonly timestampMs: number;
}

/** One producer id's entry (Kafka's ProducerStateEntry). */
export interface ProducerSnapshotEntry {
  readonly producerId: number;
  readonly producerEpoch: number;
  /** The last transaction marker's coordinator epoch, -1 before any. */
  readonly coordinatorEpoch: number;
  /** When this producer last appended (for producer.id.expiration.ms). */
  readonly lastTimestampMs: number;
  /** The first offset of its open transaction, or null. */
  readonly currentTxnFirstOffset: number | null;
  readonly batches: readonly ProducerSnapshotBatch[];
}

/** An aborted transaction (Kafka's AbortedTxn, a `.txnindex` entry). */
export interface AbortedTransaction {
  readonly producerId: number;
  readonly firstOffset: number;
  /** The ABORT marker's offset. */
  readonly lastOffset: number;
  /** The last stable offset when the marker was written. */
  readonly lastStableOffset: number;
}

export interface ProducerStateSnapshot {
  /** Every batch below this offset is reflected. */
  readonly offset: number;
  readonly producers: readonly ProducerSnapshotEntry[];
  /** Oldest first. */
  readonly abortedTransactions: readonly AbortedTransaction[];
}

/** The snapshots of one partition. Writes are atomic: a crash leaves the old set and at most a temporary file. */
export interface ProducerStateSnapshotStore {
  /** The offsets of the stored snapshots, ascending. */
  offsets(): number[];
  /** The snapshot at `offset`, or undefined when it is missing or corrupt. */
  read(offset: number): ProducerStateSnapshot | undefined;
  /** Writes (or replaces) the snapshot at `snapshot.offset`. */
  write(snapshot: ProducerStateSnapshot): void;
  delete(offset: number): void;
}

/** Kafka's ProducerStateManager file suffix. */
export const PRODUCER_SNAPSHOT_FILE_SUFFIX = '.snapshot';
const SNAPSHOT_VERSION = 1;

export function encodeProducerSnapshot(snapshot: ProducerStateSnapshot): string {
  const body = JSON.stringify({ version: SNAPSHOT_VERSION, ...snapshot });
  return `${crc32c(new TextEncoder().encode(body)).toString(16)}\n${body}`;
}

/** The snapshot in `content`, or undefined when its CRC, version or shape does not hold. */
export function decodeProducerSnapshot(content: string): ProducerStateSnapshot | undefined {
  const newline = content.indexOf('\n');
  if (newline <= 0) return undefined;
  const body = content.slice(newline + 1);
  if (crc32c(new TextEncoder().encode(body)).toString(16) !== content.slice(0, newline)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed) || parsed['version'] !== SNAPSHOT_VERSION || !isOffset(parsed['offset'])) return undefined;
  const { producers, abortedTransactions } = parsed;
  if (!Array.isArray(producers) || !Array.isArray(abortedTransactions)) return undefined;
  return { offset: parsed['offset'], producers: producers as ProducerSnapshotEntry[], abortedTransactions: abortedTransactions as AbortedTransaction[] };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isOffset(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Snapshots kept in memory (a `MemoryLog`'s, on the simulated disk so that a simulated restart finds them). */
export class MemoryProducerStateSnapshotStore implements ProducerStateSnapshotStore {
  constructor(private readonly stored: Map<number, string>) {}

  offsets(): number[] {
    return [...this.stored.keys()].sort((a, b) => a - b);
  }

  read(offset: number): ProducerStateSnapshot | undefined {
    const content = this.stored.get(offset);
    return content === undefined ? undefined : decodeProducerSnapshot(content);
  }

  write(snapshot: ProducerStateSnapshot): void {
    this.stored.set(snapshot.offset, encodeProducerSnapshot(snapshot));
  }

  delete(offset: number): void {
    this.stored.delete(offset);
  }

  clear(): void {
    this.stored.clear();
  }
}

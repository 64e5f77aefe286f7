/**
 * What a read_committed consumer drops (KIP-98; Kafka's `CompletedFetch` with `isolation.level=read_committed`).
 * A read_committed Fetch answer lists the aborted transactions that may overlap its records, each as the producer
 * id and the offset of its first record. Walking the batches in offset order:
 *
 * - before a batch of a producer is looked at, every aborted transaction that started at or before the batch's
 *   last offset marks its producer as aborted;
 * - a transactional data batch of an aborted producer is skipped whole (its records belong to the aborted
 *   transaction);
 * - the producer's ABORT marker ends that: its later batches belong to a new transaction;
 * - batches without a producer id (plain producers) and committed transactions pass.
 *
 * Control batches themselves are never handed out; the caller moves the position past them and past skipped
 * batches, so the next fetch starts after them. Pure: it sees only decoded batches.
 */
import { decodeControlRecordKey, type DecodedRecordBatch } from '@kactor/protocol';

export interface AbortedTransaction {
  readonly producerId: number;
  /** The offset of the aborted transaction's first record. */
  readonly firstOffset: number;
}

type BatchHeader = Pick<DecodedRecordBatch, 'producerId' | 'lastOffset' | 'isTransactional' | 'isControl' | 'records'>;

export class AbortedTransactionFilter {
  /** The answer's aborted transactions by first offset, oldest first (Kafka keeps them in a priority queue). */
  private readonly aborted: AbortedTransaction[];
  private nextAborted = 0;
  /** Producers whose aborted transaction has begun and whose ABORT marker has not been passed yet. */
  private readonly abortedProducerIds = new Set<number>();

  constructor(abortedTransactions: readonly AbortedTransaction[] | null) {
    this.aborted = [...(abortedTransactions ?? [])].sort((a, b) => a.firstOffset - b.firstOffset);
  }

  /**
   * Whether the batch is to be skipped because it belongs to an aborted transaction. Call once for each batch,
   * in offset order: it moves the filter along (aborted transactions begun, ABORT markers passed).
   */
  skips(batch: BatchHeader): boolean {
    // Kafka's `hasProducerId`: batches of plain producers are never part of a transaction.
    if (batch.producerId < 0) return false;
    while (this.nextAborted < this.aborted.length && this.aborted[this.nextAborted]!.firstOffset <= batch.lastOffset) {
      this.abortedProducerIds.add(this.aborted[this.nextAborted]!.producerId);
      this.nextAborted += 1;
    }
    if (isAbortMarker(batch)) {
      this.abortedProducerIds.delete(batch.producerId);
      return false;
    }
    return batch.isTransactional && this.abortedProducerIds.has(batch.producerId);
  }
}

/** Whether a batch is a transaction's ABORT marker (a control batch whose record's key says ABORT). */
function isAbortMarker(batch: BatchHeader): boolean {
  if (!batch.isControl) return false;
  const first = batch.records[0];
  if (first === undefined) return false;
  try {
    return decodeControlRecordKey(first.key).type === 'ABORT';
  } catch {
    // A control record whose key does not parse is no marker; the batch is skipped as a control batch anyway.
    return false;
  }
}

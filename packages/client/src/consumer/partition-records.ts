/**
 * The records of one partition from one fetch response, handed out over one or more polls (Kafka's
 * `CompletedFetch`). Pure: it decodes the batches once and walks them from the consumer's position.
 *
 * - A batch may start below the position (the broker returns whole batches): records below it are skipped.
 * - Control batches (transaction markers) are skipped.
 * - read_committed (given `readCommitted`): batches of aborted transactions are skipped too
 *   (`aborted-transactions.ts`), and nothing at or past the last stable offset is handed out: the broker sends
 *   none, and should it, those records are left for a later fetch, when their transactions are decided.
 * - A cut-off batch at the end is normal: it is fetched again from the next position.
 * - A damaged batch (CRC with check.crcs, bad framing) stops the walk with CORRUPT_MESSAGE or the
 *   problem's error, after the records before it were handed out.
 * - After a batch is consumed the position moves past its last offset, even if its last records were
 *   compacted away, so the next fetch starts after it.
 */
import type { DecodedRecordBatch, KafkaProtocolError } from '@kactor/protocol';
import { decodeRecordBatches, KafkaProtocolError as ProtocolError } from '@kactor/protocol';
import { KafkaClientError } from '../errors.js';
import { formatTopicPartition, type TopicPartition } from '../topic-partition.js';
import { AbortedTransactionFilter, type AbortedTransaction } from './aborted-transactions.js';
import type { ConsumerRecord } from './consumer-types.js';

/** What a read_committed fetch answer says about a partition's transactions. */
export interface ReadCommittedFetch {
  /** The answer's last stable offset, or -1 when unknown (then not applied). */
  readonly lastStableOffset: number;
  readonly abortedTransactions: readonly AbortedTransaction[] | null;
}

export interface TakenRecords {
  readonly records: ConsumerRecord[];
  /** The position after what was taken (unchanged when nothing was). */
  readonly nextPosition: number;
  /** The leader epoch of the last batch the position moved into or past (KIP-320), or -1. */
  readonly lastEpoch: number;
  /** Set once the walk hit a damaged batch (or made no progress at all); records before it are in `records`. */
  readonly error: KafkaProtocolError | KafkaClientError | null;
}

export class PartitionRecords {
  private readonly batches: DecodedRecordBatch[];
  private readonly problem: KafkaProtocolError | KafkaClientError | null;
  private batchIndex = 0;
  private recordIndex = 0;
  private errorReported = false;
  /** read_committed only: the aborted transactions' filter, and the first offset not to hand out (the LSO). */
  private readonly abortedFilter: AbortedTransactionFilter | undefined;
  private readonly stableLimit: number;
  /** The batch the filter last looked at, so each batch is looked at once, in order, across polls. */
  private filteredBatchIndex = -1;
  private skipCurrentBatch = false;

  constructor(
    readonly tp: TopicPartition,
    /** The offset the fetch asked for. */
    readonly fetchOffset: number,
    bytes: Uint8Array,
    checkCrcs: boolean,
    readCommitted?: ReadCommittedFetch,
  ) {
    const decoded = decodeRecordBatches(bytes, { verifyCrc: checkCrcs });
    this.batches = decoded.batches;
    this.abortedFilter = readCommitted === undefined ? undefined : new AbortedTransactionFilter(readCommitted.abortedTransactions);
    this.stableLimit = readCommitted === undefined || readCommitted.lastStableOffset < 0 ? Number.POSITIVE_INFINITY : readCommitted.lastStableOffset;
    if (decoded.problem !== null) {
      const where = `${formatTopicPartition(tp)} at byte ${decoded.problem.position} of a fetch from offset ${fetchOffset}`;
      this.problem = ProtocolError.from(decoded.problem.error, `invalid record batch in ${where}: ${decoded.problem.message}`);
    } else if (decoded.batches.length === 0 && decoded.partialTrailingBytes > 0) {
      // Data came back but not one whole batch: fetching again would get the same bytes forever.
      this.problem = new KafkaClientError(
        `no progress reading ${formatTopicPartition(tp)} at offset ${fetchOffset}: the fetch returned ${decoded.partialTrailingBytes} bytes but no whole batch; raise max.partition.fetch.bytes / fetch.max.bytes`,
      );
    } else {
      this.problem = null;
    }
  }

  /** Whether everything was handed out (and any problem reported). */
  get isDrained(): boolean {
    return this.batchIndex >= this.batches.length && (this.problem === null || this.errorReported);
  }

  /** Up to `maxRecords` records at or after `position`, in offset order. */
  take(maxRecords: number, position: number): TakenRecords {
    const records: ConsumerRecord[] = [];
    let nextPosition = position;
    let lastEpoch = -1;
    const { topic, partition } = this.tp;
    while (this.batchIndex < this.batches.length && records.length < maxRecords) {
      const batch = this.batches[this.batchIndex] as DecodedRecordBatch;
      if (batch.baseOffset >= this.stableLimit) {
        this.stopAtStableLimit();
        break;
      }
      if (batch.lastOffset >= nextPosition && batch.partitionLeaderEpoch >= 0) lastEpoch = batch.partitionLeaderEpoch;
      // The filter looks at every batch, control batches (ABORT markers) and those below the position included.
      const aborted = this.isAborted(batch);
      if (aborted || batch.isControl || batch.lastOffset < nextPosition) {
        this.nextBatch();
        nextPosition = Math.max(nextPosition, batch.lastOffset + 1);
        continue;
      }
      const record = batch.records[this.recordIndex];
      if (record === undefined) {
        this.nextBatch();
        nextPosition = Math.max(nextPosition, batch.lastOffset + 1);
        continue;
      }
      if (record.offset >= this.stableLimit) {
        this.stopAtStableLimit();
        break;
      }
      this.recordIndex += 1;
      if (record.offset < nextPosition) continue;
      records.push({
        topic,
        partition,
        offset: record.offset,
        timestamp: record.timestamp,
        timestampType: batch.timestampType,
        key: record.key,
        value: record.value,
        headers: record.headers,
        leaderEpoch: batch.partitionLeaderEpoch,
      });
      nextPosition = record.offset + 1;
    }
    // Step over a batch whose remaining records were all taken, so the position covers its last offset.
    const current = this.batches[this.batchIndex];
    if (current !== undefined && this.recordIndex >= current.records.length) {
      this.nextBatch();
      nextPosition = Math.max(nextPosition, current.lastOffset + 1);
    }
    let error: TakenRecords['error'] = null;
    if (this.batchIndex >= this.batches.length && this.problem !== null && !this.errorReported) {
      this.errorReported = true;
      error = this.problem;
    }
    return { records, nextPosition, lastEpoch, error };
  }

  /** read_committed: whether the current batch belongs to an aborted transaction (the filter sees each batch once). */
  private isAborted(batch: DecodedRecordBatch): boolean {
    if (this.abortedFilter === undefined) return false;
    if (this.filteredBatchIndex !== this.batchIndex) {
      this.filteredBatchIndex = this.batchIndex;
      this.skipCurrentBatch = this.abortedFilter.skips(batch);
    }
    return this.skipCurrentBatch;
  }

  /** What lies at or past the last stable offset is not handed out: the walk ends there, and the next fetch reads it again. */
  private stopAtStableLimit(): void {
    this.batchIndex = this.batches.length;
    this.recordIndex = 0;
  }

  private nextBatch(): void {
    this.batchIndex += 1;
    this.recordIndex = 0;
  }
}

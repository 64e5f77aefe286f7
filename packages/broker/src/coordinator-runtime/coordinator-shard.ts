/**
 * What a coordinator of an internal, replicated topic plugs into the coordinator runtime (Kafka's CoordinatorShard and
 * CoordinatorShardBuilder): the state of one partition it leads, rebuilt by replaying the partition's records and its
 * transaction markers in log order, then served until leadership moves. The group coordinator (over
 * `__consumer_offsets`) and the transaction coordinator (over `__transaction_state`) are two such coordinators.
 *
 * The runtime owns everything the two share: following the partition's leadership, loading (LOADING -> ACTIVE, or
 * FAILED), appending with acks=all and telling the shard the outcome (append-then-apply), writing and replaying
 * transaction markers, and refusing requests while a partition loads (COORDINATOR_LOAD_IN_PROGRESS) or is led
 * elsewhere (NOT_COORDINATOR).
 */
import type { ErrorName } from '@kactor/protocol';
import type { Logger } from '@kactor/runtime';

/** Kafka's CoordinatorRuntime.CoordinatorState names (INITIAL is the instant before LOADING, not kept). */
export type CoordinatorShardState = 'LOADING' | 'ACTIVE' | 'CLOSED' | 'FAILED';

/** A transaction's outcome as its marker (a COMMIT or ABORT control record) says (KIP-98). */
export type TransactionResult = 'COMMIT' | 'ABORT';

/** A transaction marker of one producer on the partition. */
export interface TransactionMarker {
  producerId: number;
  producerEpoch: number;
  result: TransactionResult;
  /** The transaction coordinator's epoch that wrote it. */
  coordinatorEpoch: number;
}

/** Where a replayed record came from: a transactional batch carries its producer (the record is pending until the marker). */
export interface RecordOrigin {
  /** The record's offset in the partition. */
  offset: number;
  /** -1 for records that are not part of a transaction. */
  producerId: number;
  producerEpoch: number;
  isTransactional: boolean;
}

/** Transactional appends carry the producer's id and epoch in the batch header and set its transactional bit. */
export interface TransactionalWrite {
  producerId: number;
  producerEpoch: number;
}

export type AppendResult = { ok: true } | { ok: false; errorName: ErrorName };

/** How a coordinator's records become a record's key and value, and back (Kafka's CoordinatorLoader.Deserializer). */
export interface CoordinatorRecordSerde<R> {
  encode(record: R): { key: Uint8Array; value: Uint8Array | null };
  /** Undefined for a record this coordinator does not know (a newer version's type): it is skipped, as Kafka does. */
  decode(key: Uint8Array, value: Uint8Array | null): R | undefined;
}

/** What the runtime gives a shard it builds. */
export interface CoordinatorShardContext<R> {
  partition: number;
  leaderEpoch: number;
  logger: Logger;
  /**
   * Appends `records` as one batch to the partition with acks=all; `onDone` says whether they were written. The shard
   * applies what they say only then (append-then-apply), so what it serves is always what a successor replays.
   */
  append(records: R[], transactional: TransactionalWrite | undefined, onDone: (result: AppendResult) => void): void;
}

export interface CoordinatorShard<R> {
  /** One record read while loading, in log order (records of transactions included: the markers decide them). */
  replay(record: R, origin: RecordOrigin): void;
  /** A transaction marker, read while loading or just written on this partition through the runtime. */
  replayEndTransaction(marker: TransactionMarker, offset: number): void;
  /** The whole partition was replayed: start serving (actors, timers). */
  onLoaded(): void;
  /** Leadership moved or the partition is unloaded: what waits is answered NOT_COORDINATOR, timers stop. */
  onUnloaded(): void;
  /** The process died (kill -9): stop at once, answering no one. */
  halt(): void;
}

/** Builds the shard of one led partition in one leader epoch. */
export type CoordinatorShardBuilder<R, S extends CoordinatorShard<R>> = (context: CoordinatorShardContext<R>) => S;

/** What a request to a partition that is not serving gets (CoordinatorRuntime's withActiveContextOrThrow). */
export function shardRefusal(state: CoordinatorShardState | undefined): ErrorName | undefined {
  switch (state) {
    case undefined:
    case 'CLOSED':
    case 'FAILED':
      return 'NOT_COORDINATOR';
    case 'LOADING':
      return 'COORDINATOR_LOAD_IN_PROGRESS';
    case 'ACTIVE':
      return undefined;
  }
}

/**
 * read_committed (KIP-98) in the records a consumer hands out: Kafka's FetcherTest cases for transactions, with their
 * offsets and producers, through PartitionRecords as the fetcher builds it for a read_committed answer.
 */
import { encodeEndTxnMarkerBatch, encodeRecordBatch, setBaseOffset } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { AbortedTransactionFilter } from './aborted-transactions.js';
import { PartitionRecords, type ReadCommittedFetch } from './partition-records.js';

const tp = { topic: 'output', partition: 0 };
const utf8 = (text: string) => new TextEncoder().encode(text);
const keyText = (bytes: Uint8Array | null) => (bytes === null ? null : new TextDecoder().decode(bytes));

/** A transactional batch of `producerId` at `baseOffset` with one record per key (Kafka's appendTransactionalRecords). */
function transactional(producerId: number, baseOffset: number, ...keys: string[]): Uint8Array {
  const bytes = encodeRecordBatch({
    records: keys.map((key) => ({ key: utf8(key), value: utf8('value'), timestamp: 1_000 })),
    producerId,
    producerEpoch: 0,
    baseSequence: 0,
    isTransactional: true,
  });
  setBaseOffset(bytes, 0, baseOffset);
  return bytes;
}

/** A batch of a plain (non-idempotent) producer. */
function plain(baseOffset: number, ...keys: string[]): Uint8Array {
  const bytes = encodeRecordBatch({ records: keys.map((key) => ({ key: utf8(key), value: utf8('value'), timestamp: 1_000 })) });
  setBaseOffset(bytes, 0, baseOffset);
  return bytes;
}

const marker = (type: 'COMMIT' | 'ABORT', producerId: number, baseOffset: number) =>
  encodeEndTxnMarkerBatch({ type, producerId, producerEpoch: 0, coordinatorEpoch: 0, timestampMs: 1_000, baseOffset });
const commit = (producerId: number, offset: number) => marker('COMMIT', producerId, offset);
const abort = (producerId: number, offset: number) => marker('ABORT', producerId, offset);

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let position = 0;
  for (const part of parts) {
    out.set(part, position);
    position += part.length;
  }
  return out;
}

/** Everything a fetch from `position` hands out, polled `maxRecords` at a time as poll() would. */
function drain(bytes: Uint8Array, position: number, readCommitted: ReadCommittedFetch | undefined, maxRecords = 500) {
  const records = new PartitionRecords(tp, position, bytes, true, readCommitted);
  const taken: Array<{ offset: number; key: string | null }> = [];
  let next = position;
  for (let polls = 0; !records.isDrained && polls < 100; polls++) {
    const result = records.take(maxRecords, next);
    expect(result.error).toBeNull();
    for (const record of result.records) taken.push({ offset: record.offset, key: keyText(record.key) });
    next = result.nextPosition;
  }
  expect(records.isDrained).toBe(true);
  return { keys: taken.map((record) => record.key), offsets: taken.map((record) => record.offset), position: next };
}

const committed = (abortedTransactions: ReadCommittedFetch['abortedTransactions'], lastStableOffset = 100): ReadCommittedFetch => ({ lastStableOffset, abortedTransactions });

describe('read_committed: the records of aborted transactions are dropped (Kafka FetcherTest)', () => {
  /** testReadCommittedWithCommittedAndAbortedTransactions: producers 1 and 2 interleave, each commits one transaction and aborts one. */
  const interleaved = concat(
    transactional(1, 0, 'commit1-1', 'commit1-2'),
    transactional(2, 2, 'abort2-1'),
    commit(1, 3),
    transactional(2, 4, 'abort2-2'),
    abort(2, 5),
    transactional(1, 6, 'abort1-1'),
    transactional(2, 7, 'commit2-1'),
    transactional(1, 8, 'abort1-2'),
    abort(1, 9),
    commit(2, 10),
  );
  const interleavedAborted = [{ producerId: 2, firstOffset: 2 }, { producerId: 1, firstOffset: 6 }];

  it('hands out only the 3 committed records of two interleaved producers, and moves past the markers', () => {
    const read = drain(interleaved, 0, committed(interleavedAborted));
    expect(read.keys).toEqual(['commit1-1', 'commit1-2', 'commit2-1']);
    expect(read.offsets).toEqual([0, 1, 7]);
    expect(read.position).toBe(11);
  });

  it('gives the same answer one record per poll, and whatever order the answer lists the aborted transactions in', () => {
    expect(drain(interleaved, 0, committed([...interleavedAborted].reverse()), 1).keys).toEqual(['commit1-1', 'commit1-2', 'commit2-1']);
  });

  it('read_uncommitted hands out every data record of the same answer, aborted ones included (testReturnAbortedTransactionsInUncommittedMode)', () => {
    const read = drain(interleaved, 0, undefined);
    expect(read.keys).toEqual(['commit1-1', 'commit1-2', 'abort2-1', 'abort2-2', 'abort1-1', 'commit2-1', 'abort1-2']);
    expect(read.position).toBe(11);
  });

  it('testMultipleAbortMarkers: a second ABORT marker is ignored and the next transaction of the producer is committed', () => {
    const bytes = concat(transactional(1, 0, 'abort1-1', 'abort1-2'), abort(1, 2), abort(1, 3), transactional(1, 4, 'commit1-1', 'commit1-2'), commit(1, 6));
    expect(drain(bytes, 0, committed([{ producerId: 1, firstOffset: 0 }])).keys).toEqual(['commit1-1', 'commit1-2']);
  });

  it('testReadCommittedAbortMarkerWithNoData: an ABORT marker whose records are gone from the log ends the aborted transaction', () => {
    const bytes = concat(abort(1, 5), transactional(1, 6, '6', '7', '8'), commit(1, 9));
    const read = drain(bytes, 0, committed([{ producerId: 1, firstOffset: 0 }]));
    expect(read.offsets).toEqual([6, 7, 8]);
    expect(read.position).toBe(10);
  });

  it('testReadCommittedWithCompactedTopic: aborted transactions whose first records were compacted away still drop their later batches', () => {
    const bytes = concat(
      transactional(3, 3, '3', '4'),
      transactional(2, 15, '15', '16', '17'),
      transactional(1, 22, '22', '23'),
      abort(2, 28),
      transactional(3, 30, '30', '31', '32'),
      commit(3, 35),
      transactional(1, 39, '39', '40'),
    );
    const read = drain(bytes, 0, committed([{ producerId: 2, firstOffset: 6 }, { producerId: 1, firstOffset: 0 }]));
    expect(read.offsets).toEqual([3, 4, 30, 31, 32]);
  });

  it('testConsumerPositionUpdatedWhenSkippingAbortedTransactions: nothing handed out, the position moves past the aborted records and the marker', () => {
    const read = drain(concat(transactional(1, 0, 'abort1-1', 'abort1-2'), abort(1, 2)), 0, committed([{ producerId: 1, firstOffset: 0 }]));
    expect(read.keys).toEqual([]);
    expect(read.position).toBe(3);
  });

  it("a plain producer's records pass even while a transaction with an aborted producer id is open around them", () => {
    const bytes = concat(transactional(1, 0, 'aborted'), plain(1, 'plain'), abort(1, 2));
    expect(drain(bytes, 0, committed([{ producerId: 1, firstOffset: 0 }])).keys).toEqual(['plain']);
  });

  it('a fetch that starts past the first batches still drops the rest of the aborted transaction', () => {
    const bytes = concat(transactional(1, 0, 'a', 'b'), transactional(1, 2, 'c'), abort(1, 3), plain(4, 'd'));
    const read = drain(bytes, 1, committed([{ producerId: 1, firstOffset: 0 }]));
    expect(read.keys).toEqual(['d']);
    expect(read.position).toBe(5);
  });
});

describe('read_committed: nothing at or past the last stable offset is handed out', () => {
  it('stops at the LSO, leaving the position there, so an open transaction is read once it is decided', () => {
    // Producer 1 committed at 2; producer 2's transaction from offset 3 is open: the LSO is 3.
    const bytes = concat(transactional(1, 0, 'c1', 'c2'), commit(1, 2), transactional(2, 3, 'open'), plain(4, 'after'));
    const read = drain(bytes, 0, committed([], 3));
    expect(read.keys).toEqual(['c1', 'c2']);
    expect(read.position).toBe(3);
  });

  it('cuts a batch that straddles the LSO at it', () => {
    const read = drain(plain(0, 'a', 'b', 'c'), 0, committed(null, 2));
    expect(read.offsets).toEqual([0, 1]);
    expect(read.position).toBe(2);
  });

  it('an unknown LSO (-1) limits nothing; read_uncommitted ignores the LSO', () => {
    expect(drain(plain(0, 'a', 'b'), 0, committed(null, -1)).offsets).toEqual([0, 1]);
    expect(drain(plain(0, 'a', 'b'), 0, undefined).offsets).toEqual([0, 1]);
  });
});

describe('AbortedTransactionFilter', () => {
  const batch = (producerId: number, lastOffset: number, options: { isTransactional?: boolean } = {}) => ({
    producerId,
    lastOffset,
    isTransactional: options.isTransactional ?? true,
    isControl: false,
    records: [],
  });

  it('marks a producer aborted only from the batch whose last offset reaches its first offset', () => {
    const filter = new AbortedTransactionFilter([{ producerId: 7, firstOffset: 10 }]);
    expect(filter.skips(batch(7, 9))).toBe(false);
    expect(filter.skips(batch(7, 10))).toBe(true);
    expect(filter.skips(batch(7, 12, { isTransactional: false }))).toBe(false);
    expect(filter.skips(batch(-1, 13))).toBe(false);
  });

  it('with no aborted transactions (null) skips nothing', () => {
    const filter = new AbortedTransactionFilter(null);
    expect(filter.skips(batch(7, 0))).toBe(false);
  });
});

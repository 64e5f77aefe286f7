import { describe, expect, it } from 'vitest';
import { decodeTransactionRecord, encodeTransactionRecordBatch } from './transaction-log.js';
import { replayTransactionRecords } from './transaction-replay.js';
import { completeTransition, newTransactionMetadata, prepareAbortOrCommit, prepareAddPartitions, TransactionInvariantError, transitRecord, type Prepared } from './transaction-metadata.js';
import { decodeRecordBatches, type TransactionLogRecord } from '@kactor/protocol';

describe('transaction replay', () => {
  it('rebuilds each transactional id from its last record; a tombstone (or a Dead value) removes it; a PrepareCommit comes back as written', () => {
    const records: TransactionLogRecord[] = [];
    const write = ({ metadata, transit }: Prepared) => {
      records.push(transitRecord(metadata.transactionalId, transit));
      return completeTransition(metadata, transit);
    };
    const empty = { ...newTransactionMetadata('copier-1', 7, 60_000, 100), producerEpoch: 0 };
    const ongoing = write(prepareAddPartitions(empty, [{ topic: 'out', partition: 2 }], 200));
    write(prepareAbortOrCommit(ongoing, 'PrepareCommit', 300));
    records.push(transitRecord('expired', prepareAddPartitions({ ...newTransactionMetadata('expired', 8, 1, 1), producerEpoch: 0 }, [], 1).transit));
    records.push({ transactionalId: 'expired', value: null });
    const dead = transitRecord('dead', prepareAddPartitions({ ...newTransactionMetadata('dead', 9, 1, 1), producerEpoch: 0 }, [], 1).transit);
    records.push(dead, { transactionalId: 'dead', value: { ...dead.value!, transactionStatus: 'Dead', transactionPartitions: [] } });

    // Through the log's bytes, as a loading coordinator reads them.
    const bytes = encodeTransactionRecordBatch(records, 300);
    const decoded = decodeRecordBatches(bytes).batches.flatMap((batch) => batch.records.map((record) => decodeTransactionRecord(record.key, record.value)));
    const transactions = replayTransactionRecords(decoded.filter((record) => record !== null));
    expect([...transactions.keys()]).toEqual(['copier-1']);
    expect(transactions.get('copier-1')).toMatchObject({ state: 'PrepareCommit', producerId: 7, producerEpoch: 0, partitions: [{ topic: 'out', partition: 2 }], txnStartTimestampMs: 200, pendingState: null });
  });

  it('refuses a log whose epochs go back for a producer id', () => {
    const base = { ...newTransactionMetadata('t', 7, 60_000, 100), producerEpoch: 3 };
    const first = transitRecord('t', prepareAddPartitions(base, [], 1).transit);
    const older = transitRecord('t', prepareAddPartitions({ ...base, producerEpoch: 2 }, [], 2).transit);
    expect(() => replayTransactionRecords([first, older])).toThrow(TransactionInvariantError);
  });
});

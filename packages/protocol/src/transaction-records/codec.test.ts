import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeTransactionLogRecord, encodeTransactionLogKey, encodeTransactionLogValue, TransactionRecordEncodeError } from './codec.js';
import type { TransactionLogRecord, TransactionLogValue } from './types.js';

const hex = (bytes: Uint8Array | null) => (bytes === null ? null : Buffer.from(bytes).toString('hex'));
const fromHex = (text: string) => new Uint8Array(Buffer.from(text, 'hex'));
const roundTrip = (record: TransactionLogRecord) => decodeTransactionLogRecord(encodeTransactionLogKey(record), encodeTransactionLogValue(record));

const ongoing: TransactionLogValue = {
  producerId: 1000,
  previousProducerId: -1,
  nextProducerId: -1,
  producerEpoch: 2,
  transactionTimeoutMs: 60_000,
  transactionStatus: 'Ongoing',
  transactionPartitions: [{ topic: 't', partitionIds: [0, 3] }],
  transactionLastUpdateTimestampMs: 5,
  transactionStartTimestampMs: 4,
  clientTransactionVersion: 0,
};
// The fields before the partitions: producerId 1000, epoch 2, timeout 60000, then the status byte.
const head = '00000000000003e8' + '0002' + '0000ea60';
const timestamps = '0000000000000005' + '0000000000000004';

describe('transaction log record codec', () => {
  it("writes a TransactionLogKey in Kafka's layout: key version 0 and the transactional id", () => {
    expect(hex(encodeTransactionLogKey({ transactionalId: 'tx' }))).toBe('0000' + '0002' + '7478');
  });

  it('writes a TransactionLogValue v0 as Kafka does before transaction.version 1: partitions as [topic, [partition]]', () => {
    const value = encodeTransactionLogValue({ transactionalId: 'tx', value: ongoing });
    expect(hex(value)).toBe('0000' + head + '01' + '00000001' + '0001' + '74' + '00000002' + '00000000' + '00000003' + timestamps);
  });

  it('writes the partitions of an Empty transaction as null (TransactionLog.valueToBytes)', () => {
    const value = encodeTransactionLogValue({ transactionalId: 'tx', value: { ...ongoing, transactionStatus: 'Empty', transactionPartitions: [], transactionStartTimestampMs: -1 } });
    expect(hex(value)).toBe('0000' + head + '00' + 'ffffffff' + '0000000000000005' + 'ffffffffffffffff');
  });

  it("writes v1 (flexible) when a KIP-890 tagged field is set: compact arrays and strings, tag 0 previousProducerId", () => {
    const value = encodeTransactionLogValue({ transactionalId: 'tx', value: { ...ongoing, previousProducerId: 7 } });
    expect(hex(value)).toBe('0001' + head + '01' + '02' + '0274' + '03' + '00000000' + '00000003' + '00' + timestamps + '01' + '00' + '08' + '0000000000000007');
  });

  it('reads tagged fields it does not know by skipping them, as Kafka does', () => {
    const value = fromHex('0001' + head + '04' + '00' + timestamps + '02' + '01' + '08' + '0000000000000009' + '05' + '01' + 'ff');
    expect(decodeTransactionLogRecord(encodeTransactionLogKey({ transactionalId: 'tx' }), value)).toEqual({
      ok: true,
      record: { transactionalId: 'tx', value: { ...ongoing, transactionStatus: 'CompleteCommit', transactionPartitions: [], nextProducerId: 9 } },
    });
  });

  it('round trips every state, the tagged fields and tombstones', () => {
    const states = ['Empty', 'Ongoing', 'PrepareCommit', 'PrepareAbort', 'CompleteCommit', 'CompleteAbort', 'Dead', 'PrepareEpochFence'] as const;
    for (const transactionStatus of states) {
      const value = { ...ongoing, transactionStatus, transactionPartitions: transactionStatus === 'Empty' ? [] : ongoing.transactionPartitions };
      expect(roundTrip({ transactionalId: 'copier-1', value })).toEqual({ ok: true, record: { transactionalId: 'copier-1', value } });
    }
    const tagged = { ...ongoing, previousProducerId: 2 ** 40, nextProducerId: 3, clientTransactionVersion: 2 };
    expect(roundTrip({ transactionalId: 'é', value: tagged })).toEqual({ ok: true, record: { transactionalId: 'é', value: tagged } });
    expect(roundTrip({ transactionalId: 'gone', value: null })).toEqual({ ok: true, record: { transactionalId: 'gone', value: null } });
  });

  it('refuses to write what the layout cannot carry', () => {
    expect(() => encodeTransactionLogKey({ transactionalId: 'x'.repeat(40_000) })).toThrow(TransactionRecordEncodeError);
    expect(() => encodeTransactionLogValue({ transactionalId: 'tx', value: { ...ongoing, transactionStatus: 'Empty' } })).toThrow(TransactionRecordEncodeError);
    expect(() => encodeTransactionLogValue({ transactionalId: 'tx', value: { ...ongoing, producerEpoch: 0.5 } })).toThrow(TransactionRecordEncodeError);
  });

  it('reports records of other types, unknown statuses and malformed bytes instead of throwing', () => {
    expect(decodeTransactionLogRecord(fromHex('0001' + '0001' + '67'), null)).toMatchObject({ ok: false, reason: expect.stringMatching(/not a transaction log record/) });
    const key = encodeTransactionLogKey({ transactionalId: 'tx' });
    expect(decodeTransactionLogRecord(key, fromHex('0000' + head + '09' + 'ffffffff' + timestamps))).toMatchObject({ ok: false, reason: 'unknown transaction status 9' });
    expect(decodeTransactionLogRecord(key, fromHex('0002' + head))).toMatchObject({ ok: false, reason: 'unknown transaction log value version 2' });
    expect(decodeTransactionLogRecord(key, fromHex('0000' + head + '01' + '7fffffff'))).toMatchObject({ ok: false, reason: expect.stringMatching(/declares 2147483647 elements/) });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.option(fc.uint8Array({ maxLength: 96 })), (anyKey, anyValue) => {
        decodeTransactionLogRecord(anyKey, anyValue);
      }),
      { numRuns: 2_000 },
    );
  });
});

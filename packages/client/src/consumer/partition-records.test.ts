import { encodeControlBatch, encodeLeaderChangeBatch, encodeRecordBatch, isKafkaError, setBaseOffset } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { KafkaClientError } from '../errors.js';
import { PartitionRecords } from './partition-records.js';

const tp = { topic: 't', partition: 0 };
const utf8 = (text: string) => new TextEncoder().encode(text);
const text = (bytes: Uint8Array | null) => (bytes === null ? null : new TextDecoder().decode(bytes));

/** A stored batch: values v<offset> at consecutive offsets from `baseOffset`. */
function batch(baseOffset: number, count: number): Uint8Array {
  const records = Array.from({ length: count }, (_, index) => ({ key: null, value: utf8(`v${baseOffset + index}`), timestamp: 1_000 + index }));
  const bytes = encodeRecordBatch({ records });
  setBaseOffset(bytes, 0, baseOffset);
  return bytes;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let position = 0;
  for (const part of parts) {
    out.set(part, position);
    position += part.length;
  }
  return out;
}

describe('PartitionRecords', () => {
  it('skips control batches (a KRaft LeaderChangeMessage, a transaction marker) and moves past their offsets', () => {
    const leaderChange = encodeLeaderChangeBatch({ leaderEpoch: 1, baseOffset: 2, timestampMs: 1_000, leaderId: 0, voters: [{ voterId: 0 }], grantingVoters: [{ voterId: 0 }] });
    const commit = encodeControlBatch({ records: [{ type: 'COMMIT', value: new Uint8Array(6) }], timestampMs: 1_000, baseOffset: 3, producerId: 7, producerEpoch: 0, isTransactional: true });
    const records = new PartitionRecords(tp, 0, concat(batch(0, 2), leaderChange, commit, batch(4, 2)), true);
    const taken = records.take(100, 0);
    expect(taken.records.map((record) => record.offset)).toEqual([0, 1, 4, 5]);
    expect(taken.records.map((record) => text(record.value))).toEqual(['v0', 'v1', 'v4', 'v5']);
    expect(taken.nextPosition).toBe(6);
    expect(taken.error).toBeNull();
  });

  it('moves the position past a fetch that holds only a control batch, handing out nothing', () => {
    const leaderChange = encodeLeaderChangeBatch({ leaderEpoch: 3, baseOffset: 10, timestampMs: 1_000, leaderId: 2, voters: [{ voterId: 2 }], grantingVoters: [{ voterId: 2 }] });
    const records = new PartitionRecords(tp, 10, leaderChange, true);
    const taken = records.take(100, 10);
    expect(taken.records).toEqual([]);
    expect(taken.nextPosition).toBe(11);
    expect(records.isDrained).toBe(true);
  });

  it('skips records below the position when the first batch starts earlier', () => {
    const records = new PartitionRecords(tp, 3, concat(batch(0, 5), batch(5, 2)), true);
    const taken = records.take(100, 3);
    expect(taken.records.map((record) => record.offset)).toEqual([3, 4, 5, 6]);
    expect(taken.records.map((record) => text(record.value))).toEqual(['v3', 'v4', 'v5', 'v6']);
    expect(taken.nextPosition).toBe(7);
    expect(taken.error).toBeNull();
    expect(records.isDrained).toBe(true);
  });

  it('hands records out over several polls, at most maxRecords at a time', () => {
    const records = new PartitionRecords(tp, 0, concat(batch(0, 3), batch(3, 3)), true);
    const first = records.take(4, 0);
    expect(first.records.map((record) => record.offset)).toEqual([0, 1, 2, 3]);
    expect(first.nextPosition).toBe(4);
    expect(records.isDrained).toBe(false);
    const second = records.take(4, first.nextPosition);
    expect(second.records.map((record) => record.offset)).toEqual([4, 5]);
    expect(second.nextPosition).toBe(6);
    expect(records.isDrained).toBe(true);
  });

  it('ignores a cut-off batch at the end and resumes from the last whole one', () => {
    const second = batch(2, 2);
    const records = new PartitionRecords(tp, 0, concat(batch(0, 2), second.subarray(0, second.length - 5)), true);
    const taken = records.take(100, 0);
    expect(taken.records.map((record) => record.offset)).toEqual([0, 1]);
    expect(taken.nextPosition).toBe(2);
    expect(taken.error).toBeNull();
  });

  it('reports a damaged batch as CORRUPT_MESSAGE after handing out the records before it', () => {
    const damaged = batch(2, 2);
    damaged[damaged.length - 1] = (damaged[damaged.length - 1] as number) ^ 0xff;
    const records = new PartitionRecords(tp, 0, concat(batch(0, 2), damaged), true);
    const taken = records.take(100, 0);
    expect(taken.records.map((record) => record.offset)).toEqual([0, 1]);
    expect(taken.nextPosition).toBe(2);
    expect(isKafkaError(taken.error, 'CORRUPT_MESSAGE')).toBe(true);
    expect(records.isDrained).toBe(true);
  });

  it('does not check CRCs when check.crcs is off', () => {
    const damaged = batch(0, 1);
    damaged[damaged.lastIndexOf('v'.charCodeAt(0))] = 'w'.charCodeAt(0); // a value byte: the framing stays valid
    const taken = new PartitionRecords(tp, 0, damaged, false).take(10, 0);
    expect(taken.records.map((record) => text(record.value))).toEqual(['w0']);
    expect(taken.error).toBeNull();
    expect(isKafkaError(new PartitionRecords(tp, 0, damaged, true).take(10, 0).error, 'CORRUPT_MESSAGE')).toBe(true);
  });

  it('fails instead of looping when not one whole batch came back', () => {
    const whole = batch(0, 3);
    const taken = new PartitionRecords(tp, 0, whole.subarray(0, whole.length - 1), true).take(10, 0);
    expect(taken.records).toEqual([]);
    expect(taken.error).toBeInstanceOf(KafkaClientError);
  });

  it('moves past a batch whose records all lie below the position', () => {
    const taken = new PartitionRecords(tp, 5, concat(batch(0, 5), batch(5, 1)), true).take(10, 5);
    expect(taken.records.map((record) => record.offset)).toEqual([5]);
    expect(taken.nextPosition).toBe(6);
  });

  it('returns keys, headers, timestamps and the batch leader epoch', () => {
    const bytes = encodeRecordBatch({
      records: [{ key: utf8('k'), value: null, headers: [{ key: 'h', value: utf8('x') }], timestamp: 77 }],
      partitionLeaderEpoch: 4,
    });
    const [record] = new PartitionRecords(tp, 0, bytes, true).take(1, 0).records;
    expect(record).toMatchObject({ topic: 't', partition: 0, offset: 0, timestamp: 77, timestampType: 'CreateTime', leaderEpoch: 4, value: null });
    expect(text(record!.key)).toBe('k');
    expect(record!.headers.map((header) => [header.key, text(header.value)])).toEqual([['h', 'x']]);
  });
});

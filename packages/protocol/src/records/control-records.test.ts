import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readBatchHeader, verifyBatchCrc } from './batch-header.js';
import {
  CONTROL_RECORD_TYPES,
  ControlRecordError,
  decodeControlBatch,
  decodeControlRecordKey,
  encodeControlBatch,
  encodeControlRecordKey,
  isControlBatch,
  type ControlRecordTypeName,
} from './control-records.js';
import { decodeRecordBatches } from './decode-record-batches.js';
import {
  decodeLeaderChangeMessage,
  encodeLeaderChangeBatch,
  encodeLeaderChangeMessage,
  type LeaderChangeMessage,
} from './leader-change-message.js';
import { encodeRecordBatch } from './record-batch.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const fromHex = (text: string) => new Uint8Array(Buffer.from(text, 'hex'));
const voters = (...ids: number[]) => ids.map((voterId) => ({ voterId }));

/**
 * LeaderChangeMessage v0 (flexible) for leader 1, voters [1, 2, 3], granting voters [1, 2], derived from the
 * schema: int16 Version, int32 LeaderId, compact arrays (uvarint N+1) of {int32 VoterId, empty tagged fields},
 * then the message's empty tagged fields.
 */
const GOLDEN_LEADER_CHANGE =
  '0000' + // Version 0
  '00000001' + // LeaderId 1
  '04' + '0000000100' + '0000000200' + '0000000300' + // Voters: 3 + 1, each VoterId + no tags
  '03' + '0000000100' + '0000000200' + // GrantingVoters: 2 + 1
  '00'; // no tagged fields

describe('control record keys', () => {
  it("writes version 0 and Kafka's type ids", () => {
    expect(hex(encodeControlRecordKey('ABORT'))).toBe('00000000');
    expect(hex(encodeControlRecordKey('COMMIT'))).toBe('00000001');
    expect(hex(encodeControlRecordKey('LEADER_CHANGE'))).toBe('00000002');
    expect(hex(encodeControlRecordKey('SNAPSHOT_HEADER'))).toBe('00000003');
    expect(hex(encodeControlRecordKey('SNAPSHOT_FOOTER'))).toBe('00000004');
    expect(hex(encodeControlRecordKey('KRAFT_VERSION'))).toBe('00000005');
    expect(hex(encodeControlRecordKey('KRAFT_VOTERS'))).toBe('00000006');
  });

  it('round trips every type', () => {
    for (const [name, id] of Object.entries(CONTROL_RECORD_TYPES)) {
      expect(decodeControlRecordKey(encodeControlRecordKey(name as ControlRecordTypeName))).toEqual({ version: 0, typeId: id, type: name });
    }
  });

  it('reads an unknown type as UNKNOWN and a newer key version by its first four bytes, as Kafka does', () => {
    expect(decodeControlRecordKey(fromHex('00000063'))).toEqual({ version: 0, typeId: 99, type: 'UNKNOWN' });
    expect(decodeControlRecordKey(fromHex('00010002ffff'))).toEqual({ version: 1, typeId: 2, type: 'LEADER_CHANGE' });
  });

  it('refuses a null, short or negative-version key with INVALID_RECORD', () => {
    expect(() => decodeControlRecordKey(null)).toThrow(/null key/);
    expect(() => decodeControlRecordKey(fromHex('000002'))).toThrow(/at least 4 bytes but has 3/);
    expect(() => decodeControlRecordKey(fromHex('ffff0002'))).toThrow(/negative version -1/);
    try {
      decodeControlRecordKey(fromHex('00'));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ControlRecordError);
      expect(error).toMatchObject({ error: 'INVALID_RECORD', errorCode: 87 });
    }
  });
});

describe('LeaderChangeMessage', () => {
  const message: LeaderChangeMessage = { version: 0, leaderId: 1, voters: voters(1, 2, 3), grantingVoters: voters(1, 2) };

  it('encodes to the layout derived from LeaderChangeMessage.json', () => {
    expect(hex(encodeLeaderChangeMessage(message))).toBe(GOLDEN_LEADER_CHANGE);
  });

  it('decodes the golden bytes', () => {
    expect(decodeLeaderChangeMessage(fromHex(GOLDEN_LEADER_CHANGE))).toEqual(message);
  });

  it('skips unknown tagged fields, in the message and in a voter', () => {
    const tagged =
      '0000' + '00000002' +
      '02' + '00000002' + '01' + '05' + '02' + 'abcd' + // one voter with tag 5 of 2 bytes
      '01' + // no granting voters
      '02' + '00' + '01' + 'ff' + '01' + '00'; // two message tags: 0 (1 byte), 1 (0 bytes)
    expect(decodeLeaderChangeMessage(fromHex(tagged))).toEqual({ version: 0, leaderId: 2, voters: voters(2), grantingVoters: [] });
  });

  it('round trips any voter sets', () => {
    const id = fc.integer({ min: -0x8000_0000, max: 0x7fff_ffff });
    const voterList = fc.array(id.map((voterId) => ({ voterId })), { maxLength: 200 });
    fc.assert(
      fc.property(id, voterList, voterList, (leaderId, all, granting) => {
        const original = { version: 0, leaderId, voters: all, grantingVoters: granting };
        expect(decodeLeaderChangeMessage(encodeLeaderChangeMessage(original))).toEqual(original);
      }),
    );
  });

  it('reports every cut-off prefix of the message with a clear INVALID_RECORD error', () => {
    const bytes = fromHex(GOLDEN_LEADER_CHANGE);
    for (let length = 0; length < bytes.length; length++) {
      expect(() => decodeLeaderChangeMessage(bytes.subarray(0, length))).toThrow(ControlRecordError);
    }
    expect(() => decodeLeaderChangeMessage(bytes.subarray(0, 3))).toThrow(/cut off in its Version and LeaderId/);
  });

  it('bounds hostile lengths by the bytes that remain, before allocating', () => {
    // 2^31 voters declared in 7 bytes.
    expect(() => decodeLeaderChangeMessage(fromHex('0000' + '00000001' + '8080808008'))).toThrow(
      /declares 2147483647 Voters but only 0 bytes remain/,
    );
    expect(() => decodeLeaderChangeMessage(fromHex('0000' + '00000001' + '01' + '01' + 'ffffffff0f'))).toThrow(
      /declares 4294967295 tagged fields/,
    );
    expect(() => decodeLeaderChangeMessage(fromHex('0000' + '00000001' + '01' + '01' + '01' + '00' + '7f'))).toThrow(
      /cut off in its the message tagged field: 127 bytes needed/,
    );
    expect(() => decodeLeaderChangeMessage(fromHex('0000' + '00000001' + 'ffffffffff'))).toThrow(/malformed unsigned varint/);
  });

  it('refuses a null voter array and trailing bytes', () => {
    expect(() => decodeLeaderChangeMessage(fromHex('0000' + '00000001' + '00' + '01' + '00'))).toThrow(/Voters is null/);
    expect(() => decodeLeaderChangeMessage(fromHex(GOLDEN_LEADER_CHANGE + '00'))).toThrow(/1 bytes after its last field/);
  });
});

describe('control batches', () => {
  it('writes the start-of-epoch batch byte for byte: control bit, no producer, one LEADER_CHANGE record', () => {
    const bytes = encodeLeaderChangeBatch({ leaderEpoch: 5, baseOffset: 7, timestampMs: 1_000, leaderId: 1, voters: voters(1, 2, 3), grantingVoters: voters(1, 2) });
    // The one record: length 44, attributes, timestampDelta 0, offsetDelta 0, key (4 bytes), value (34), no headers.
    const record = '58' + '00' + '00' + '00' + '08' + '00000002' + '44' + GOLDEN_LEADER_CHANGE + '00';
    const header = (crc: string) =>
      '0000000000000007' + // baseOffset 7
      '0000005e' + // batchLength 94 = 49 header bytes after it + 45 record bytes
      '00000005' + // partitionLeaderEpoch 5
      '02' + // magic
      crc +
      '0020' + // attributes: control only (not transactional, no codec, CreateTime)
      '00000000' + // lastOffsetDelta
      '00000000000003e8' + '00000000000003e8' + // base and max timestamp 1000
      'ffffffffffffffff' + 'ffff' + 'ffffffff' + // producerId, producerEpoch, baseSequence: none
      '00000001'; // one record
    const crc = hex(bytes.subarray(17, 21));
    expect(hex(bytes)).toBe(header(crc) + record);
    expect(verifyBatchCrc(bytes, 0)).toBe(true);
  });

  it('round trips several control records in one batch, in order', () => {
    const leaderChange = encodeLeaderChangeMessage({ version: 0, leaderId: 3, voters: voters(1, 2, 3), grantingVoters: voters(3, 1) });
    const bytes = encodeControlBatch({
      records: [
        { type: 'LEADER_CHANGE', value: leaderChange },
        { type: 'KRAFT_VERSION', value: fromHex('000000') },
      ],
      timestampMs: 42,
      baseOffset: 100,
      partitionLeaderEpoch: 9,
    });
    const decoded = decodeRecordBatches(bytes);
    expect(decoded.problem).toBeNull();
    const batch = decoded.batches[0]!;
    expect(batch.isControl).toBe(true);
    expect(batch.isTransactional).toBe(false);
    expect(isControlBatch(batch)).toBe(true);
    expect(isControlBatch(readBatchHeader(bytes)!)).toBe(true);
    const records = decodeControlBatch(batch);
    expect(records.map(({ type, offset, timestamp }) => ({ type, offset, timestamp }))).toEqual([
      { type: 'LEADER_CHANGE', offset: 100, timestamp: 42 },
      { type: 'KRAFT_VERSION', offset: 101, timestamp: 42 },
    ]);
    expect(decodeLeaderChangeMessage(records[0]!.value)).toEqual({ version: 0, leaderId: 3, voters: voters(1, 2, 3), grantingVoters: voters(3, 1) });
    expect(hex(records[1]!.value)).toBe('000000');
  });

  it('writes a transaction marker as transactional + control (attributes 0x30) with the producer id and epoch', () => {
    const marker = encodeControlBatch({ records: [{ type: 'COMMIT', value: fromHex('000000000003') }], timestampMs: 5, producerId: 4_000, producerEpoch: 2, isTransactional: true });
    const header = readBatchHeader(marker)!;
    expect(header.attributes).toBe(0x30);
    expect([header.producerId, header.producerEpoch, header.baseSequence]).toEqual([4_000, 2, -1]);
    expect(decodeControlBatch(decodeRecordBatches(marker).batches[0]!)[0]).toMatchObject({ type: 'COMMIT', typeId: 1, version: 0 });
  });

  it('tells data batches from control batches', () => {
    const data = decodeRecordBatches(encodeRecordBatch({ records: [{ key: null, value: fromHex('01'), timestamp: 1 }] })).batches[0]!;
    expect(isControlBatch(data)).toBe(false);
    expect(() => decodeControlBatch(data)).toThrow(/is a data batch, not a control batch/);
  });

  it('refuses a control record without a value', () => {
    const bytes = encodeRecordBatch({ records: [{ key: encodeControlRecordKey('LEADER_CHANGE'), value: null, timestamp: 1 }], isControl: true });
    const batch = decodeRecordBatches(bytes).batches[0]!;
    expect(() => decodeControlBatch(batch)).toThrow(/LEADER_CHANGE control record at offset 0 has no value/);
  });

  it('refuses an empty control batch', () => {
    expect(() => encodeControlBatch({ records: [], timestampMs: 0 })).toThrow(/at least one control record/);
  });
});

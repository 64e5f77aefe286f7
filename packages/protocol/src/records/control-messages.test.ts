import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ControlRecordError, decodeControlBatch, encodeControlBatch } from './control-records.js';
import {
  decodeEndTxnMarker,
  decodeKRaftVersionRecord,
  decodeSnapshotFooterRecord,
  decodeSnapshotHeaderRecord,
  encodeEndTxnMarker,
  encodeKRaftVersionRecord,
  encodeSnapshotFooterRecord,
  encodeSnapshotHeaderRecord,
} from './control-messages.js';
import { decodeRecordBatches } from './decode-record-batches.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const fromHex = (text: string) => new Uint8Array(Buffer.from(text, 'hex'));

describe('EndTxnMarker (ABORT, COMMIT values)', () => {
  it('writes version 0 then the coordinator epoch: 6 bytes', () => {
    expect(hex(encodeEndTxnMarker({ version: 0, coordinatorEpoch: 3 }))).toBe('0000' + '00000003');
  });

  it('round trips and tolerates the extra bytes of a newer version, as Kafka does', () => {
    fc.assert(
      fc.property(fc.integer({ min: -0x8000_0000, max: 0x7fff_ffff }), (coordinatorEpoch) => {
        expect(decodeEndTxnMarker(encodeEndTxnMarker({ version: 0, coordinatorEpoch }))).toEqual({ version: 0, coordinatorEpoch });
      }),
    );
    expect(decodeEndTxnMarker(fromHex('0001' + '00000009' + 'ff'))).toEqual({ version: 1, coordinatorEpoch: 9 });
  });

  it('refuses a short value or a negative version', () => {
    expect(() => decodeEndTxnMarker(fromHex('000000'))).toThrow(/EndTxnMarker is cut off in its version and CoordinatorEpoch: 6 bytes needed, 3 left/);
    expect(() => decodeEndTxnMarker(fromHex('ffff00000001'))).toThrow(ControlRecordError);
  });
});

describe('SnapshotHeaderRecord and SnapshotFooterRecord (KIP-630)', () => {
  it('writes the layouts derived from their schemas', () => {
    expect(hex(encodeSnapshotHeaderRecord({ version: 0, lastContainedLogTimestampMs: 1_000 }))).toBe('0000' + '00000000000003e8' + '00');
    expect(hex(encodeSnapshotFooterRecord({ version: 0 }))).toBe('0000' + '00');
  });

  it('round trip, skipping unknown tagged fields', () => {
    const header = { version: 0, lastContainedLogTimestampMs: 1_765_000_000_000 };
    expect(decodeSnapshotHeaderRecord(encodeSnapshotHeaderRecord(header))).toEqual(header);
    expect(decodeSnapshotFooterRecord(encodeSnapshotFooterRecord({ version: 0 }))).toEqual({ version: 0 });
    expect(decodeSnapshotFooterRecord(fromHex('0000' + '01' + '07' + '02' + 'abcd'))).toEqual({ version: 0 });
  });

  it('refuses cut-off values and trailing bytes', () => {
    const header = encodeSnapshotHeaderRecord({ version: 0, lastContainedLogTimestampMs: 5 });
    for (let length = 0; length < header.length; length++) {
      expect(() => decodeSnapshotHeaderRecord(header.subarray(0, length))).toThrow(ControlRecordError);
    }
    expect(() => decodeSnapshotHeaderRecord(header.subarray(0, 4))).toThrow(/SnapshotHeaderRecord is cut off in its LastContainedLogTimestamp/);
    expect(() => decodeSnapshotFooterRecord(fromHex('0000' + '00' + '00'))).toThrow(/SnapshotFooterRecord has 1 bytes after its last field/);
    expect(() => decodeSnapshotFooterRecord(fromHex('0000' + '01' + '07' + '7f'))).toThrow(/cut off in its the message tagged field: 127 bytes needed/);
  });
});

describe('KRaftVersionRecord (KIP-853)', () => {
  it('writes Version, KRaftVersion and no tagged fields, and round trips', () => {
    expect(hex(encodeKRaftVersionRecord({ version: 0, kraftVersion: 1 }))).toBe('0000' + '0001' + '00');
    expect(decodeKRaftVersionRecord(fromHex('0000000100'))).toEqual({ version: 0, kraftVersion: 1 });
    expect(() => decodeKRaftVersionRecord(fromHex('000000'))).toThrow(/KRaftVersionRecord is cut off in its KRaftVersion/);
  });
});

describe('a snapshot framed by its control records', () => {
  it('reads back header and footer by type from control batches', () => {
    const header = encodeControlBatch({ records: [{ type: 'SNAPSHOT_HEADER', value: encodeSnapshotHeaderRecord({ version: 0, lastContainedLogTimestampMs: 77 }) }], timestampMs: 80 });
    const footer = encodeControlBatch({ records: [{ type: 'SNAPSHOT_FOOTER', value: encodeSnapshotFooterRecord({ version: 0 }) }], timestampMs: 80, baseOffset: 1 });
    const bytes = new Uint8Array([...header, ...footer]);
    const [first, last] = decodeRecordBatches(bytes).batches.map((batch) => decodeControlBatch(batch)[0]!);
    expect(first!.type).toBe('SNAPSHOT_HEADER');
    expect(decodeSnapshotHeaderRecord(first!.value)).toEqual({ version: 0, lastContainedLogTimestampMs: 77 });
    expect(last!.type).toBe('SNAPSHOT_FOOTER');
    expect(decodeSnapshotFooterRecord(last!.value)).toEqual({ version: 0 });
  });
});

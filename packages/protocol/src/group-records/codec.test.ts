import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeGroupRecord, encodeGroupRecordKey, encodeGroupRecordValue } from './codec.js';
import type { GroupRecord } from './types.js';

const hex = (bytes: Uint8Array | null) => (bytes === null ? null : Buffer.from(bytes).toString('hex'));
const roundTrip = (record: GroupRecord) => decodeGroupRecord(encodeGroupRecordKey(record), encodeGroupRecordValue(record));

describe('group record codec', () => {
  it("writes an OffsetCommitKey in Kafka's layout: key version 1, group, topic, partition", () => {
    const key = encodeGroupRecordKey({ type: 'OffsetCommit', groupId: 'g', topic: 't', partition: 3, value: null });
    expect(hex(key)).toBe('0001' + '00016' + '7' + '00017' + '4' + '00000003');
  });

  it("writes a GroupMetadataKey in Kafka's layout: key version 2 and the group", () => {
    expect(hex(encodeGroupRecordKey({ type: 'GroupMetadata', groupId: 'ab', value: null }))).toBe('0002' + '0002' + '6162');
  });

  it('writes an OffsetCommitValue v3', () => {
    const value = encodeGroupRecordValue({ type: 'OffsetCommit', groupId: 'g', topic: 't', partition: 0, value: { offset: 42, leaderEpoch: 5, metadata: '', commitTimestampMs: 1 } });
    expect(hex(value)).toBe('0003' + '000000000000002a' + '00000005' + '0000' + '0000000000000001');
  });

  it('round trips commits, group metadata and tombstones', () => {
    const commit: GroupRecord = { type: 'OffsetCommit', groupId: 'analytics', topic: 'orders', partition: 7, value: { offset: 2 ** 40, leaderEpoch: -1, metadata: 'm', commitTimestampMs: 1_700_000_000_000 } };
    const metadata: GroupRecord = {
      type: 'GroupMetadata',
      groupId: 'analytics',
      value: {
        protocolType: 'consumer',
        generationId: 12,
        protocolName: 'range',
        leaderId: 'a-1',
        currentStateTimestampMs: 99,
        members: [
          { memberId: 'a-1', groupInstanceId: null, clientId: 'a', clientHost: '/127.0.0.1', rebalanceTimeoutMs: 300_000, sessionTimeoutMs: 45_000, subscription: new Uint8Array([1, 2]), assignment: new Uint8Array([3]) },
          { memberId: 'b-1', groupInstanceId: 'static-b', clientId: 'b', clientHost: '/127.0.0.1', rebalanceTimeoutMs: 1, sessionTimeoutMs: 2, subscription: new Uint8Array(), assignment: new Uint8Array() },
        ],
      },
    };
    for (const record of [commit, metadata, { ...commit, value: null }, { ...metadata, value: null }]) expect(roundTrip(record as GroupRecord)).toEqual({ ok: true, record });
  });

  it('reports records of other types and malformed bytes instead of throwing', () => {
    // Type 16 is KIP-848's regular expression record, which kactor does not keep.
    expect(decodeGroupRecord(new Uint8Array([0, 16, 0, 1, 0x67]), null)).toMatchObject({ ok: false });
    expect(decodeGroupRecord(new Uint8Array([0, 3, 0, 1, 0x67]), null)).toEqual({ ok: true, record: { type: 'ConsumerGroupMetadata', groupId: 'g', value: null } });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.option(fc.uint8Array({ maxLength: 64 })), (key, value) => {
        decodeGroupRecord(key, value);
      }),
      { numRuns: 2_000 },
    );
  });
});

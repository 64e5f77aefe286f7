/**
 * KIP-848's consumer group records against Apache Kafka itself: the fixture holds the bytes Kafka 4.4.0's
 * GroupCoordinatorRecordSerde wrote for the records below (tools/kafka-group-records prints it). kactor writes the same
 * bytes and reads Kafka's back into the same records; values with fields kactor does not keep are only read.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeGroupRecord, encodeGroupRecordKey, encodeGroupRecordValue } from './codec.js';
import { GroupRecordEncodeError } from './flexible.js';
import type { ConsumerGroupRecord, GroupRecord, TopicIdPartitions } from './types.js';

interface KafkaFixture {
  topicIds: { orders: string; clicks: string };
  cases: Record<string, { key: string; value: string | null; readOnly: boolean }>;
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/kafka-4.4.0-consumer-group-records.json', import.meta.url), 'utf8')) as KafkaFixture;
const { orders, clicks } = fixture.topicIds;

const hex = (bytes: Uint8Array | null) => (bytes === null ? null : Buffer.from(bytes).toString('hex'));
const bytes = (text: string | null) => (text === null ? null : new Uint8Array(Buffer.from(text, 'hex')));

/** The records the Java program serialised, by case name (the Java inputs, in kactor's shapes). */
const kafkaRecords: Record<string, ConsumerGroupRecord> = {
  groupMetadata: { type: 'ConsumerGroupMetadata', groupId: 'g848', value: { epoch: 42 } },
  groupMetadataWithHash: { type: 'ConsumerGroupMetadata', groupId: 'g848', value: { epoch: 43, metadataHash: -6_149_109_133_839_217_664n } },
  groupMetadataTombstone: { type: 'ConsumerGroupMetadata', groupId: 'g848', value: null },
  partitionMetadata: {
    type: 'ConsumerGroupPartitionMetadata',
    groupId: 'g848',
    value: { topics: [{ topicId: orders, topicName: 'orders', numPartitions: 3 }, { topicId: clicks, topicName: 'clicks', numPartitions: 1 }] },
  },
  partitionMetadataWithRacks: { type: 'ConsumerGroupPartitionMetadata', groupId: 'g848', value: { topics: [{ topicId: orders, topicName: 'orders', numPartitions: 2 }] } },
  memberMetadata: {
    type: 'ConsumerGroupMemberMetadata',
    groupId: 'g848',
    memberId: 'm-1',
    value: {
      instanceId: 'static-1',
      rackId: 'rack-a',
      clientId: 'consumer-1',
      clientHost: '/127.0.0.1',
      subscribedTopicNames: ['orders', 'clicks'],
      subscribedTopicRegex: null,
      rebalanceTimeoutMs: 300_000,
      serverAssignor: 'uniform',
    },
  },
  memberMetadataNulls: {
    type: 'ConsumerGroupMemberMetadata',
    groupId: 'gröup',
    memberId: 'm-ü',
    value: { instanceId: null, rackId: null, clientId: '', clientHost: '/::1', subscribedTopicNames: [], subscribedTopicRegex: 'orders-.*', rebalanceTimeoutMs: -1, serverAssignor: null },
  },
  memberMetadataClassic: {
    type: 'ConsumerGroupMemberMetadata',
    groupId: 'g848',
    memberId: 'm-2',
    // Kafka's generated class defaults the nullable strings it was not given to "".
    value: { instanceId: '', rackId: '', clientId: 'c', clientHost: 'h', subscribedTopicNames: ['orders'], subscribedTopicRegex: '', rebalanceTimeoutMs: 60_000, serverAssignor: '' },
  },
  memberMetadataTombstone: { type: 'ConsumerGroupMemberMetadata', groupId: 'g848', memberId: 'm-1', value: null },
  targetAssignmentMetadata: { type: 'ConsumerGroupTargetAssignmentMetadata', groupId: 'g848', value: { assignmentEpoch: 42 } },
  targetAssignmentMetadataWithTimestamp: { type: 'ConsumerGroupTargetAssignmentMetadata', groupId: 'g848', value: { assignmentEpoch: 44, assignmentTimestampMs: 1_700_000_000_123 } },
  targetAssignmentMember: {
    type: 'ConsumerGroupTargetAssignmentMember',
    groupId: 'g848',
    memberId: 'm-1',
    value: { topicPartitions: [{ topicId: orders, partitions: [0, 2] }, { topicId: clicks, partitions: [0] }] },
  },
  targetAssignmentMemberEmpty: { type: 'ConsumerGroupTargetAssignmentMember', groupId: 'g848', memberId: 'm-2', value: { topicPartitions: [] } },
  targetAssignmentMemberTombstone: { type: 'ConsumerGroupTargetAssignmentMember', groupId: 'g848', memberId: 'm-1', value: null },
  currentMemberAssignment: {
    type: 'ConsumerGroupCurrentMemberAssignment',
    groupId: 'g848',
    memberId: 'm-1',
    value: {
      memberEpoch: 11,
      previousMemberEpoch: 10,
      state: 1,
      assignedPartitions: [{ topicId: orders, partitions: [0, 1] }],
      partitionsPendingRevocation: [{ topicId: orders, partitions: [2] }, { topicId: clicks, partitions: [0] }],
    },
  },
  currentMemberAssignmentWithEpochs: {
    type: 'ConsumerGroupCurrentMemberAssignment',
    groupId: 'g848',
    memberId: 'm-2',
    value: { memberEpoch: 12, previousMemberEpoch: 11, state: 0, assignedPartitions: [{ topicId: clicks, partitions: [0] }], partitionsPendingRevocation: [] },
  },
  currentMemberAssignmentTombstone: { type: 'ConsumerGroupCurrentMemberAssignment', groupId: 'g848', memberId: 'm-1', value: null },
};

describe("consumer group records in Kafka 4.4.0's bytes", () => {
  it('the fixture and the expected records name the same cases', () => {
    expect(Object.keys(kafkaRecords).sort()).toEqual(Object.keys(fixture.cases).sort());
    expect(orders).toBe('T1JERVJTLTGKPB0uT1Bh-w');
  });

  const cases = Object.entries(fixture.cases);
  it.each(cases.filter(([, kafka]) => !kafka.readOnly))('%s: kactor writes the bytes Kafka wrote', (name, kafka) => {
    const record = kafkaRecords[name]!;
    expect(hex(encodeGroupRecordKey(record))).toBe(kafka.key);
    expect(hex(encodeGroupRecordValue(record))).toBe(kafka.value);
  });

  it.each(cases)('%s: kactor reads the record from the bytes Kafka wrote', (name, kafka) => {
    expect(decodeGroupRecord(bytes(kafka.key)!, bytes(kafka.value))).toEqual({ ok: true, record: kafkaRecords[name] });
  });
});

describe('consumer group record codec', () => {
  it('refuses to write a topic id that is not a Kafka UUID, naming it (a topic made by an older kactor)', () => {
    const nanoid = 'V1StGXR8_Z5jdHi6B-myT';
    const record: GroupRecord = { type: 'ConsumerGroupTargetAssignmentMember', groupId: 'g', memberId: 'm', value: { topicPartitions: [{ topicId: nanoid, partitions: [0] }] } };
    expect(() => encodeGroupRecordValue(record)).toThrow(GroupRecordEncodeError);
    expect(() => encodeGroupRecordValue(record)).toThrow(`"${nanoid}" is not a Kafka UUID`);
    const metadata: GroupRecord = { type: 'ConsumerGroupPartitionMetadata', groupId: 'g', value: { topics: [{ topicId: nanoid, topicName: 'legacy', numPartitions: 1 }] } };
    expect(() => encodeGroupRecordValue(metadata)).toThrow(/topic id of legacy .* "V1StGXR8_Z5jdHi6B-myT" is not a Kafka UUID/);
    // A 22-character id whose padding bits are set would print differently, so it is not one either.
    expect(() => encodeGroupRecordValue({ ...record, value: { topicPartitions: [{ topicId: 'AAAAAAAAAAAAAAAAAAAAAB', partitions: [] }] } })).toThrow(GroupRecordEncodeError);
  });

  it('skips unknown tagged fields, at the end of a value and inside a struct', () => {
    // targetAssignmentMember with tag 5 (3 bytes) after the first topic's partitions and tag 9 (0 bytes) at the end.
    const value = '0000' + '02' + '4f52444552532d318a3c1d2e4f5061fb' + '020000000' + '0' + '01' + '0503abcdef' + '01' + '0900';
    expect(decodeGroupRecord(bytes(fixture.cases.targetAssignmentMember!.key)!, bytes(value))).toEqual({
      ok: true,
      record: { type: 'ConsumerGroupTargetAssignmentMember', groupId: 'g848', memberId: 'm-1', value: { topicPartitions: [{ topicId: orders, partitions: [0] }] } },
    });
  });

  it('bounds every length it reads: counts past the bytes, strings past 32767 bytes, bad varints and versions are ok: false', () => {
    const key = bytes(fixture.cases.currentMemberAssignment!.key)!;
    const problem = (value: string) => decodeGroupRecord(key, bytes(value));
    // assignedPartitions declares 2^28 entries.
    expect(problem('0000' + '0000000b' + '0000000a' + '01' + '8080808001')).toMatchObject({ ok: false, reason: expect.stringMatching(/assignedPartitions declares 268435455 elements/) });
    // A member id string declaring 40000 bytes.
    const memberKey = bytes(fixture.cases.memberMetadata!.key)!;
    expect(decodeGroupRecord(memberKey, bytes('0000' + 'c1b802'))).toMatchObject({ ok: false, reason: expect.stringMatching(/instanceId declares 40000 bytes, more than the 32767/) });
    // A varint that never ends within 5 bytes.
    expect(problem('0000' + '0000000b' + '0000000a' + '01' + 'ffffffffff01')).toMatchObject({ ok: false, reason: expect.stringMatching(/malformed unsigned varint/) });
    // A tagged field count the bytes cannot hold.
    expect(decodeGroupRecord(bytes(fixture.cases.groupMetadata!.key)!, bytes('0000' + '0000002a' + '7f'))).toMatchObject({ ok: false, reason: expect.stringMatching(/declares 127 tagged fields/) });
    // A value version Kafka never wrote.
    expect(decodeGroupRecord(bytes(fixture.cases.groupMetadata!.key)!, bytes('0001' + '0000002a' + '00'))).toMatchObject({ ok: false, reason: expect.stringMatching(/value version 1 is not 0/) });
    // The regular expression record (type 16) is one kactor does not know: skipped, not an error.
    expect(decodeGroupRecord(bytes('0010' + '0001' + '67' + '0001' + '2e')!, null)).toMatchObject({ ok: false });
  });

  it("reports every cut-off prefix of Kafka's values as truncated, never as a record", () => {
    for (const [name, kafka] of Object.entries(fixture.cases)) {
      if (kafka.value === null) continue;
      const value = bytes(kafka.value)!;
      for (let length = 0; length < value.length; length += 1) {
        const decoded = decodeGroupRecord(bytes(kafka.key)!, value.subarray(0, length));
        expect(decoded.ok, `${name} cut at ${length} bytes`).toBe(false);
      }
    }
  });

  it("never throws on arbitrary bytes behind a consumer group key, nor on Kafka's values with bytes changed", () => {
    const keys = Object.values(fixture.cases).map((kafka) => bytes(kafka.key)!);
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.uint8Array({ maxLength: 96 }), (key, value) => {
        decodeGroupRecord(key, value);
      }),
      { numRuns: 2_000 },
    );
    const written = Object.values(fixture.cases).filter((kafka) => kafka.value !== null);
    fc.assert(
      fc.property(fc.constantFrom(...written), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), (kafka, changes) => {
        const value = bytes(kafka.value)!;
        for (const [position, byte] of changes) value[position % value.length] = byte;
        decodeGroupRecord(bytes(kafka.key)!, value);
      }),
      { numRuns: 2_000 },
    );
  });

  it('round trips every record, as kactor writes it', () => {
    const text = fc.string({ maxLength: 12 });
    const uuid = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((raw) => Buffer.from(raw).toString('base64url'));
    const topicIdPartitions: fc.Arbitrary<TopicIdPartitions[]> = fc.array(fc.record({ topicId: uuid, partitions: fc.array(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { maxLength: 5 }) }), { maxLength: 4 });
    const epoch = fc.integer({ min: -2, max: 2 ** 31 - 1 });
    const groupId = text;
    const memberId = text;
    const nonZero = <T>(arbitrary: fc.Arbitrary<T>, zero: T) => fc.option(arbitrary.filter((value) => value !== zero), { nil: undefined });
    const withoutUndefined = <T extends object>(value: T) => JSON.parse(JSON.stringify(value, (_key, field: unknown) => (typeof field === 'bigint' ? `${field}n` : field))) as T;
    const record: fc.Arbitrary<ConsumerGroupRecord> = fc.oneof(
      fc.record({ type: fc.constant('ConsumerGroupMetadata' as const), groupId, value: fc.option(fc.record({ epoch, metadataHash: nonZero(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), 0n) })) }),
      fc.record({
        type: fc.constant('ConsumerGroupPartitionMetadata' as const),
        groupId,
        value: fc.option(fc.record({ topics: fc.array(fc.record({ topicId: uuid, topicName: text, numPartitions: fc.integer({ min: 0, max: 10_000 }) }), { maxLength: 4 }) })),
      }),
      fc.record({
        type: fc.constant('ConsumerGroupMemberMetadata' as const),
        groupId,
        memberId,
        value: fc.option(
          fc.record({
            instanceId: fc.option(text),
            rackId: fc.option(text),
            clientId: text,
            clientHost: text,
            subscribedTopicNames: fc.array(text, { maxLength: 4 }),
            subscribedTopicRegex: fc.option(text),
            rebalanceTimeoutMs: epoch,
            serverAssignor: fc.option(fc.constantFrom('uniform', 'range')),
          }),
        ),
      }),
      fc.record({ type: fc.constant('ConsumerGroupTargetAssignmentMetadata' as const), groupId, value: fc.option(fc.record({ assignmentEpoch: epoch, assignmentTimestampMs: nonZero(fc.integer({ min: 0, max: 2 ** 45 }), 0) })) }),
      fc.record({ type: fc.constant('ConsumerGroupTargetAssignmentMember' as const), groupId, memberId, value: fc.option(fc.record({ topicPartitions: topicIdPartitions })) }),
      fc.record({
        type: fc.constant('ConsumerGroupCurrentMemberAssignment' as const),
        groupId,
        memberId,
        value: fc.option(fc.record({ memberEpoch: epoch, previousMemberEpoch: epoch, state: fc.constantFrom(0, 1, 2, 127), assignedPartitions: topicIdPartitions, partitionsPendingRevocation: topicIdPartitions })),
      }),
    );
    fc.assert(
      fc.property(record, (original) => {
        const decoded = decodeGroupRecord(encodeGroupRecordKey(original), encodeGroupRecordValue(original));
        expect(decoded.ok).toBe(true);
        // Absent tagged fields and fields set to undefined are the same record.
        if (decoded.ok) expect(withoutUndefined(decoded.record)).toEqual(withoutUndefined(original));
      }),
      { numRuns: 1_000 },
    );
  });
});

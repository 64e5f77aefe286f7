import { decodeRecordBatches, type GroupRecord } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { encodeGroupRecordBatch, groupRecordSerde } from './group-records.js';

const ordersId = 'T1JERVJTLTGKPB0uT1Bh-w';

describe('group record serde', () => {
  it("carries KIP-848's consumer group records through a __consumer_offsets batch beside classic ones, in order", () => {
    const records: GroupRecord[] = [
      { type: 'OffsetCommit', groupId: 'g', topic: 'orders', partition: 0, value: { offset: 5, leaderEpoch: -1, metadata: '', commitTimestampMs: 1 } },
      { type: 'ConsumerGroupMemberMetadata', groupId: 'g', memberId: 'm', value: { instanceId: null, rackId: null, clientId: 'c', clientHost: '/127.0.0.1', subscribedTopicNames: ['orders'], subscribedTopicRegex: null, rebalanceTimeoutMs: 300_000, serverAssignor: 'uniform' } },
      { type: 'ConsumerGroupMetadata', groupId: 'g', value: { epoch: 1 } },
      { type: 'ConsumerGroupTargetAssignmentMember', groupId: 'g', memberId: 'm', value: { topicPartitions: [{ topicId: ordersId, partitions: [0, 1] }] } },
      { type: 'ConsumerGroupTargetAssignmentMetadata', groupId: 'g', value: { assignmentEpoch: 1 } },
      { type: 'ConsumerGroupCurrentMemberAssignment', groupId: 'g', memberId: 'm', value: { memberEpoch: 1, previousMemberEpoch: 0, state: 0, assignedPartitions: [{ topicId: ordersId, partitions: [0, 1] }], partitionsPendingRevocation: [] } },
      { type: 'ConsumerGroupPartitionMetadata', groupId: 'g', value: null },
    ];
    const [batch] = decodeRecordBatches(encodeGroupRecordBatch(records, 7)).batches;
    expect(batch!.records.map((record) => groupRecordSerde.decode(record.key!, record.value))).toEqual(records);
  });

  it('skips a record of a type it does not know (a regular expression record, type 16)', () => {
    expect(groupRecordSerde.decode(new Uint8Array([0, 16, 0, 1, 0x67, 0, 1, 0x2e]), null)).toBeUndefined();
  });

  it('refuses to encode a consumer group record naming a topic id that is not a Kafka UUID', () => {
    const record: GroupRecord = { type: 'ConsumerGroupTargetAssignmentMember', groupId: 'g', memberId: 'm', value: { topicPartitions: [{ topicId: 'V1StGXR8_Z5jdHi6B-myT', partitions: [0] }] } };
    expect(() => groupRecordSerde.encode(record)).toThrow(/"V1StGXR8_Z5jdHi6B-myT" is not a Kafka UUID/);
  });
});

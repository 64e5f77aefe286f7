/**
 * Replaying `__consumer_offsets` when a group id changes kind: an empty classic group that became a consumer group
 * (KIP-848) on its first heartbeat, and back, keeps its committed offsets; a consumer group ends with its tombstones.
 */
import { describe, expect, it } from 'vitest';
import type { GroupRecord } from './group-records.js';
import { replayAnyGroupRecords } from './group-replay.js';
import { newConsumerGroupMember } from './consumer/consumer-group-data.js';
import { currentAssignmentRecord, groupEpochRecord, memberMetadataRecord, memberTombstones } from './consumer/consumer-group-records.js';

const committed = (offset: number): GroupRecord => ({ type: 'OffsetCommit', groupId: 'g', topic: 'orders', partition: 0, value: { offset, leaderEpoch: -1, metadata: '', commitTimestampMs: 0 } });
const member = { ...newConsumerGroupMember('m1'), subscribedTopicNames: ['orders'], rebalanceTimeoutMs: 300_000 };

describe('replay of groups of both kinds', () => {
  it('an empty classic group that became a consumer group keeps its offsets; later commits go to the consumer group', () => {
    const groups = replayAnyGroupRecords([committed(5), memberMetadataRecord('g', member), groupEpochRecord('g', 1), committed(9)], 0);
    const group = groups.get('g');
    expect(group?.kind).toBe('consumer');
    expect(group?.data.offsets['orders-0']?.offset).toBe(9);
    expect(group?.kind === 'consumer' ? Object.keys(group.data.members) : []).toEqual(['m1']);
  });

  it('a consumer group that emptied and became a classic group (a JoinGroup) keeps its offsets', () => {
    const classic: GroupRecord = { type: 'GroupMetadata', groupId: 'g', value: { protocolType: 'consumer', generationId: 1, protocolName: 'range', leaderId: 'c1', currentStateTimestampMs: 0, members: [] } };
    const groups = replayAnyGroupRecords([memberMetadataRecord('g', member), groupEpochRecord('g', 1), currentAssignmentRecord('g', { ...member, memberEpoch: 1 }), committed(3), ...memberTombstones('g', 'm1'), groupEpochRecord('g', 2), classic], 0);
    expect(groups.get('g')?.kind).toBe('classic');
    expect(groups.get('g')?.data.offsets['orders-0']?.offset).toBe(3);
  });

  it('a consumer group ends with its ConsumerGroupMetadata tombstone', () => {
    const groups = replayAnyGroupRecords([memberMetadataRecord('g', member), groupEpochRecord('g', 1), ...memberTombstones('g', 'm1'), { type: 'ConsumerGroupMetadata', groupId: 'g', value: null }], 0);
    expect(groups.has('g')).toBe(false);
  });

  it('a deleted group stays deleted: the offset tombstones written after its group tombstone do not bring it back', () => {
    const offsetTombstone: GroupRecord = { type: 'OffsetCommit', groupId: 'g', topic: 'orders', partition: 0, value: null };
    const consumer = replayAnyGroupRecords([committed(4), memberMetadataRecord('g', member), groupEpochRecord('g', 1), ...memberTombstones('g', 'm1'), { type: 'ConsumerGroupMetadata', groupId: 'g', value: null }, offsetTombstone], 0);
    expect(consumer.has('g')).toBe(false);
    const classic = replayAnyGroupRecords([committed(4), { type: 'GroupMetadata', groupId: 'g', value: null }, offsetTombstone], 0);
    expect(classic.has('g')).toBe(false);
  });
});

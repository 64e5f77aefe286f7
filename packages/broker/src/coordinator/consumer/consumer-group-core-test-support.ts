/** Helpers for the tests of the consumer group's pure core: groups built from their records, a prepared assignor, requests. */
import type { ServerPartitionAssignor } from '@kactor/assignors';
import { unchangedHeartbeatFields, type RequestBody } from '@kactor/protocol';
import { emptyConsumerGroup, newConsumerGroupMember, type Assignment, type ConsumerGroupData, type ConsumerGroupMember, type SubscribedTopicMetadata } from './consumer-group-data.js';
import type { ConsumerGroupHeartbeatEnv } from './consumer-group-heartbeat.js';
import { currentAssignmentRecord, groupEpochRecord, memberMetadataRecord, partitionMetadataRecord, targetAssignmentEpochRecord, targetAssignmentRecord } from './consumer-group-records.js';
import { applyConsumerGroupRecords } from './consumer-group-replay.js';

export const groupId = 'fooup';
export const fooTopicId = 'foo-id';
export const barTopicId = 'bar-id';
/** Kafka's GroupMetadataManagerTest image: foo with 6 partitions, bar with 3. */
export const fooAndBar = new Map<string, SubscribedTopicMetadata>([
  ['foo', { topicId: fooTopicId, numPartitions: 6 }],
  ['bar', { topicId: barTopicId, numPartitions: 3 }],
]);

/** An assignor answering what the test prepared (Kafka's MockPartitionAssignor). */
export class PreparedAssignor implements ServerPartitionAssignor {
  prepared: Record<string, Assignment> = {};
  calls = 0;
  constructor(readonly name: string) {}
  prepare(assignment: Record<string, Assignment>): void {
    this.prepared = assignment;
  }
  assign(): { members: Map<string, Map<string, Set<number>>> } {
    this.calls += 1;
    return { members: new Map(Object.entries(this.prepared).map(([memberId, a]) => [memberId, new Map(Object.entries(a).map(([topicId, partitions]) => [topicId, new Set(partitions)]))])) };
  }
}

export function testEnv(assignor: ServerPartitionAssignor, fields: Partial<ConsumerGroupHeartbeatEnv> = {}): ConsumerGroupHeartbeatEnv {
  return {
    nowMs: 0,
    topics: fooAndBar,
    assignors: new Map([[assignor.name, assignor]]),
    defaultAssignor: assignor.name,
    heartbeatIntervalMs: 5000,
    sessionTimeoutMs: 45000,
    maxSize: Number.MAX_SAFE_INTEGER,
    clientId: 'client',
    clientHost: '/127.0.0.1',
    ...fields,
  };
}

/** A member as Kafka's tests build them (client, host, rebalance timeout 5000, range). */
export function stableMember(memberId: string, memberEpoch: number, assignedPartitions: Assignment, fields: Partial<ConsumerGroupMember> = {}): ConsumerGroupMember {
  return {
    ...newConsumerGroupMember(memberId),
    clientId: 'client',
    clientHost: '/127.0.0.1',
    rebalanceTimeoutMs: 5000,
    subscribedTopicNames: ['bar', 'foo'],
    serverAssignor: 'range',
    memberEpoch,
    previousMemberEpoch: memberEpoch - 1,
    assignedPartitions,
    ...fields,
  };
}

/** Kafka's ConsumerGroupBuilder: members at the group epoch, each target equal to its assignment, topic metadata from the members. */
export function groupOf(epoch: number, members: readonly ConsumerGroupMember[], topics: ReadonlyMap<string, SubscribedTopicMetadata> = fooAndBar): ConsumerGroupData {
  const names = new Set(members.flatMap((member) => member.subscribedTopicNames));
  const metadata = Object.fromEntries([...topics].filter(([name]) => names.has(name)).sort(([a], [b]) => (a < b ? -1 : 1)));
  return applyConsumerGroupRecords(emptyConsumerGroup(groupId), [
    ...members.map((member) => memberMetadataRecord(groupId, member)),
    partitionMetadataRecord(groupId, metadata),
    groupEpochRecord(groupId, epoch),
    ...members.map((member) => targetAssignmentRecord(groupId, member.memberId, member.assignedPartitions)),
    targetAssignmentEpochRecord(groupId, epoch),
    ...members.map((member) => currentAssignmentRecord(groupId, member)),
  ]);
}

/** A heartbeat with everything unchanged (incremental), overridden by `fields`. */
export function heartbeat(memberId: string, memberEpoch: number, fields: Partial<RequestBody<'consumerGroupHeartbeat'>> = {}): RequestBody<'consumerGroupHeartbeat'> {
  return {
    groupId,
    memberId,
    memberEpoch,
    ...unchangedHeartbeatFields,
    ...fields,
  };
}

/** A full join request (epoch 0) as Kafka's tests send it. */
export function join(memberId: string, fields: Partial<RequestBody<'consumerGroupHeartbeat'>> = {}): RequestBody<'consumerGroupHeartbeat'> {
  return heartbeat(memberId, 0, { rebalanceTimeoutMs: 5000, serverAssignor: 'range', subscribedTopicNames: ['foo', 'bar'], topicPartitions: [], ...fields });
}

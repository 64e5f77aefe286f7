/**
 * Members leaving a consumer group (KIP-848): a heartbeat with epoch -1 (for good), epoch -2 (a static member
 * leaving for a while, keeping its assignment until its session times out), and the coordinator fencing a member
 * whose session or rebalance timeout expired (Kafka's consumerGroupLeave, consumerGroupStaticMemberGroupLeave and
 * consumerGroupFenceMember).
 */
import type { ConsumerGroupRecord, RequestBody, ResponseBody } from '@kactor/protocol';
import { memberEpochs } from '@kactor/protocol';
import { staticMemberOf, type ConsumerGroupData, type ConsumerGroupMember } from './consumer-group-data.js';
import { currentAssignmentRecord, groupEpochRecord, memberTombstones, partitionMetadataRecord } from './consumer-group-records.js';
import { topicMetadataEqual } from './consumer-group-subscription.js';
import type { HeartbeatRefusal } from './member-epoch-validation.js';

/** What the host does with a member's timers after a heartbeat or a fencing. */
export type ConsumerGroupTimer =
  /** (Re)start the member's session timeout: it is fenced if no heartbeat comes within timeoutMs. */
  | { type: 'scheduleSessionTimeout'; memberId: string; timeoutMs: number }
  | { type: 'cancelSessionTimeout'; memberId: string }
  /** The member must revoke within timeoutMs (its rebalance timeout) or be fenced; only if still at memberEpoch then. */
  | { type: 'scheduleRebalanceTimeout'; memberId: string; memberEpoch: number; timeoutMs: number }
  | { type: 'cancelRebalanceTimeout'; memberId: string };

export interface ConsumerGroupChange {
  /** To append to `__consumer_offsets`, then apply with applyConsumerGroupRecord. */
  records: ConsumerGroupRecord[];
  timers: ConsumerGroupTimer[];
}

export interface AcceptedHeartbeat extends ConsumerGroupChange {
  response: ResponseBody<'consumerGroupHeartbeat'>;
}

export function heartbeatResponse(memberId: string, memberEpoch: number, heartbeatIntervalMs: number, assignment: ResponseBody<'consumerGroupHeartbeat'>['assignment']): ResponseBody<'consumerGroupHeartbeat'> {
  return { throttleTimeMs: 0, errorCode: 0, errorMessage: null, memberId, memberEpoch, heartbeatIntervalMs, assignment };
}

/** A heartbeat with epoch -1 or -2. */
export function consumerGroupLeave(group: ConsumerGroupData, request: RequestBody<'consumerGroupHeartbeat'>): AcceptedHeartbeat | HeartbeatRefusal {
  const { memberId, instanceId, memberEpoch } = request;
  const response = heartbeatResponse(memberId, memberEpoch, 0, null);
  if (instanceId === null) {
    const fenced = fenceMember(group, memberId);
    if (fenced === null) return { errorName: 'UNKNOWN_MEMBER_ID', errorMessage: `Member ${memberId} is not a member of group ${group.groupId}.` };
    return { ...fenced, response };
  }
  const member = staticMemberOf(group, instanceId);
  if (member === undefined) return { errorName: 'UNKNOWN_MEMBER_ID', errorMessage: `Instance id ${instanceId} is unknown.` };
  if (member.memberId !== memberId) return { errorName: 'FENCED_INSTANCE_ID', errorMessage: `Static member ${memberId} with instance id ${instanceId} was fenced by member ${member.memberId}.` };
  if (memberEpoch === memberEpochs.leaveStatic) {
    // The member and its assignment stay; epoch -2 marks the instance id as free to take by its next incarnation.
    // Its session timeout keeps running: when it expires first, the member is fenced.
    const leaving: ConsumerGroupMember = { ...member, memberEpoch: memberEpochs.leaveStatic, partitionsPendingRevocation: {} };
    return { records: [currentAssignmentRecord(group.groupId, leaving)], timers: [], response };
  }
  const fenced = fenceMember(group, member.memberId);
  return { ...(fenced ?? { records: [], timers: [] }), response };
}

/**
 * Kafka's consumerGroupFenceMember: the member's records deleted, the subscribed topics' metadata recomputed without
 * it, and the group epoch bumped so that its partitions are assigned to the others. Null for an unknown member (a
 * timer that fired after the member left or was replaced).
 */
export function fenceMember(group: ConsumerGroupData, memberId: string): ConsumerGroupChange | null {
  const member = group.members[memberId];
  if (member === undefined) return null;
  const records = memberTombstones(group.groupId, memberId);
  const remaining = Object.values(group.members).filter((other) => other.memberId !== memberId);
  const stillSubscribed = new Set(remaining.flatMap((other) => other.subscribedTopicNames));
  const topics = Object.fromEntries(Object.entries(group.subscribedTopicMetadata).filter(([name]) => stillSubscribed.has(name)));
  if (!topicMetadataEqual(topics, group.subscribedTopicMetadata)) records.push(partitionMetadataRecord(group.groupId, topics));
  records.push(groupEpochRecord(group.groupId, group.groupEpoch + 1));
  return {
    records,
    timers: [
      { type: 'cancelSessionTimeout', memberId },
      { type: 'cancelRebalanceTimeout', memberId },
    ],
  };
}

/**
 * Kafka's rebalance timeout expiry: the member is fenced only if it is still the same member at the same epoch and
 * still has partitions to revoke (it may have revoked, moved on or left since the timer was scheduled).
 */
export function fenceMemberOnRebalanceTimeout(group: ConsumerGroupData, memberId: string, memberEpoch: number): ConsumerGroupChange | null {
  const member = group.members[memberId];
  if (member === undefined || member.memberEpoch !== memberEpoch || member.state !== 'UNREVOKED_PARTITIONS') return null;
  return fenceMember(group, memberId);
}

/**
 * ConsumerGroupHeartbeat as a pure function (Kafka's GroupMetadataManager.consumerGroupHeartbeat, KIP-848): the
 * member is created or updated; a changed subscription or subscribed topic bumps the group epoch; a group epoch past
 * the assignment epoch runs the server assignor for a new target assignment; the member is then reconciled one safe
 * step towards its target (CurrentAssignmentBuilder). Nothing is changed here: the host appends the returned records,
 * applies them with applyConsumerGroupRecord, answers with the response and sets the timers.
 */
import type { ServerPartitionAssignor } from '@kactor/assignors';
import type { ConsumerGroupRecord, RequestBody } from '@kactor/protocol';
import { memberEpochs } from '@kactor/protocol';
import {
  assignmentsEqual,
  currentPartitionEpoch,
  isReconciledTo,
  newConsumerGroupMember,
  staticMemberOf,
  topicPartitionsOf,
  type Assignment,
  type ConsumerGroupData,
  type ConsumerGroupMember,
  type SubscribedTopicMetadata,
} from './consumer-group-data.js';
import { consumerGroupLeave, heartbeatResponse, type AcceptedHeartbeat, type ConsumerGroupTimer } from './consumer-group-leave.js';
import { currentAssignmentRecord, groupEpochRecord, memberMetadataRecord, memberTombstones, partitionMetadataRecord, targetAssignmentRecord } from './consumer-group-records.js';
import { preferredServerAssignor, subscribedTopicMetadataOf, topicMetadataEqual } from './consumer-group-subscription.js';
import { computeCurrentAssignment } from './current-assignment-builder.js';
import { consumerGroupHeartbeatRequestProblem, consumerGroupMemberEpochProblem, type HeartbeatRefusal } from './member-epoch-validation.js';
import { computeTargetAssignment } from './target-assignment.js';

export interface ConsumerGroupHeartbeatEnv {
  nowMs: number;
  /** The cluster's topics by name (topicsOfImage of the broker's metadata image). */
  topics: ReadonlyMap<string, SubscribedTopicMetadata>;
  /** group.consumer.assignors by name, in the configured order. */
  assignors: ReadonlyMap<string, ServerPartitionAssignor>;
  /** The assignor used when no member asks for one (the first of group.consumer.assignors). */
  defaultAssignor: string;
  /** group.consumer.heartbeat.interval.ms */
  heartbeatIntervalMs: number;
  /** group.consumer.session.timeout.ms */
  sessionTimeoutMs: number;
  /** group.consumer.max.size */
  maxSize: number;
  clientId: string;
  clientHost: string;
}

export type ConsumerGroupHeartbeatResult = AcceptedHeartbeat | HeartbeatRefusal;
export type { AcceptedHeartbeat, ConsumerGroupTimer } from './consumer-group-leave.js';

export function isHeartbeatRefusal(result: ConsumerGroupHeartbeatResult): result is HeartbeatRefusal {
  return 'errorName' in result;
}

export function consumerGroupHeartbeat(group: ConsumerGroupData, request: RequestBody<'consumerGroupHeartbeat'>, env: ConsumerGroupHeartbeatEnv): ConsumerGroupHeartbeatResult {
  const problem = consumerGroupHeartbeatRequestProblem(request, [...env.assignors.keys()]);
  if (problem !== null) return problem;
  if (request.memberEpoch === memberEpochs.leave || request.memberEpoch === memberEpochs.leaveStatic) return consumerGroupLeave(group, request);
  const { memberId } = request;
  if (Object.keys(group.members).length >= env.maxSize && group.members[memberId] === undefined) {
    return { errorName: 'GROUP_MAX_SIZE_REACHED', errorMessage: `The consumer group has reached its maximum of ${env.maxSize} members.` };
  }
  const found = memberToUpdate(group, request);
  if ('errorName' in found) return found;
  const { member, replaced, records } = found;

  // 1. The member's metadata; a changed subscription, or changed subscribed topics, bump the group epoch.
  const updated = withRequestFields(member, request, env);
  // A static member's new incarnation was written as a copy of its predecessor: only a difference from that is new.
  const known = replaced !== undefined || group.members[memberId] !== undefined;
  if (!known || !sameMetadata(member, updated)) records.push(memberMetadataRecord(group.groupId, updated));
  let bump = !sameSubscription(member, updated);
  const others = () => Object.values(group.members).filter((other) => other.memberId !== memberId && other.memberId !== replaced?.memberId);
  // A member that changed nothing leaves the group's subscriptions as they are: their metadata is the group's own against these topics.
  const unchanged = updated === member && replaced === undefined && group.members[memberId] === member;
  const topics = unchanged ? groupSubscriptionMetadata(group, env.topics) : subscribedTopicMetadataOf([...others(), updated], env.topics);
  if (!topicMetadataEqual(topics, group.subscribedTopicMetadata)) {
    records.push(partitionMetadataRecord(group.groupId, topics));
    bump = true;
  }
  const groupEpoch = bump ? group.groupEpoch + 1 : group.groupEpoch;
  if (bump) records.push(groupEpochRecord(group.groupId, groupEpoch));

  // 2. A new target assignment when the group epoch passed the assignment epoch.
  let targetEpoch = group.assignmentEpoch;
  let target: Assignment = group.targetAssignment[memberId] ?? (replaced === undefined ? undefined : group.targetAssignment[replaced.memberId]) ?? {};
  if (groupEpoch > group.assignmentEpoch) {
    const assignorName = preferredServerAssignor([...others(), updated], [...env.assignors.keys()]) ?? env.defaultAssignor;
    const assignor = env.assignors.get(assignorName);
    if (assignor === undefined) return { errorName: 'UNSUPPORTED_ASSIGNOR', errorMessage: `The server assignor ${assignorName} is not configured in group.consumer.assignors.` };
    try {
      const result = computeTargetAssignment({ group, groupEpoch, assignor, subscribedTopicMetadata: topics, updatedMember: updated, ...(replaced === undefined ? {} : { removedMemberIds: [replaced.memberId] }) });
      records.push(...result.records);
      target = result.targetAssignment[memberId] ?? {};
      targetEpoch = groupEpoch;
    } catch (error) {
      return { errorName: 'UNKNOWN_SERVER_ERROR', errorMessage: `Failed to compute a new target assignment for epoch ${groupEpoch}: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  // 3. One reconciliation step towards the target.
  const timers: ConsumerGroupTimer[] = [];
  let reconciled = updated;
  if (!isReconciledTo(updated, targetEpoch)) {
    // A member rejoining under its own id gave up everything it had: its old partitions count as free for it.
    const ownOld = group.members[memberId];
    const epochOf = (topicId: string, partition: number) => (ownOld !== undefined && member !== ownOld && holds(ownOld, topicId, partition) ? -1 : currentPartitionEpoch(group, topicId, partition));
    const next = computeCurrentAssignment({ member: updated, targetAssignmentEpoch: targetEpoch, targetAssignment: target, currentPartitionEpoch: epochOf, ownedTopicPartitions: request.topicPartitions });
    if ('errorName' in next) return next;
    reconciled = next.member;
    if (!sameAssignmentState(updated, reconciled)) {
      records.push(currentAssignmentRecord(group.groupId, reconciled));
      timers.push(
        reconciled.state === 'UNREVOKED_PARTITIONS'
          ? { type: 'scheduleRebalanceTimeout', memberId, memberEpoch: reconciled.memberEpoch, timeoutMs: reconciled.rebalanceTimeoutMs }
          : { type: 'cancelRebalanceTimeout', memberId },
      );
    }
  }
  timers.push({ type: 'scheduleSessionTimeout', memberId, timeoutMs: env.sessionTimeoutMs });
  if (replaced !== undefined) timers.push({ type: 'cancelSessionTimeout', memberId: replaced.memberId }, { type: 'cancelRebalanceTimeout', memberId: replaced.memberId });

  // The assignment is sent on a full request (a join, or one with every field set) or when it changed.
  const fullRequest = request.memberEpoch === memberEpochs.join || (request.rebalanceTimeoutMs !== -1 && request.subscribedTopicNames !== null && request.topicPartitions !== null);
  const assignment = fullRequest || !assignmentsEqual(member.assignedPartitions, reconciled.assignedPartitions) ? { topicPartitions: topicPartitionsOf(reconciled.assignedPartitions) } : null;
  return { records, timers, response: heartbeatResponse(memberId, reconciled.memberEpoch, env.heartbeatIntervalMs, assignment) };
}

/** The subscription metadata of each group object's members against one topics map (a group's data is never changed in place). */
const subscriptionMetadataByGroup = new WeakMap<ConsumerGroupData, { topics: ReadonlyMap<string, SubscribedTopicMetadata>; metadata: Record<string, SubscribedTopicMetadata> }>();

function groupSubscriptionMetadata(group: ConsumerGroupData, topics: ReadonlyMap<string, SubscribedTopicMetadata>): Record<string, SubscribedTopicMetadata> {
  const known = subscriptionMetadataByGroup.get(group);
  if (known !== undefined && known.topics === topics) return known.metadata;
  const metadata = subscribedTopicMetadataOf(Object.values(group.members), topics);
  subscriptionMetadataByGroup.set(group, { topics, metadata });
  return metadata;
}

interface MemberToUpdate {
  /** The member as the heartbeat finds it (new, reset for a rejoin, or a static member's new incarnation). */
  member: ConsumerGroupMember;
  /** The static member this one replaces. */
  replaced?: ConsumerGroupMember;
  /** Records replacing a static member, written first. */
  records: ConsumerGroupRecord[];
}

/** Kafka's getOrMaybeSubscribeDynamicConsumerGroupMember and getOrMaybeSubscribeStaticConsumerGroupMember. */
function memberToUpdate(group: ConsumerGroupData, request: RequestBody<'consumerGroupHeartbeat'>): MemberToUpdate | HeartbeatRefusal {
  const { memberId, memberEpoch, instanceId } = request;
  const existing = group.members[memberId];
  const joining = memberEpoch === memberEpochs.join;
  if (instanceId === null || !joining) {
    const member = instanceId === null ? existing : staticMemberOf(group, instanceId);
    if (joining) return { member: existing === undefined ? newConsumerGroupMember(memberId) : rejoined(existing), records: [] };
    if (member === undefined) return { errorName: 'UNKNOWN_MEMBER_ID', errorMessage: instanceId === null ? `Member ${memberId} is not a member of group ${group.groupId}.` : `Instance id ${instanceId} is unknown.` };
    if (member.memberId !== memberId) return { errorName: 'FENCED_INSTANCE_ID', errorMessage: `Static member ${memberId} with instance id ${instanceId} was fenced by member ${member.memberId}.` };
    const epochProblem = consumerGroupMemberEpochProblem(member, memberEpoch, request.topicPartitions);
    return epochProblem ?? { member, records: [] };
  }
  const holder = staticMemberOf(group, instanceId);
  if (holder === undefined || holder.memberId === memberId) return { member: existing === undefined ? newConsumerGroupMember(memberId) : rejoined(existing), records: [] };
  if (holder.memberEpoch !== memberEpochs.leaveStatic) {
    return { errorName: 'UNRELEASED_INSTANCE_ID', errorMessage: `Static member ${memberId} with instance id ${instanceId} cannot join: the instance id is held by member ${holder.memberId}.` };
  }
  // The new incarnation takes over the departed one's assignment and target under its own member id (KIP-345 in KIP-848).
  const member: ConsumerGroupMember = { ...holder, memberId, memberEpoch: 0, previousMemberEpoch: 0 };
  const records = [
    ...memberTombstones(group.groupId, holder.memberId),
    memberMetadataRecord(group.groupId, member),
    targetAssignmentRecord(group.groupId, memberId, group.targetAssignment[holder.memberId] ?? {}),
    currentAssignmentRecord(group.groupId, member),
  ];
  return { member, replaced: holder, records };
}

/** A known member joining again with epoch 0 starts over as a new member under the same id, keeping its metadata. */
function rejoined(member: ConsumerGroupMember): ConsumerGroupMember {
  return { ...member, memberEpoch: 0, previousMemberEpoch: -1, state: 'STABLE', assignedPartitions: {}, partitionsPendingRevocation: {} };
}

/** The request's fields over the member's (null or -1: unchanged), as Kafka's ConsumerGroupMember.Builder.maybeUpdate*. */
function withRequestFields(member: ConsumerGroupMember, request: RequestBody<'consumerGroupHeartbeat'>, env: ConsumerGroupHeartbeatEnv): ConsumerGroupMember {
  // A stable member's heartbeat usually changes nothing (every field null or -1, the same client): the member stays as it is.
  if (changesNoField(member, request, env)) return member;
  return {
    ...member,
    instanceId: request.instanceId ?? member.instanceId,
    rackId: request.rackId ?? member.rackId,
    rebalanceTimeoutMs: request.rebalanceTimeoutMs === -1 ? member.rebalanceTimeoutMs : request.rebalanceTimeoutMs,
    serverAssignor: request.serverAssignor ?? member.serverAssignor,
    subscribedTopicNames: request.subscribedTopicNames === null ? member.subscribedTopicNames : [...new Set(request.subscribedTopicNames)].sort(),
    subscribedTopicRegex: request.subscribedTopicRegex ?? member.subscribedTopicRegex,
    clientId: env.clientId,
    clientHost: env.clientHost,
  };
}

function changesNoField(member: ConsumerGroupMember, request: RequestBody<'consumerGroupHeartbeat'>, env: ConsumerGroupHeartbeatEnv): boolean {
  return (
    (request.instanceId === null || request.instanceId === member.instanceId) &&
    (request.rackId === null || request.rackId === member.rackId) &&
    (request.rebalanceTimeoutMs === -1 || request.rebalanceTimeoutMs === member.rebalanceTimeoutMs) &&
    (request.serverAssignor === null || request.serverAssignor === member.serverAssignor) &&
    request.subscribedTopicNames === null &&
    (request.subscribedTopicRegex === null || request.subscribedTopicRegex === member.subscribedTopicRegex) &&
    env.clientId === member.clientId &&
    env.clientHost === member.clientHost
  );
}

function sameSubscription(a: ConsumerGroupMember, b: ConsumerGroupMember): boolean {
  return a.subscribedTopicRegex === b.subscribedTopicRegex && a.subscribedTopicNames.length === b.subscribedTopicNames.length && a.subscribedTopicNames.every((name, index) => name === b.subscribedTopicNames[index]);
}

function sameMetadata(a: ConsumerGroupMember, b: ConsumerGroupMember): boolean {
  return (
    sameSubscription(a, b) &&
    a.instanceId === b.instanceId &&
    a.rackId === b.rackId &&
    a.clientId === b.clientId &&
    a.clientHost === b.clientHost &&
    a.rebalanceTimeoutMs === b.rebalanceTimeoutMs &&
    a.serverAssignor === b.serverAssignor
  );
}

function sameAssignmentState(a: ConsumerGroupMember, b: ConsumerGroupMember): boolean {
  return (
    a.memberEpoch === b.memberEpoch &&
    a.previousMemberEpoch === b.previousMemberEpoch &&
    a.state === b.state &&
    assignmentsEqual(a.assignedPartitions, b.assignedPartitions) &&
    assignmentsEqual(a.partitionsPendingRevocation, b.partitionsPendingRevocation)
  );
}

function holds(member: ConsumerGroupMember, topicId: string, partition: number): boolean {
  return (member.assignedPartitions[topicId]?.includes(partition) ?? false) || (member.partitionsPendingRevocation[topicId]?.includes(partition) ?? false);
}

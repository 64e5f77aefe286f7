/**
 * The bodies of the requests a group member sends, built from its context as plain functions, and the
 * small comparisons the machine's guards make. Kept out of the machine file so that the statechart reads
 * as states and transitions.
 */
import type { RequestBody } from '@kactor/protocol';
import { coordinatorKeyTypes } from '@kactor/protocol';
import { JOIN_GROUP_TIMEOUT_LAPSE_MS } from '../../constants.js';
import { consumerProtocolType, joinProtocols } from './assignor-adapter.js';
import type { ConsumerGroupContext, ConsumerGroupSettings } from './group-types.js';

export function findCoordinatorRequest(settings: ConsumerGroupSettings): RequestBody<'findCoordinator'> {
  return { key: settings.groupId, keyType: coordinatorKeyTypes.group };
}

/** JoinGroup: the member's subscription under every assignor it offers; the rebalance timeout is max.poll.interval.ms. */
export function joinGroupRequest(context: ConsumerGroupContext): RequestBody<'joinGroup'> {
  const { settings } = context;
  return {
    groupId: settings.groupId,
    sessionTimeoutMs: settings.sessionTimeoutMs,
    rebalanceTimeoutMs: settings.maxPollIntervalMs,
    memberId: context.memberId,
    groupInstanceId: settings.groupInstanceId,
    protocolType: consumerProtocolType,
    protocols: joinProtocols(settings.assignors, context.subscription, context.generationId, context.owned, context.assignmentGenerationId < 0 ? null : { partitions: context.assignment, generationId: context.assignmentGenerationId }),
    reason: context.rejoinReason,
    clientId: settings.clientId,
  };
}

/**
 * The coordinator parks a JoinGroup until every member rejoined or the rebalance timeout passed, so the
 * request may take that long before it is late (Kafka's `AbstractCoordinator.sendJoinGroupRequest`).
 */
export function joinGroupTimeoutMs(settings: ConsumerGroupSettings): number {
  return Math.max(settings.requestTimeoutMs, settings.maxPollIntervalMs + JOIN_GROUP_TIMEOUT_LAPSE_MS);
}

/** SyncGroup: the leader sends everyone's assignment, followers none. */
export function syncGroupRequest(context: ConsumerGroupContext, assignments: RequestBody<'syncGroup'>['assignments']): RequestBody<'syncGroup'> {
  return {
    groupId: context.settings.groupId,
    generationId: context.generationId,
    memberId: context.memberId,
    groupInstanceId: context.settings.groupInstanceId,
    protocolType: consumerProtocolType,
    protocolName: context.protocolName,
    assignments,
  };
}

export function heartbeatRequest(context: ConsumerGroupContext): RequestBody<'heartbeat'> {
  return { groupId: context.settings.groupId, generationId: context.generationId, memberId: context.memberId, groupInstanceId: context.settings.groupInstanceId };
}

export function leaveGroupRequest(context: ConsumerGroupContext, reason: string): RequestBody<'leaveGroup'> {
  return { groupId: context.settings.groupId, members: [{ memberId: context.memberId, groupInstanceId: context.settings.groupInstanceId, reason }] };
}

/**
 * Whether the member sends LeaveGroup when it leaves: only a dynamic member that has a member id and
 * knows its coordinator. Static members never do (KIP-345): they count on their session timeout, so a
 * restart within it keeps their assignment.
 */
export function shouldSendLeaveGroup(context: ConsumerGroupContext): boolean {
  return context.memberId !== '' && context.coordinator !== null && context.settings.groupInstanceId === null;
}

/** Sorted, without repeats: the form subscriptions are kept and compared in. */
export function normalizeTopics(topics: readonly string[]): string[] {
  return [...new Set(topics)].sort();
}

export function sameTopics(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((topic, index) => topic === b[index]);
}

/**
 * Whether the leader's metadata no longer matches the partition counts it assigned from (Kafka's
 * `ConsumerCoordinator.rejoinNeededOrPending` comparing `assignmentSnapshot` and `metadataSnapshot`).
 */
export function assignmentMetadataChanged(snapshot: Readonly<Record<string, number>> | null, partitionCount: (topic: string) => number | undefined): boolean {
  if (snapshot === null) return false;
  return Object.entries(snapshot).some(([topic, count]) => (partitionCount(topic) ?? -1) !== count);
}

/**
 * The join phase of a classic rebalance as pure functions (Kafka's `classicGroupJoin*`,
 * `addMemberAndRebalance`, `onCompleteJoin`). Each returns the changed group and the effects to perform.
 */
import type { ErrorName, RequestBody, ResponseBody } from '@kactor/protocol';
import { errorByName, wireLimits } from '@kactor/protocol';
import type { RequestRef } from '@kactor/runtime';
import {
  memberList,
  newMemberId,
  rebalanceTimeoutMs,
  selectedMetadata,
  selectProtocol,
  type ClassicGroupData,
  type ClassicGroupMember,
  type GroupLimits,
} from './classic-group.js';
import type { GroupEffect, Outcome } from './group-effects.js';
import type { GroupMetadataValue } from './group-records.js';

const noBytes = new Uint8Array(0);

export function joinErrorBody(errorName: ErrorName, memberId = ''): ResponseBody<'joinGroup'> {
  return {
    throttleTimeMs: 0,
    errorCode: errorByName(errorName).code,
    generationId: -1,
    protocolType: null,
    protocolName: null,
    leader: '',
    skipAssignment: false,
    memberId,
    members: [],
  };
}

export function rejectJoin(ref: RequestRef, errorName: ErrorName, memberId = ''): GroupEffect[] {
  return [{ kind: 'respond', ref, body: joinErrorBody(errorName, memberId) }];
}

/** A member's JoinGroup answer for the current generation; only the leader's lists the members. */
export function joinAnswer(group: ClassicGroupData, member: ClassicGroupMember): ResponseBody<'joinGroup'> {
  const isLeader = group.leaderId === member.memberId;
  return {
    throttleTimeMs: 0,
    errorCode: 0,
    generationId: group.generationId,
    protocolType: group.protocolType,
    protocolName: group.protocolName,
    leader: group.leaderId ?? '',
    skipAssignment: false,
    memberId: member.memberId,
    members: isLeader
      ? memberList(group).map((candidate) => ({ memberId: candidate.memberId, groupInstanceId: candidate.groupInstanceId, metadata: selectedMetadata(group, candidate) }))
      : [],
  };
}

export function sessionTimer(member: ClassicGroupMember): GroupEffect {
  return { kind: 'startTimer', event: { type: 'timer.sessionExpired', memberId: member.memberId }, delayMs: member.sessionTimeoutMs };
}

/**
 * group.max.size (Kafka's default: no limit), capped by the most members a JoinGroup response to the leader
 * may list: a group past that could never complete a rebalance, so its extra members are refused up front.
 */
export function effectiveGroupMaxSize(limits: GroupLimits): number {
  return Math.min(limits.groupMaxSize, wireLimits.maxGroupMembers);
}

/**
 * KIP-394: a member without an id gets one with MEMBER_ID_REQUIRED and must join again with it within its
 * session timeout, so a client that crashed between the two steps leaves no member behind.
 */
export function requireMemberId(group: ClassicGroupData, ref: RequestRef, request: RequestBody<'joinGroup'>, limits: GroupLimits, unique: string): Outcome<ClassicGroupData> {
  if (memberList(group).length + group.pendingMemberIds.length >= effectiveGroupMaxSize(limits)) {
    return { group, effects: rejectJoin(ref, 'GROUP_MAX_SIZE_REACHED') };
  }
  const memberId = newMemberId(request.clientId, unique);
  return {
    group: { ...group, pendingMemberIds: [...group.pendingMemberIds, memberId] },
    effects: [
      { kind: 'respond', ref, body: joinErrorBody('MEMBER_ID_REQUIRED', memberId) },
      { kind: 'startTimer', event: { type: 'timer.pendingMemberExpired', memberId }, delayMs: request.sessionTimeoutMs },
    ],
  };
}

/** A pending member joins with the id it was given: it becomes a member whose JoinGroup waits for the join phase to complete. */
export function addMember(
  group: ClassicGroupData,
  ref: RequestRef,
  request: RequestBody<'joinGroup'>,
  limits: GroupLimits,
): Outcome<ClassicGroupData> {
  const member: ClassicGroupMember = {
    memberId: request.memberId,
    groupInstanceId: request.groupInstanceId,
    clientId: request.clientId,
    clientHost: ref.remoteAddress,
    rebalanceTimeoutMs: request.rebalanceTimeoutMs,
    sessionTimeoutMs: request.sessionTimeoutMs,
    protocolType: request.protocolType,
    protocols: request.protocols.map((protocol) => ({ name: protocol.name, metadata: protocol.metadata })),
    assignment: noBytes,
    isNew: true,
    awaitingJoin: ref,
    awaitingSync: null,
  };
  return {
    group: {
      ...group,
      protocolType: group.protocolType ?? request.protocolType,
      leaderId: group.leaderId ?? member.memberId,
      members: { ...group.members, [member.memberId]: member },
      pendingMemberIds: group.pendingMemberIds.filter((id) => id !== member.memberId),
    },
    effects: [
      { kind: 'cancelTimer', event: { type: 'timer.pendingMemberExpired', memberId: member.memberId } },
      { kind: 'startTimer', event: { type: 'timer.newMemberJoinExpired', memberId: member.memberId }, delayMs: limits.newMemberJoinTimeoutMs },
    ],
  };
}

/** A known member joins again (a rebalance): its new metadata replaces the old, and its JoinGroup waits. */
export function updateMember(group: ClassicGroupData, ref: RequestRef, request: RequestBody<'joinGroup'>): Outcome<ClassicGroupData> {
  const member = group.members[request.memberId];
  if (member === undefined) return { group, effects: rejectJoin(ref, 'UNKNOWN_MEMBER_ID', request.memberId) };
  const effects: GroupEffect[] =
    member.awaitingJoin !== null && member.awaitingJoin.correlationId !== ref.correlationId
      ? [{ kind: 'respond', ref: member.awaitingJoin, body: joinErrorBody('REBALANCE_IN_PROGRESS', member.memberId) }]
      : [];
  return {
    group: {
      ...group,
      members: {
        ...group.members,
        [member.memberId]: {
          ...member,
          rebalanceTimeoutMs: request.rebalanceTimeoutMs,
          sessionTimeoutMs: request.sessionTimeoutMs,
          protocols: request.protocols.map((protocol) => ({ name: protocol.name, metadata: protocol.metadata })),
          awaitingJoin: ref,
        },
      },
    },
    effects,
  };
}

/**
 * Kafka's `maybeElectNewJoinedLeader`: a leader that did not rejoin (a static member kept in the group)
 * cannot compute the assignment, so the first member that did rejoin leads instead.
 */
export function joinedLeader(group: ClassicGroupData): string | null {
  const leader = group.leaderId === null ? undefined : group.members[group.leaderId];
  if (leader !== undefined && leader.awaitingJoin !== null) return leader.memberId;
  return membersRejoined(group)[0]?.memberId ?? group.leaderId;
}

/** Members that rejoined in this join phase (every dynamic member that remains when it completes now). */
export function membersRejoined(group: ClassicGroupData): ClassicGroupMember[] {
  return memberList(group).filter((member) => member.awaitingJoin !== null);
}

/** Removes members, answering what they had parked and stopping their timers; a new leader is the next member. */
export function removeMembers(group: ClassicGroupData, memberIds: readonly string[], parkedError: ErrorName = 'UNKNOWN_MEMBER_ID'): Outcome<ClassicGroupData> {
  const effects: GroupEffect[] = [];
  const members = { ...group.members };
  for (const memberId of memberIds) {
    const member = members[memberId];
    if (member === undefined) continue;
    if (member.awaitingJoin !== null) effects.push({ kind: 'respond', ref: member.awaitingJoin, body: joinErrorBody(parkedError, memberId) });
    if (member.awaitingSync !== null) effects.push({ kind: 'respond', ref: member.awaitingSync, body: syncErrorBody(parkedError) });
    effects.push(
      { kind: 'cancelTimer', event: { type: 'timer.sessionExpired', memberId } },
      { kind: 'cancelTimer', event: { type: 'timer.newMemberJoinExpired', memberId } },
    );
    delete members[memberId];
  }
  const remaining = Object.keys(members);
  const leaderId = group.leaderId !== null && members[group.leaderId] !== undefined ? group.leaderId : (remaining[0] ?? null);
  return {
    group: { ...group, members, leaderId, pendingSyncMemberIds: group.pendingSyncMemberIds.filter((id) => members[id] !== undefined) },
    effects,
  };
}

export function syncErrorBody(errorName: ErrorName): ResponseBody<'syncGroup'> {
  return { throttleTimeMs: 0, errorCode: errorByName(errorName).code, protocolType: null, protocolName: null, assignment: noBytes };
}

/** The GroupMetadata record of the group as it is: what a restarted coordinator loads. */
export function groupMetadataValue(group: ClassicGroupData): GroupMetadataValue {
  return {
    protocolType: group.protocolType ?? '',
    generationId: group.generationId,
    protocolName: group.protocolName,
    leaderId: group.leaderId,
    currentStateTimestampMs: group.currentStateTimestampMs,
    members: memberList(group).map((member) => ({
      memberId: member.memberId,
      groupInstanceId: member.groupInstanceId,
      clientId: member.clientId,
      clientHost: member.clientHost,
      rebalanceTimeoutMs: member.rebalanceTimeoutMs,
      sessionTimeoutMs: member.sessionTimeoutMs,
      subscription: selectedMetadata(group, member),
      assignment: member.assignment,
    })),
  };
}

/**
 * Kafka's `onCompleteJoin`: members that did not rejoin are removed, the generation advances and a protocol
 * is chosen; every member gets its JoinGroup answer (the leader with the member list), its session timer
 * restarts, and all must send SyncGroup within the rebalance timeout. With nobody left the group is Empty,
 * which is written down.
 */
export function completeJoin(group: ClassicGroupData, nowMs: number): Outcome<ClassicGroupData> {
  // Static members that missed the join phase stay (KIP-345): only their session timeout or a LeaveGroup removes them.
  const laggards = memberList(group)
    .filter((member) => member.awaitingJoin === null && member.groupInstanceId === null)
    .map((member) => member.memberId);
  const removed = removeMembers(group, laggards);
  const effects = [...removed.effects];
  let next: ClassicGroupData = { ...removed.group, generationId: group.generationId + 1, currentStateTimestampMs: nowMs, leaderId: joinedLeader(removed.group) };
  const members = memberList(next);
  if (members.length === 0) {
    next = { ...next, protocolName: null, leaderId: null, pendingSyncMemberIds: [] };
    effects.push({ kind: 'append', records: [{ type: 'GroupMetadata', groupId: next.groupId, value: groupMetadataValue(next) }], purpose: { kind: 'groupMetadata', generationId: next.generationId } });
    return { group: next, effects };
  }
  next = { ...next, protocolName: selectProtocol(next), protocolType: members[0]?.protocolType ?? next.protocolType };
  const answered: Record<string, ClassicGroupMember> = {};
  for (const member of members) {
    const updated = { ...member, awaitingJoin: null, isNew: false, assignment: noBytes };
    answered[member.memberId] = updated;
    if (member.awaitingJoin !== null) effects.push({ kind: 'respond', ref: member.awaitingJoin, body: joinAnswer(next, updated) });
    effects.push({ kind: 'cancelTimer', event: { type: 'timer.newMemberJoinExpired', memberId: member.memberId } }, sessionTimer(member));
  }
  next = { ...next, members: answered, pendingSyncMemberIds: members.map((member) => member.memberId) };
  effects.push({ kind: 'startTimer', event: { type: 'timer.pendingSyncExpired', generationId: next.generationId }, delayMs: rebalanceTimeoutMs(next) });
  return { group: next, effects };
}

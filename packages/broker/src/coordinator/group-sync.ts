/**
 * SyncGroup, Heartbeat and LeaveGroup of a classic group as pure functions (Kafka's `classicGroupSync*`,
 * `classicGroupHeartbeat`, `classicGroupLeave`).
 */
import type { ErrorName, RequestBody, ResponseBody } from '@kactor/protocol';
import { errorByName } from '@kactor/protocol';
import type { RequestRef } from '@kactor/runtime';
import { memberList, type ClassicGroupData, type ClassicGroupStateName } from './classic-group.js';
import type { GroupEffect, Outcome } from './group-effects.js';
import { groupMetadataValue, removeMembers, sessionTimer, syncErrorBody } from './group-join.js';
import type { GroupMetadataValue } from './group-records.js';
import { memberProblem, staticMemberId } from './static-members.js';

const noBytes = new Uint8Array(0);

/** What makes a SyncGroup fail before it is looked at (in Kafka's order of checks). */
export function syncProblem(group: ClassicGroupData, state: ClassicGroupStateName, request: RequestBody<'syncGroup'>): ErrorName | undefined {
  if (state === 'Dead') return 'COORDINATOR_NOT_AVAILABLE';
  if (state === 'Empty') return 'UNKNOWN_MEMBER_ID';
  const member = memberProblem(group, request.memberId, request.groupInstanceId);
  if (member !== undefined) return member;
  if (request.generationId !== group.generationId) return 'ILLEGAL_GENERATION';
  if ((request.protocolType !== null && request.protocolType !== group.protocolType) || (request.protocolName !== null && request.protocolName !== group.protocolName)) {
    return 'INCONSISTENT_GROUP_PROTOCOL';
  }
  if (state === 'PreparingRebalance') return 'REBALANCE_IN_PROGRESS';
  return undefined;
}

export function syncAnswer(group: ClassicGroupData, assignment: Uint8Array): ResponseBody<'syncGroup'> {
  return { throttleTimeMs: 0, errorCode: 0, protocolType: group.protocolType, protocolName: group.protocolName, assignment };
}

/** In CompletingRebalance every SyncGroup waits for the leader's; the member's session restarts. */
export function parkSync(group: ClassicGroupData, ref: RequestRef, memberId: string): Outcome<ClassicGroupData> {
  const member = group.members[memberId];
  if (member === undefined) return { group, effects: [] };
  const effects: GroupEffect[] = [sessionTimer(member)];
  if (member.awaitingSync !== null) effects.push({ kind: 'respond', ref: member.awaitingSync, body: syncErrorBody('REBALANCE_IN_PROGRESS') });
  return {
    group: {
      ...group,
      members: { ...group.members, [memberId]: { ...member, awaitingSync: ref } },
      pendingSyncMemberIds: group.pendingSyncMemberIds.filter((id) => id !== memberId),
    },
    effects,
  };
}

/**
 * The leader's SyncGroup carries everyone's assignment (members it left out get an empty one). The group
 * is written with it first; only once appended do the members get their assignments (see applyAssignments).
 */
export function proposeAssignments(group: ClassicGroupData, request: RequestBody<'syncGroup'>): { value: GroupMetadataValue; effects: GroupEffect[] } {
  const assignments = new Map(request.assignments.map((entry) => [entry.memberId, entry.assignment]));
  const proposed: ClassicGroupData = {
    ...group,
    members: Object.fromEntries(memberList(group).map((member) => [member.memberId, { ...member, assignment: assignments.get(member.memberId) ?? noBytes }])),
  };
  const value = groupMetadataValue(proposed);
  return {
    value,
    effects: [{ kind: 'append', records: [{ type: 'GroupMetadata', groupId: group.groupId, value }], purpose: { kind: 'groupMetadata', generationId: group.generationId } }],
  };
}

/** The GroupMetadata record is in the log: members take their assignments and every waiting SyncGroup is answered. */
export function applyAssignments(group: ClassicGroupData, value: GroupMetadataValue, nowMs: number): Outcome<ClassicGroupData> {
  const assignments = new Map(value.members.map((member) => [member.memberId, member.assignment]));
  const effects: GroupEffect[] = [];
  const members = Object.fromEntries(
    memberList(group).map((member) => {
      const assignment = assignments.get(member.memberId) ?? noBytes;
      if (member.awaitingSync !== null) effects.push({ kind: 'respond', ref: member.awaitingSync, body: syncAnswer(group, assignment) });
      return [member.memberId, { ...member, assignment, awaitingSync: null }];
    }),
  );
  return { group: { ...group, members, currentStateTimestampMs: nowMs }, effects };
}

/** Leaving CompletingRebalance for another round: waiting SyncGroups are told to rejoin, assignments are void. */
export function failParkedSyncs(group: ClassicGroupData, errorName: ErrorName): Outcome<ClassicGroupData> {
  const effects: GroupEffect[] = [];
  const members = Object.fromEntries(
    memberList(group).map((member) => {
      if (member.awaitingSync !== null) effects.push({ kind: 'respond', ref: member.awaitingSync, body: syncErrorBody(errorName) });
      return [member.memberId, { ...member, awaitingSync: null, assignment: noBytes }];
    }),
  );
  return { group: { ...group, members }, effects };
}

export function heartbeatBody(errorName: ErrorName): ResponseBody<'heartbeat'> {
  return { throttleTimeMs: 0, errorCode: errorByName(errorName).code };
}

/**
 * Kafka's heartbeat checks: unknown members and other generations are refused; during PreparingRebalance
 * the member is told to rejoin (its session still counts as alive); otherwise its session restarts.
 */
export function heartbeat(group: ClassicGroupData, state: ClassicGroupStateName, ref: RequestRef, request: RequestBody<'heartbeat'>): GroupEffect[] {
  if (state === 'Dead') return [heartbeatAnswer(ref, 'COORDINATOR_NOT_AVAILABLE')];
  const member = group.members[request.memberId];
  const problem = state === 'Empty' ? 'UNKNOWN_MEMBER_ID' : memberProblem(group, request.memberId, request.groupInstanceId);
  if (problem !== undefined || member === undefined) return [heartbeatAnswer(ref, problem ?? 'UNKNOWN_MEMBER_ID')];
  if (request.generationId !== group.generationId) return [heartbeatAnswer(ref, 'ILLEGAL_GENERATION')];
  return [sessionTimer(member), heartbeatAnswer(ref, state === 'PreparingRebalance' ? 'REBALANCE_IN_PROGRESS' : 'NONE')];
}

function heartbeatAnswer(ref: RequestRef, errorName: ErrorName): GroupEffect {
  return { kind: 'respond', ref, body: heartbeatBody(errorName) };
}

/**
 * LeaveGroup for each listed member (Kafka's `classicGroupLeaveToClassicGroup`): an empty member id with a
 * group.instance.id is an admin removing a static member (KIP-345, `removeMembersFromConsumerGroup`);
 * pending members are forgotten; known members are removed after Kafka's `validateMember`
 * (FENCED_INSTANCE_ID for an older incarnation of a static member); the others get UNKNOWN_MEMBER_ID.
 */
export function leave(group: ClassicGroupData, ref: RequestRef, request: RequestBody<'leaveGroup'>): Outcome<ClassicGroupData> & { removedMembers: number } {
  const results: ResponseBody<'leaveGroup'>['members'] = [];
  const toRemove: string[] = [];
  let pendingMemberIds = group.pendingMemberIds;
  const effects: GroupEffect[] = [];
  for (const leaving of request.members) {
    let errorName: ErrorName = 'NONE';
    if (leaving.memberId === '') {
      const mapped = leaving.groupInstanceId === null ? undefined : staticMemberId(group, leaving.groupInstanceId);
      if (mapped === undefined) errorName = 'UNKNOWN_MEMBER_ID';
      else toRemove.push(mapped);
    } else if (pendingMemberIds.includes(leaving.memberId)) {
      pendingMemberIds = pendingMemberIds.filter((id) => id !== leaving.memberId);
      effects.push({ kind: 'cancelTimer', event: { type: 'timer.pendingMemberExpired', memberId: leaving.memberId } });
    } else {
      errorName = memberProblem(group, leaving.memberId, leaving.groupInstanceId) ?? 'NONE';
      if (errorName === 'NONE') toRemove.push(leaving.memberId);
    }
    results.push({ memberId: leaving.memberId, groupInstanceId: leaving.groupInstanceId, errorCode: errorByName(errorName).code });
  }
  const removed = removeMembers({ ...group, pendingMemberIds }, toRemove);
  const body: ResponseBody<'leaveGroup'> = { throttleTimeMs: 0, errorCode: 0, members: results };
  return { group: removed.group, effects: [...effects, ...removed.effects, { kind: 'respond', ref, body }], removedMembers: toRemove.length };
}

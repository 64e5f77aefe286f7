/**
 * Static membership (KIP-345, https://cwiki.apache.org/confluence/x/1KaKBg) on the classic coordinator, as
 * Kafka's ClassicGroup and GroupMetadataManager apply it:
 *
 * - a member with a `group.instance.id` joins without the MEMBER_ID_REQUIRED round trip (KIP-394 is for
 *   dynamic members only); an instance id already in the group means a restarted member: it takes over a
 *   new member id and the old id is fenced (`replaceStaticMember`);
 * - a request naming an instance id with another member id than the group maps it to gets
 *   FENCED_INSTANCE_ID (`validateMember`);
 * - static members stay in the group when a join phase completes without them: only their session
 *   timeout or a LeaveGroup naming their instance id removes them.
 *
 * The instance id → member id mapping is not stored separately: each member carries its
 * `groupInstanceId`, which the GroupMetadata record also carries (Kafka's GroupMetadataValue
 * `group_instance_id`), so replay restores it.
 */
import type { ErrorName, RequestBody } from '@kactor/protocol';
import type { RequestRef } from '@kactor/runtime';
import { memberList, memberProblem, newMemberId, selectProtocol, staticMemberId, type ClassicGroupData, type ClassicGroupMember, type GroupProtocol } from './classic-group.js';
import type { GroupEffect, Outcome } from './group-effects.js';
import { groupMetadataValue, joinAnswer, joinErrorBody, sessionTimer, syncErrorBody } from './group-join.js';
import { appendErrorForCommit } from './group-offsets.js';

export { memberProblem, staticMemberId };

/** A JoinGroup of a static member without a member id whose instance id the group already knows. */
export function isStaticRejoin(group: ClassicGroupData, request: RequestBody<'joinGroup'>): boolean {
  return request.memberId === '' && request.groupInstanceId !== null && staticMemberId(group, request.groupInstanceId) !== undefined;
}

/** A new static member: its id is `instanceId-unique` (Kafka's `generateMemberId`). */
export function staticJoinMemberId(request: RequestBody<'joinGroup'>, unique: string): string {
  return newMemberId(request.groupInstanceId ?? request.clientId, unique);
}

/**
 * Kafka's `replaceStaticMember`: the member under `oldMemberId` continues as `newMemberId` with everything
 * it had (its assignment too, so a SyncGroup in Stable returns the same partitions). Whatever the old
 * incarnation still waits on is answered FENCED_INSTANCE_ID and its timers stop; the leadership moves with
 * it. The member keeps its place in the member order so that leader succession does not change.
 */
export function replaceStaticMember(group: ClassicGroupData, oldMemberId: string, newMemberId: string): Outcome<ClassicGroupData> {
  const old = group.members[oldMemberId];
  if (old === undefined) return { group, effects: [] };
  const effects: GroupEffect[] = [
    { kind: 'cancelTimer', event: { type: 'timer.sessionExpired', memberId: oldMemberId } },
    { kind: 'cancelTimer', event: { type: 'timer.newMemberJoinExpired', memberId: oldMemberId } },
  ];
  if (old.awaitingJoin !== null) effects.push({ kind: 'respond', ref: old.awaitingJoin, body: joinErrorBody('FENCED_INSTANCE_ID', oldMemberId) });
  if (old.awaitingSync !== null) effects.push({ kind: 'respond', ref: old.awaitingSync, body: syncErrorBody('FENCED_INSTANCE_ID') });
  const replacement: ClassicGroupMember = { ...old, memberId: newMemberId, awaitingJoin: null, awaitingSync: null };
  const members = Object.fromEntries(memberList(group).map((member) => (member.memberId === oldMemberId ? [newMemberId, replacement] : [member.memberId, member])));
  effects.push(sessionTimer(replacement));
  return {
    group: {
      ...group,
      members,
      leaderId: group.leaderId === oldMemberId ? newMemberId : group.leaderId,
      pendingSyncMemberIds: group.pendingSyncMemberIds.map((id) => (id === oldMemberId ? newMemberId : id)),
    },
    effects,
  };
}

/** The restarted member's JoinGroup: new timeouts and protocols, and its JoinGroup waits (Kafka's `updateMember`). */
export function withJoinRequest(group: ClassicGroupData, memberId: string, ref: RequestRef, request: RequestBody<'joinGroup'>): ClassicGroupData {
  const member = group.members[memberId];
  if (member === undefined) return group;
  const protocols: GroupProtocol[] = request.protocols.map((protocol) => ({ name: protocol.name, metadata: protocol.metadata }));
  return {
    ...group,
    members: { ...group.members, [memberId]: { ...member, rebalanceTimeoutMs: request.rebalanceTimeoutMs, sessionTimeoutMs: request.sessionTimeoutMs, protocols, awaitingJoin: ref } },
  };
}

/** In Stable, a restarted static member whose protocols leave the group's selected protocol as it is needs no rebalance. */
export function replacementKeepsProtocol(group: ClassicGroupData, request: RequestBody<'joinGroup'>): boolean {
  const oldMemberId = request.groupInstanceId === null ? undefined : staticMemberId(group, request.groupInstanceId);
  if (oldMemberId === undefined) return false;
  const probe: ClassicGroupData = { ...group, members: { ...group.members, [oldMemberId]: { ...(group.members[oldMemberId] as ClassicGroupMember), protocols: request.protocols } } };
  return group.protocolName !== null && selectProtocol(probe) === group.protocolName;
}

/** What the actor needs to finish (or undo) a replacement without rebalance once its record is appended. */
export interface StaticReplacement {
  ref: RequestRef;
  oldMemberId: string;
  newMemberId: string;
  old: Pick<ClassicGroupMember, 'protocols' | 'rebalanceTimeoutMs' | 'sessionTimeoutMs'>;
}

/**
 * Stable, protocol unchanged: the member is replaced and the group written down with the new member id;
 * the JoinGroup is answered only once that record is appended (see `completeStaticReplacement`).
 */
export function replaceWithoutRebalance(group: ClassicGroupData, ref: RequestRef, request: RequestBody<'joinGroup'>, unique: string): Outcome<ClassicGroupData> {
  const oldMemberId = request.groupInstanceId === null ? undefined : staticMemberId(group, request.groupInstanceId);
  const old = oldMemberId === undefined ? undefined : group.members[oldMemberId];
  if (oldMemberId === undefined || old === undefined) return { group, effects: [] };
  const memberId = staticJoinMemberId(request, unique);
  const replaced = replaceStaticMember(group, oldMemberId, memberId);
  const next = withJoinRequest(replaced.group, memberId, ref, request);
  const replacement: StaticReplacement = { ref, oldMemberId, newMemberId: memberId, old: { protocols: old.protocols, rebalanceTimeoutMs: old.rebalanceTimeoutMs, sessionTimeoutMs: old.sessionTimeoutMs } };
  return {
    group: next,
    effects: [
      ...replaced.effects,
      { kind: 'append', records: [{ type: 'GroupMetadata', groupId: group.groupId, value: groupMetadataValue(next) }], purpose: { kind: 'staticReplacement', replacement } },
    ],
  };
}

/** Replacement during a rebalance (or with a protocol change): the new id joins the rebalance in the old one's place. */
export function replaceForRebalance(group: ClassicGroupData, ref: RequestRef, request: RequestBody<'joinGroup'>, unique: string): Outcome<ClassicGroupData> {
  const oldMemberId = request.groupInstanceId === null ? undefined : staticMemberId(group, request.groupInstanceId);
  if (oldMemberId === undefined) return { group, effects: [] };
  const memberId = staticJoinMemberId(request, unique);
  const replaced = replaceStaticMember(group, oldMemberId, memberId);
  return { group: withJoinRequest(replaced.group, memberId, ref, request), effects: replaced.effects };
}

/**
 * The record is in the log: the member gets the current generation. The leader also gets the member list
 * with skipAssignment=true, so it knows the group without computing an assignment (KIP-345's
 * `SkipAssignment`, JoinGroup v9): the assignment the group holds stays in force.
 */
export function completeStaticReplacement(group: ClassicGroupData, replacement: StaticReplacement): Outcome<ClassicGroupData> {
  const member = group.members[replacement.newMemberId];
  if (member === undefined || member.awaitingJoin?.correlationId !== replacement.ref.correlationId || member.awaitingJoin.connectionId !== replacement.ref.connectionId) {
    return { group, effects: [] };
  }
  const isLeader = group.leaderId === member.memberId;
  const body = { ...joinAnswer(group, member), skipAssignment: isLeader };
  return {
    group: { ...group, members: { ...group.members, [member.memberId]: { ...member, awaitingJoin: null } } },
    effects: [{ kind: 'respond', ref: replacement.ref, body }],
  };
}

/** The record could not be written: the old member id is restored and the JoinGroup fails with the append's error. */
export function revertStaticReplacement(group: ClassicGroupData, replacement: StaticReplacement, appendError: ErrorName): Outcome<ClassicGroupData> {
  const errorName = appendErrorForGroupMetadata(appendError);
  const current = group.members[replacement.newMemberId];
  const respond: GroupEffect = { kind: 'respond', ref: replacement.ref, body: joinErrorBody(errorName, '') };
  // Replaced again, removed, or swept into a rebalance meanwhile: its JoinGroup was answered then, and that stands.
  if (current === undefined || current.awaitingJoin?.correlationId !== replacement.ref.correlationId || current.awaitingJoin.connectionId !== replacement.ref.connectionId) {
    return { group, effects: [] };
  }
  const restoredProtocols = { ...current, ...replacement.old, awaitingJoin: null };
  const reverted = replaceStaticMember({ ...group, members: { ...group.members, [current.memberId]: restoredProtocols } }, replacement.newMemberId, replacement.oldMemberId);
  return { group: reverted.group, effects: [...reverted.effects.filter((effect) => effect.kind !== 'respond'), respond] };
}

/** Kafka's `appendGroupMetadataErrorToResponseError`: as for commits, except that a too-large record is a server error. */
export function appendErrorForGroupMetadata(errorName: ErrorName): ErrorName {
  const mapped = appendErrorForCommit(errorName);
  return mapped === 'INVALID_COMMIT_OFFSET_SIZE' ? 'UNKNOWN_SERVER_ERROR' : mapped;
}

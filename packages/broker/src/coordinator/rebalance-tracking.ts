/**
 * Where the group statechart's named bookkeeping actions meet the rebalance log: each function takes the
 * log, the group as the action sees it, the event and the clock's time, and returns the new log. Nothing
 * here decides a transition (see rebalance-log.ts for what a record is).
 */
import type { GroupMetadataValue, GroupRebalanceTrigger, RequestBody } from '@kactor/protocol';
import { memberList, selectedMetadata, staticMemberId, type ClassicGroupData } from './classic-group.js';
import { noteAssignments, noteJoin, openRebalance, type RebalanceLog } from './rebalance-log.js';
import { leaveTrigger, rejoinTrigger, subscriptionChanged } from './rebalance-record.js';

/** The events that can start a rebalance (a structural slice of the group machine's events). */
export type RebalanceCauseEvent =
  | { type: 'request.joinGroup'; body: RequestBody<'joinGroup'> }
  | { type: 'request.leaveGroup'; body: RequestBody<'leaveGroup'> }
  | { type: 'timer.sessionExpired'; memberId: string }
  | { type: 'timer.pendingSyncExpired' }
  | { type: 'request.syncGroup'; body: RequestBody<'syncGroup'> }
  | { type: string };

/**
 * What started a rebalance, from the event that made the group leave Stable (or Empty) and the group as it
 * was before it: a member that is new, a restarted static member, a known member rejoining (classified by
 * its subscription bytes and reason), a LeaveGroup, an expired session, a missing SyncGroup. Null for
 * events that end the group instead (unload, deletion).
 */
export function rebalanceCause(group: ClassicGroupData, event: RebalanceCauseEvent): { trigger: GroupRebalanceTrigger; reason: string | null } | null {
  if (event.type === 'request.joinGroup' && 'body' in event && 'protocols' in event.body) {
    const body = event.body;
    if (body.memberId === '') {
      const replaces = body.groupInstanceId !== null && staticMemberId(group, body.groupInstanceId) !== undefined;
      return { trigger: replaces ? 'static-member-replaced' : 'join', reason: body.reason };
    }
    const member = group.members[body.memberId];
    if (member === undefined) return { trigger: 'join', reason: body.reason };
    const changed = subscriptionChanged(group.protocolType, selectedMetadata(group, member), body, group.protocolName);
    return { trigger: rejoinTrigger(body.reason, changed), reason: body.reason };
  }
  if (event.type === 'request.leaveGroup' && 'body' in event && 'members' in event.body) {
    const leaving = event.body.members.find((member) => (member.memberId === '' ? member.groupInstanceId !== null : group.members[member.memberId] !== undefined)) ?? event.body.members[0];
    return leaving === undefined ? null : { trigger: leaveTrigger(leaving.memberId, leaving.reason), reason: leaving.reason };
  }
  if (event.type === 'timer.sessionExpired' && 'memberId' in event) return { trigger: 'session-timeout', reason: `member ${event.memberId} sent no heartbeat within its session timeout` };
  if (event.type === 'timer.pendingSyncExpired') return { trigger: 'sync-timeout', reason: 'members did not send SyncGroup within the rebalance timeout' };
  return null;
}


function joinBody(event: RebalanceCauseEvent): RequestBody<'joinGroup'> | undefined {
  return event.type === 'request.joinGroup' && 'body' in event && 'protocols' in event.body ? event.body : undefined;
}

/** Exit of Stable or Empty: opens a record with the cause (an open record, the cooperative second round, continues). */
export function atTrigger(log: RebalanceLog, group: ClassicGroupData, event: RebalanceCauseEvent, nowMs: number): RebalanceLog {
  const cause = rebalanceCause(group, event);
  if (cause === null) return log;
  return atJoin(openRebalance(log, group, cause.trigger, cause.reason, nowMs), group, event, nowMs);
}

/** A JoinGroup during the rebalance. */
export function atJoin(log: RebalanceLog, group: ClassicGroupData, event: RebalanceCauseEvent, nowMs: number): RebalanceLog {
  const body = joinBody(event);
  return body === undefined ? log : noteJoin(log, group, body, nowMs);
}

/** The leader's assignment is written: every parked SyncGroup gets its member's share now. */
export function atAssignmentsAppended(log: RebalanceLog, group: ClassicGroupData, value: GroupMetadataValue | null, nowMs: number): RebalanceLog {
  if (value === null) return log;
  const assignments = new Map(value.members.map((member) => [member.memberId, member.assignment]));
  const answered = memberList(group)
    .filter((member) => member.awaitingSync !== null)
    .map((member) => ({ member, assignment: assignments.get(member.memberId) ?? new Uint8Array(0) }));
  return noteAssignments(log, group, answered, nowMs);
}

/** A SyncGroup answered in Stable with the member's stored assignment. */
export function atSyncAnswer(log: RebalanceLog, group: ClassicGroupData, event: RebalanceCauseEvent, nowMs: number): RebalanceLog {
  const member = event.type === 'request.syncGroup' && 'body' in event ? group.members[(event.body as RequestBody<'syncGroup'>).memberId] : undefined;
  return member === undefined ? log : noteAssignments(log, group, [{ member, assignment: member.assignment }], nowMs);
}

/**
 * The record of every rebalance of one group, kept by its group actor beside the group (never in
 * `__consumer_offsets`: it is an observation, not group state, and a coordinator that restarts starts a
 * fresh history). Named actions of the group statechart call these pure functions; none of them decides a
 * transition.
 *
 * One record runs from the trigger (the group leaves Stable or Empty) until the group is Stable again with
 * every member holding its assignment and no revocation outstanding. A cooperative rebalance (KIP-429)
 * whose first round took partitions away is followed at once by the revoking members' rejoin: that
 * second round continues the same record, so the record spans both generations.
 */
import type { GroupRebalanceRecord, GroupRebalanceTrigger, RequestBody } from '@kactor/protocol';
import { wireLimits } from '@kactor/protocol';
import { memberList, type ClassicGroupData, type ClassicGroupMember, type ClassicGroupStateName } from './classic-group.js';
import {
  assignedPartitions,
  groupByTopic,
  memberPauses,
  minus,
  partitionKey,
  partitionsMoved,
  rebalanceProtocolOf,
  subscriptionOf,
  type AssignmentReceipt,
  type RebalanceProtocol,
  type TopicPartition,
} from './rebalance-record.js';

/** Records kept per group, oldest dropped first (docs/LIMITS.md). */
export const MAX_REBALANCE_RECORDS_PER_GROUP = wireLimits.maxRebalanceRecordsPerGroup;
/** Generations (and assignment receipts per member) one record keeps; a rebalance restarted more often keeps its last ones. */
export const MAX_GENERATIONS_PER_REBALANCE = wireLimits.maxRebalanceGenerationsPerRecord;

interface OpenMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  /** Null for a member that was not in the group when the rebalance started. */
  owned: TopicPartition[] | null;
  declaredOwned: TopicPartition[] | null;
  joinMs: number | null;
  receipts: AssignmentReceipt[];
}

export interface OpenRebalance {
  sequence: number;
  trigger: GroupRebalanceTrigger;
  reason: string | null;
  fromGeneration: number;
  generations: number[];
  startMs: number;
  protocolName: string | null;
  /** By member key (instance id for static members, so a restarted member stays one entry). */
  members: Record<string, OpenMember>;
}

export interface RebalanceLog {
  nextSequence: number;
  open: OpenRebalance | null;
  /** Oldest first, at most MAX_REBALANCE_RECORDS_PER_GROUP. */
  records: GroupRebalanceRecord[];
}

export function emptyRebalanceLog(): RebalanceLog {
  return { nextSequence: 1, open: null, records: [] };
}

export const memberKey = (member: { memberId: string; groupInstanceId: string | null }) =>
  member.groupInstanceId !== null ? `instance:${member.groupInstanceId}` : `member:${member.memberId}`;

const keepLast = <T>(items: T[], max: number) => (items.length > max ? items.slice(items.length - max) : items);

/**
 * A rebalance that never settles while members come and go would list every member it ever saw, past what a
 * DescribeRebalances answer may carry (wireLimits.maxGroupMembers) and without bound in memory. Past that
 * bound the members that have left the group are forgotten; those still in it are at most group.max.size.
 */
function boundedMembers(members: Record<string, OpenMember>, group: ClassicGroupData, noted: string): Record<string, OpenMember> {
  if (Object.keys(members).length <= wireLimits.maxGroupMembers) return members;
  const current = new Set(memberList(group).map(memberKey));
  return Object.fromEntries(Object.entries(members).filter(([key]) => key === noted || current.has(key)));
}

/** Opens a record at the trigger, with what every member holds now; an open record (a second cooperative round) continues. */
export function openRebalance(log: RebalanceLog, group: ClassicGroupData, trigger: GroupRebalanceTrigger, reason: string | null, nowMs: number): RebalanceLog {
  if (log.open !== null) return log;
  const members: Record<string, OpenMember> = {};
  for (const member of memberList(group)) {
    members[memberKey(member)] = {
      memberId: member.memberId,
      groupInstanceId: member.groupInstanceId,
      clientId: member.clientId,
      owned: assignedPartitions(group.protocolType, member.assignment),
      declaredOwned: null,
      joinMs: null,
      receipts: [],
    };
  }
  const open: OpenRebalance = {
    sequence: log.nextSequence,
    trigger,
    reason,
    fromGeneration: group.generationId,
    generations: [],
    startMs: nowMs,
    protocolName: group.protocolName,
    members,
  };
  return { ...log, nextSequence: log.nextSequence + 1, open };
}

/** A JoinGroup arrived during the rebalance: the first one of each member starts its EAGER pause and says what it still owns. */
export function noteJoin(log: RebalanceLog, group: ClassicGroupData, request: RequestBody<'joinGroup'>, nowMs: number): RebalanceLog {
  if (log.open === null) return log;
  const key = memberKey(request);
  const existing = log.open.members[key];
  if (existing !== undefined && existing.joinMs !== null) return log;
  const metadata = (request.protocols.find((protocol) => protocol.name === group.protocolName) ?? request.protocols[0])?.metadata;
  const declared = metadata === undefined ? null : (subscriptionOf(request.protocolType, metadata)?.ownedPartitions ?? null);
  const member: OpenMember = existing ?? { memberId: request.memberId, groupInstanceId: request.groupInstanceId, clientId: request.clientId, owned: null, declaredOwned: null, joinMs: null, receipts: [] };
  const members = boundedMembers({ ...log.open.members, [key]: { ...member, joinMs: nowMs, declaredOwned: declared } }, group, key);
  return { ...log, open: { ...log.open, members } };
}

/** The join phase completed into a new generation (or into Empty). */
export function noteGeneration(log: RebalanceLog, group: ClassicGroupData): RebalanceLog {
  if (log.open === null || log.open.generations.includes(group.generationId)) return log;
  return {
    ...log,
    open: { ...log.open, generations: keepLast([...log.open.generations, group.generationId], MAX_GENERATIONS_PER_REBALANCE), protocolName: group.protocolName ?? log.open.protocolName },
  };
}

/** SyncGroup answers with assignments went out to these members now. */
export function noteAssignments(log: RebalanceLog, group: ClassicGroupData, answered: ReadonlyArray<{ member: ClassicGroupMember; assignment: Uint8Array }>, nowMs: number): RebalanceLog {
  if (log.open === null || answered.length === 0) return log;
  const members = { ...log.open.members };
  for (const { member, assignment } of answered) {
    const key = memberKey(member);
    const entry = members[key] ?? { memberId: member.memberId, groupInstanceId: member.groupInstanceId, clientId: member.clientId, owned: null, declaredOwned: null, joinMs: null, receipts: [] };
    const receipt: AssignmentReceipt = { atMs: nowMs, generationId: group.generationId, partitions: assignedPartitions(group.protocolType, assignment) };
    members[key] = { ...entry, memberId: member.memberId, clientId: member.clientId, receipts: keepLast([...entry.receipts, receipt], MAX_GENERATIONS_PER_REBALANCE) };
  }
  return { ...log, open: { ...log.open, members } };
}

/** The partitions a member's latest assignment took away from what it held just before. */
function revokedByLatestReceipt(member: OpenMember): TopicPartition[] {
  const latest = member.receipts.at(-1);
  if (latest === undefined) return [];
  const heldBefore = member.receipts.at(-2)?.partitions ?? member.declaredOwned ?? member.owned ?? [];
  return minus(heldBefore, latest.partitions);
}

/**
 * Closes the record when the rebalance is over: the group is Empty, or Stable with every member's
 * SyncGroup answered and, under COOPERATIVE, no member that just gave partitions up (those rejoin for the
 * second round, which continues this record).
 */
export function settle(log: RebalanceLog, group: ClassicGroupData, state: ClassicGroupStateName, nowMs: number): RebalanceLog {
  const open = log.open;
  if (open === null) return log;
  if (state !== 'Empty' && (state !== 'Stable' || group.pendingSyncMemberIds.length > 0)) return log;
  const current = new Set(memberList(group).map(memberKey));
  const protocol = rebalanceProtocolOf(state === 'Empty' ? open.protocolName : group.protocolName);
  if (state === 'Stable' && protocol === 'COOPERATIVE') {
    const outstanding = Object.entries(open.members).some(
      ([key, member]) => current.has(key) && member.receipts.at(-1)?.generationId === group.generationId && revokedByLatestReceipt(member).length > 0,
    );
    if (outstanding) return log;
  }
  const record = closeRecord(group, noteGeneration(log, group).open ?? open, current, protocol, nowMs);
  return { ...log, open: null, records: keepLast([...log.records, record], MAX_REBALANCE_RECORDS_PER_GROUP) };
}

function closeRecord(group: ClassicGroupData, open: OpenRebalance, current: ReadonlySet<string>, protocol: RebalanceProtocol, endMs: number): GroupRebalanceRecord {
  const byKey = new Map(memberList(group).map((member) => [memberKey(member), member]));
  return closeRebalanceRecord(open, endMs, {
    groupId: group.groupId,
    protocol,
    pauseProtocol: protocol,
    protocolName: group.protocolName ?? open.protocolName,
    toGeneration: group.generationId,
    memberAtEnd: (key) => {
      const remained = current.has(key);
      const now = byKey.get(key);
      return { memberId: now?.memberId, assigned: remained && now !== undefined ? assignedPartitions(group.protocolType, now.assignment) : [], remained };
    },
  });
}

/** What closing a record needs from the group it belongs to, classic or consumer (rebalance-consumer.ts). */
export interface SettledGroup {
  groupId: string;
  protocol: GroupRebalanceRecord['protocol'];
  /** How members' paused time is counted: a consumer group's members keep what they own while they reconcile (COOPERATIVE). */
  pauseProtocol: RebalanceProtocol;
  protocolName: string | null;
  toGeneration: number;
  /** The member of this key at the end: its current id (undefined once gone), what it holds, and whether it stayed. */
  memberAtEnd(key: string): { memberId: string | undefined; assigned: TopicPartition[]; remained: boolean };
}

/** The record of an open rebalance that just ended: each member's owned and assigned partitions, its pauses, and the partitions that moved. */
export function closeRebalanceRecord(open: OpenRebalance, endMs: number, group: SettledGroup): GroupRebalanceRecord {
  const ownersBefore = new Map<string, string>();
  const ownersAfter = new Map<string, string>();
  const members = Object.entries(open.members).map(([key, entry]) => {
    const { memberId, assigned, remained } = group.memberAtEnd(key);
    const owned = entry.owned ?? entry.declaredOwned ?? [];
    for (const tp of owned) ownersBefore.set(partitionKey(tp), key);
    for (const tp of assigned) ownersAfter.set(partitionKey(tp), key);
    const pauses = memberPauses({ protocol: group.pauseProtocol, owned, declaredOwned: entry.declaredOwned, joinMs: entry.joinMs, receipts: entry.receipts, remained, startMs: open.startMs, endMs });
    return {
      memberId: memberId ?? entry.memberId,
      groupInstanceId: entry.groupInstanceId,
      clientId: entry.clientId,
      owned: groupByTopic(owned),
      assigned: groupByTopic(assigned),
      revoked: groupByTopic(minus(owned, assigned)),
      added: groupByTopic(minus(assigned, owned)),
      ...pauses,
      remained,
    };
  });
  return {
    groupId: group.groupId,
    sequence: open.sequence,
    trigger: open.trigger,
    reason: open.reason,
    protocol: group.protocol,
    protocolName: group.protocolName,
    fromGeneration: open.fromGeneration,
    toGeneration: group.toGeneration,
    generations: [...open.generations].sort((a, b) => a - b),
    startMs: open.startMs,
    endMs,
    durationMs: endMs - open.startMs,
    members,
    partitionsMoved: partitionsMoved(ownersBefore, ownersAfter),
  };
}

export function latestRecords(log: RebalanceLog, limit: number | null): GroupRebalanceRecord[] {
  return limit === null || limit >= log.records.length ? log.records : log.records.slice(log.records.length - limit);
}

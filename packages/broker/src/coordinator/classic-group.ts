/**
 * The data of a classic consumer group and the pure rules the group statechart applies to it, after
 * Kafka's ClassicGroup and GroupMetadataManager (`classicGroupJoin*`, `classicGroupSync*`, ...). Plain
 * objects only, so the group actor's snapshot is readable in the inspector.
 */
import type { ErrorName, OffsetCommitValue, RequestBody } from '@kactor/protocol';
import { memberIdPrefix } from '@kactor/protocol';
import type { RequestRef } from '@kactor/runtime';
import type { PendingTransactionalOffsets } from './group-txn-offsets.js';

/** Kafka's classic group states (ClassicGroupState). */
export type ClassicGroupStateName = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export interface GroupProtocol {
  name: string;
  metadata: Uint8Array;
}

export interface ClassicGroupMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  protocolType: string;
  /** In the member's order of preference. */
  protocols: GroupProtocol[];
  /** The member's ConsumerProtocolAssignment bytes of the current generation. */
  assignment: Uint8Array;
  /** Joined in the current rebalance for the first time (no heartbeats expected yet). */
  isNew: boolean;
  /** A JoinGroup waiting for the join phase to complete. */
  awaitingJoin: RequestRef | null;
  /** A SyncGroup waiting for the leader's assignment. */
  awaitingSync: RequestRef | null;
}

/** A committed offset, as its OffsetCommit record holds it. */
export type CommittedOffset = OffsetCommitValue;

export interface ClassicGroupData {
  groupId: string;
  generationId: number;
  protocolType: string | null;
  protocolName: string | null;
  leaderId: string | null;
  /** Insertion order matters: the first member becomes leader, and the next one replaces a departed leader. */
  members: Record<string, ClassicGroupMember>;
  /** Member ids handed out with MEMBER_ID_REQUIRED and not yet used to join (KIP-394). */
  pendingMemberIds: string[];
  /** Members of the current generation whose SyncGroup has not arrived yet. */
  pendingSyncMemberIds: string[];
  /** Committed offsets by `topic-partition`. */
  offsets: Record<string, CommittedOffset>;
  /** Transactional offsets written but not yet decided by their transaction's marker (KIP-98), by producer id. */
  pendingTransactionalOffsets: PendingTransactionalOffsets;
  /** Clock time of the last state change (GroupMetadataValue.currentStateTimestamp). */
  currentStateTimestampMs: number;
}

export function emptyGroupData(groupId: string, nowMs: number): ClassicGroupData {
  return {
    groupId,
    generationId: 0,
    protocolType: null,
    protocolName: null,
    leaderId: null,
    members: {},
    pendingMemberIds: [],
    pendingSyncMemberIds: [],
    offsets: {},
    pendingTransactionalOffsets: {},
    currentStateTimestampMs: nowMs,
  };
}

export const offsetKey = (topic: string, partition: number) => `${topic}-${partition}`;

export function memberList(group: ClassicGroupData): ClassicGroupMember[] {
  return Object.values(group.members);
}

export function isMember(group: ClassicGroupData, memberId: string): boolean {
  return group.members[memberId] !== undefined;
}

/** The member id the group maps a group.instance.id to (Kafka's `staticMemberId`). */
export function staticMemberId(group: ClassicGroupData, groupInstanceId: string): string | undefined {
  return Object.values(group.members).find((member) => member.groupInstanceId === groupInstanceId)?.memberId;
}

/**
 * Kafka's `ClassicGroup.validateMember`, shared by JoinGroup (of a known member id), SyncGroup, Heartbeat,
 * OffsetCommit and LeaveGroup: an instance id must map to exactly this member id, else the sender is an
 * older incarnation (FENCED_INSTANCE_ID) or unknown.
 */
export function memberProblem(group: ClassicGroupData, memberId: string, groupInstanceId: string | null): ErrorName | undefined {
  if (groupInstanceId !== null) {
    const mapped = staticMemberId(group, groupInstanceId);
    if (mapped === undefined) return 'UNKNOWN_MEMBER_ID';
    if (mapped !== memberId) return 'FENCED_INSTANCE_ID';
  }
  return group.members[memberId] === undefined ? 'UNKNOWN_MEMBER_ID' : undefined;
}

/** Protocols every member supports, in the order the first member prefers them. */
export function candidateProtocols(group: ClassicGroupData): string[] {
  const members = memberList(group);
  const first = members[0];
  if (first === undefined) return [];
  return first.protocols.map((protocol) => protocol.name).filter((name) => members.every((member) => member.protocols.some((protocol) => protocol.name === name)));
}

/**
 * Kafka's vote: each member votes for the first of its own protocols that every member supports, and the
 * protocol with most votes wins; ties go to the earlier candidate, so the choice is deterministic.
 */
export function selectProtocol(group: ClassicGroupData): string | null {
  const candidates = candidateProtocols(group);
  if (candidates.length === 0) return null;
  const votes = new Map<string, number>();
  for (const member of memberList(group)) {
    const vote = member.protocols.find((protocol) => candidates.includes(protocol.name))?.name;
    if (vote !== undefined) votes.set(vote, (votes.get(vote) ?? 0) + 1);
  }
  let winner = candidates[0] as string;
  for (const candidate of candidates) if ((votes.get(candidate) ?? 0) > (votes.get(winner) ?? 0)) winner = candidate;
  return winner;
}

/**
 * Whether a joining member can be in the group: the same protocol type, and at least one protocol that
 * every current member also supports (else INCONSISTENT_GROUP_PROTOCOL for the joining member only).
 */
export function supportsProtocols(group: ClassicGroupData, protocolType: string, protocols: ReadonlyArray<{ name: string }>, memberId: string): boolean {
  if (protocolType === '' || protocols.length === 0) return false;
  const others = memberList(group).filter((member) => member.memberId !== memberId);
  if (others.length === 0) return true;
  if (group.protocolType !== null && group.protocolType !== protocolType) return false;
  return protocols.some((protocol) => others.every((member) => member.protocols.some((candidate) => candidate.name === protocol.name)));
}

export function protocolsEqual(a: readonly GroupProtocol[], b: readonly GroupProtocol[]): boolean {
  return (
    a.length === b.length &&
    a.every((protocol, index) => {
      const other = b[index];
      return other !== undefined && other.name === protocol.name && bytesEqual(other.metadata, protocol.metadata);
    })
  );
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let index = 0; index < a.byteLength; index += 1) if (a[index] !== b[index]) return false;
  return true;
}

/** The group's rebalance timeout: the largest max.poll.interval.ms its members gave. */
export function rebalanceTimeoutMs(group: ClassicGroupData): number {
  return Math.max(0, ...memberList(group).map((member) => member.rebalanceTimeoutMs));
}

/**
 * Kafka's `hasAllMembersJoined`: every member has a JoinGroup waiting and no member id is pending. True for a
 * group whose last members left, so the join phase completes at once and the group becomes Empty.
 */
export function allMembersJoined(group: ClassicGroupData): boolean {
  return memberList(group).every((member) => member.awaitingJoin !== null) && group.pendingMemberIds.length === 0;
}

/** The member's metadata for the group's selected protocol (what the leader gets and DescribeGroups shows). */
export function selectedMetadata(group: ClassicGroupData, member: ClassicGroupMember): Uint8Array {
  return member.protocols.find((protocol) => protocol.name === group.protocolName)?.metadata ?? new Uint8Array(0);
}

export interface GroupLimits {
  /** group.min.session.timeout.ms */
  groupMinSessionTimeoutMs: number;
  /** group.max.session.timeout.ms */
  groupMaxSessionTimeoutMs: number;
  /** group.max.size */
  groupMaxSize: number;
  /** group.initial.rebalance.delay.ms */
  groupInitialRebalanceDelayMs: number;
  /** offset.metadata.max.bytes */
  offsetMetadataMaxBytes: number;
  /** How long a new member may wait in a join phase before it is dropped (Kafka's 5-minute constant). */
  newMemberJoinTimeoutMs: number;
}

/** What disqualifies a JoinGroup before the group looks at it. */
export function joinRequestProblem(request: RequestBody<'joinGroup'>, limits: GroupLimits): ErrorName | undefined {
  if (request.groupId === '') return 'INVALID_GROUP_ID';
  if (request.sessionTimeoutMs < limits.groupMinSessionTimeoutMs || request.sessionTimeoutMs > limits.groupMaxSessionTimeoutMs) return 'INVALID_SESSION_TIMEOUT';
  return undefined;
}

/**
 * Kafka's `validateOffsetCommit` for classic groups: a commit outside any generation (generation -1) is only
 * accepted by an Empty group (an admin or a consumer without membership); otherwise the member must be
 * known and of the current generation, and a group completing its rebalance refuses commits until the new
 * assignment is out (the previous generation is still current while it prepares, so those are accepted).
 */
export function offsetCommitProblem(group: ClassicGroupData | undefined, state: ClassicGroupStateName | undefined, request: RequestBody<'offsetCommit'>): ErrorName | undefined {
  if (state === 'Dead') return 'COORDINATOR_NOT_AVAILABLE';
  const generationId = request.generationIdOrMemberEpoch;
  if (group === undefined) return generationId < 0 && request.memberId === '' ? undefined : 'ILLEGAL_GENERATION';
  if (generationId < 0 && state === 'Empty') return undefined;
  if (generationId >= 0 || request.memberId !== '' || request.groupInstanceId !== null) {
    // Kafka's validateMember: a static member's older incarnation is fenced (KIP-345).
    const member = memberProblem(group, request.memberId, request.groupInstanceId);
    if (member !== undefined) return member;
    if (generationId !== group.generationId) return 'ILLEGAL_GENERATION';
  } else if (state !== 'Empty') {
    return 'UNKNOWN_MEMBER_ID';
  }
  if (state === 'CompletingRebalance') return 'REBALANCE_IN_PROGRESS';
  return undefined;
}

/**
 * A new member id as Kafka makes them: `clientId-uuid` (or `groupInstanceId-uuid`), with the prefix cut at
 * 249 characters so that the id fits in the JoinGroup and DescribeGroups answers that carry it.
 */
export function newMemberId(clientId: string, unique: string): string {
  return `${clientId === '' ? 'consumer' : memberIdPrefix(clientId)}-${unique}`;
}

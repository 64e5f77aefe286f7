/**
 * A test fixture, not shipped API: a classic group coordinator kept in memory, answering FindCoordinator,
 * JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetCommit, OffsetFetch, DescribeGroups, ListGroups and
 * DeleteGroups with bodies shaped exactly like the real API's. It follows Kafka's classic protocol closely
 * enough to drive the client: the MEMBER_ID_REQUIRED first join, a join phase that waits for every member
 * (or the rebalance timeout), the leader's SyncGroup, REBALANCE_IN_PROGRESS heartbeats during a rebalance,
 * ILLEGAL_GENERATION / UNKNOWN_MEMBER_ID fencing, session expiry, and generation-checked commits. It has no
 * persistence, no initial rebalance delay and no static membership.
 *
 * Faults: `inject(api, ...)` makes the next answers to an API fail with given errors (or a whole-request
 * failure, or no answer at all), and `requests` records everything asked.
 */
import type { ApiName, ErrorName, FailureErrorName, RequestBody, ResponseBody } from '@kactor/protocol';
import { errorByName } from '@kactor/protocol';
import type { Clock, RequestOptions, RpcResult, TimerHandle } from '@kactor/runtime';

export type FakeGroupApi = Extract<
  ApiName,
  'findCoordinator' | 'joinGroup' | 'syncGroup' | 'heartbeat' | 'leaveGroup' | 'offsetCommit' | 'offsetFetch' | 'describeGroups' | 'listGroups' | 'deleteGroups'
>;

/**
 * What an injected answer does: an error in the body, a failed request, no answer ever ('silence': the
 * request never reaches the coordinator), or an answer lost on its way back ('lostAnswer': the
 * coordinator handled the request).
 */
export type InjectedAnswer = FailureErrorName | { readonly failRequest: FailureErrorName } | 'silence' | 'lostAnswer';

interface FakeMember {
  readonly memberId: string;
  readonly clientId: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocols: ReadonlyArray<{ name: string; metadata: Uint8Array }>;
  pendingJoin: ((body: ResponseBody<'joinGroup'>) => void) | null;
  pendingSync: ((body: ResponseBody<'syncGroup'>) => void) | null;
  assignment: Uint8Array;
  sessionTimer: TimerHandle;
}

export interface FakeGroup {
  readonly groupId: string;
  state: 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';
  generationId: number;
  protocolName: string | null;
  leaderId: string;
  readonly members: Map<string, FakeMember>;
  readonly pendingMemberIds: Set<string>;
  readonly offsets: Map<string, { offset: number; metadata: string | null; leaderEpoch: number }>;
  rebalanceTimer: TimerHandle;
}

export interface FakeGroupCoordinatorOptions {
  readonly clock: Clock;
  readonly nodeId?: number;
  readonly url?: string;
  /** Latency of every answer, in ms of the clock. Default 1. */
  readonly latencyMs?: number;
  /** group.max.size. */
  readonly maxGroupSize?: number;
}

const NO_ASSIGNMENT: Uint8Array = new Uint8Array(0);
const offsetKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;

export class FakeGroupCoordinator {
  readonly requests: Array<{ api: FakeGroupApi; body: unknown; atMs: number }> = [];
  readonly groups = new Map<string, FakeGroup>();
  nodeId: number;
  url: string;
  private readonly injected = new Map<FakeGroupApi, InjectedAnswer[]>();
  private readonly clock: Clock;
  private readonly latencyMs: number;
  private readonly maxGroupSize: number;
  private memberSequence = 0;

  constructor(options: FakeGroupCoordinatorOptions) {
    this.clock = options.clock;
    this.nodeId = options.nodeId ?? 0;
    this.url = options.url ?? 'memory://coordinator:9092';
    this.latencyMs = options.latencyMs ?? 1;
    this.maxGroupSize = options.maxGroupSize ?? 0x7fff_ffff;
  }

  inject(api: FakeGroupApi, ...answers: InjectedAnswer[]): void {
    const queue = this.injected.get(api) ?? [];
    queue.push(...answers);
    this.injected.set(api, queue);
  }

  requestsOf<A extends FakeGroupApi>(api: A): Array<{ body: RequestBody<A>; atMs: number }> {
    return this.requests.filter((request) => request.api === api) as Array<{ body: RequestBody<A>; atMs: number }>;
  }

  group(groupId: string): FakeGroup | undefined {
    return this.groups.get(groupId);
  }

  /** Commits offsets directly, as if a member of no generation did. */
  commit(groupId: string, topic: string, partition: number, offset: number): void {
    this.groupOrCreate(groupId).offsets.set(offsetKey(topic, partition), { offset, metadata: '', leaderEpoch: -1 });
  }

  committed(groupId: string, topic: string, partition: number): number | undefined {
    return this.groups.get(groupId)?.offsets.get(offsetKey(topic, partition))?.offset;
  }

  /** Handles a request; `onResult` gets the answer after the latency (a parked JoinGroup or SyncGroup answers later). */
  handle<A extends FakeGroupApi>(api: A, body: RequestBody<A>, onResult: (result: RpcResult<A>) => void, _options?: RequestOptions): void {
    this.requests.push({ api, body, atMs: this.clock.now() });
    const injected = this.injected.get(api)?.shift();
    const reply = (answer: ResponseBody<A>) => {
      if (injected !== 'lostAnswer') this.clock.setTimeout(() => onResult({ ok: true, body: answer }), this.latencyMs);
    };
    if (injected !== undefined && injected !== 'lostAnswer') {
      if (injected === 'silence') return;
      if (typeof injected === 'object') {
        const info = errorByName(injected.failRequest);
        this.clock.setTimeout(() => onResult({ ok: false, error: { code: info.code, name: info.name, retriable: info.retriable, message: 'injected' } }), this.latencyMs);
        return;
      }
      reply(groupErrorBody(api, injected, body) as ResponseBody<A>);
      return;
    }
    const handlers: { [K in FakeGroupApi]: (body: RequestBody<K>, reply: (answer: ResponseBody<K>) => void) => void } = {
      findCoordinator: (_body, answer) => answer({ throttleTimeMs: 0, errorCode: 0, errorMessage: null, nodeId: this.nodeId, host: 'coordinator', port: 9092, url: this.url }),
      joinGroup: (request, answer) => this.join(request, answer),
      syncGroup: (request, answer) => this.sync(request, answer),
      heartbeat: (request, answer) => answer({ throttleTimeMs: 0, errorCode: code(this.heartbeat(request)) }),
      leaveGroup: (request, answer) => answer(this.leave(request)),
      offsetCommit: (request, answer) => answer(this.offsetCommit(request)),
      offsetFetch: (request, answer) => answer(this.offsetFetch(request)),
      describeGroups: (request, answer) => answer(this.describe(request)),
      listGroups: (_request, answer) => answer(this.list()),
      deleteGroups: (request, answer) => answer(this.deleteGroups(request)),
    };
    (handlers[api] as (body: RequestBody<A>, reply: (answer: ResponseBody<A>) => void) => void)(body, reply);
  }

  private groupOrCreate(groupId: string): FakeGroup {
    let group = this.groups.get(groupId);
    if (group === undefined) {
      group = { groupId, state: 'Empty', generationId: 0, protocolName: null, leaderId: '', members: new Map(), pendingMemberIds: new Set(), offsets: new Map(), rebalanceTimer: undefined };
      this.groups.set(groupId, group);
    }
    return group;
  }

  private join(request: RequestBody<'joinGroup'>, answer: (body: ResponseBody<'joinGroup'>) => void): void {
    const failed = (name: ErrorName, memberId = request.memberId) =>
      answer({ throttleTimeMs: 0, errorCode: code(name), generationId: -1, protocolType: null, protocolName: null, leader: '', skipAssignment: false, memberId, members: [] });
    if (request.groupId === '') return failed('INVALID_GROUP_ID');
    if (request.sessionTimeoutMs < 6_000 || request.sessionTimeoutMs > 1_800_000) return failed('INVALID_SESSION_TIMEOUT');
    const group = this.groupOrCreate(request.groupId);
    if (group.state === 'Dead') return failed('COORDINATOR_NOT_AVAILABLE');
    if (request.protocolType !== 'consumer' || (group.members.size > 0 && this.commonProtocols(group, request.protocols).length === 0)) return failed('INCONSISTENT_GROUP_PROTOCOL');
    if (request.memberId === '') {
      if (group.members.size >= this.maxGroupSize) return failed('GROUP_MAX_SIZE_REACHED');
      this.memberSequence += 1;
      const memberId = `${request.clientId}-${this.memberSequence}`;
      group.pendingMemberIds.add(memberId);
      return failed('MEMBER_ID_REQUIRED', memberId);
    }
    let member = group.members.get(request.memberId);
    if (member === undefined) {
      if (!group.pendingMemberIds.delete(request.memberId)) return failed('UNKNOWN_MEMBER_ID');
      if (group.members.size >= this.maxGroupSize) return failed('GROUP_MAX_SIZE_REACHED');
      member = { memberId: request.memberId, clientId: request.clientId, sessionTimeoutMs: request.sessionTimeoutMs, rebalanceTimeoutMs: request.rebalanceTimeoutMs, protocols: [], pendingJoin: null, pendingSync: null, assignment: NO_ASSIGNMENT, sessionTimer: undefined };
      group.members.set(member.memberId, member);
      if (group.leaderId === '') group.leaderId = member.memberId;
    }
    member.protocols = request.protocols;
    member.sessionTimeoutMs = request.sessionTimeoutMs;
    member.rebalanceTimeoutMs = request.rebalanceTimeoutMs;
    member.pendingJoin = answer;
    this.armSession(group, member);
    if (group.state !== 'PreparingRebalance') this.prepareRebalance(group);
    this.maybeCompleteJoin(group);
  }

  private prepareRebalance(group: FakeGroup): void {
    if (group.state === 'CompletingRebalance') {
      for (const member of group.members.values()) {
        const parked = member.pendingSync;
        member.pendingSync = null;
        parked?.({ throttleTimeMs: 0, errorCode: code('REBALANCE_IN_PROGRESS'), protocolType: null, protocolName: null, assignment: NO_ASSIGNMENT });
      }
    }
    group.state = 'PreparingRebalance';
    this.clock.clearTimeout(group.rebalanceTimer);
    const rebalanceTimeoutMs = Math.max(0, ...[...group.members.values()].map((member) => member.rebalanceTimeoutMs));
    group.rebalanceTimer = this.clock.setTimeout(() => this.completeJoin(group), rebalanceTimeoutMs);
  }

  private maybeCompleteJoin(group: FakeGroup): void {
    if (group.state === 'PreparingRebalance' && [...group.members.values()].every((member) => member.pendingJoin !== null) && group.pendingMemberIds.size === 0) this.completeJoin(group);
  }

  private completeJoin(group: FakeGroup): void {
    this.clock.clearTimeout(group.rebalanceTimer);
    for (const member of [...group.members.values()]) if (member.pendingJoin === null) this.remove(group, member);
    group.generationId += 1;
    if (group.members.size === 0) {
      group.state = 'Empty';
      group.protocolName = null;
      group.leaderId = '';
      return;
    }
    if (!group.members.has(group.leaderId)) group.leaderId = group.members.keys().next().value as string;
    group.protocolName = this.selectProtocol(group);
    group.state = 'CompletingRebalance';
    for (const member of group.members.values()) {
      const answer = member.pendingJoin as NonNullable<FakeMember['pendingJoin']>;
      member.pendingJoin = null;
      const isLeader = member.memberId === group.leaderId;
      const members = isLeader
        ? [...group.members.values()].map((each) => ({ memberId: each.memberId, groupInstanceId: null, metadata: each.protocols.find((protocol) => protocol.name === group.protocolName)?.metadata ?? NO_ASSIGNMENT }))
        : [];
      this.armSession(group, member);
      answer({ throttleTimeMs: 0, errorCode: 0, generationId: group.generationId, protocolType: 'consumer', protocolName: group.protocolName, leader: group.leaderId, skipAssignment: false, memberId: member.memberId, members });
    }
  }

  private sync(request: RequestBody<'syncGroup'>, answer: (body: ResponseBody<'syncGroup'>) => void): void {
    const group = this.groups.get(request.groupId);
    const reply = (name: ErrorName, assignment = NO_ASSIGNMENT) => answer({ throttleTimeMs: 0, errorCode: code(name), protocolType: 'consumer', protocolName: group?.protocolName ?? null, assignment });
    const member = group?.members.get(request.memberId);
    if (group === undefined || member === undefined) return reply('UNKNOWN_MEMBER_ID');
    if (request.generationId !== group.generationId) return reply('ILLEGAL_GENERATION');
    if (group.state === 'PreparingRebalance') return reply('REBALANCE_IN_PROGRESS');
    if (group.state === 'Stable') return reply('NONE', member.assignment);
    member.pendingSync = (body) => answer(body);
    if (member.memberId !== group.leaderId) return;
    const assigned = new Map(request.assignments.map((entry) => [entry.memberId, entry.assignment]));
    group.state = 'Stable';
    for (const each of group.members.values()) {
      each.assignment = assigned.get(each.memberId) ?? NO_ASSIGNMENT;
      const parked = each.pendingSync;
      each.pendingSync = null;
      parked?.({ throttleTimeMs: 0, errorCode: 0, protocolType: 'consumer', protocolName: group.protocolName, assignment: each.assignment });
    }
  }

  private heartbeat(request: RequestBody<'heartbeat'>): ErrorName {
    const group = this.groups.get(request.groupId);
    const member = group?.members.get(request.memberId);
    if (group === undefined || member === undefined || group.state === 'Empty') return 'UNKNOWN_MEMBER_ID';
    if (request.generationId !== group.generationId) return 'ILLEGAL_GENERATION';
    this.armSession(group, member);
    return group.state === 'PreparingRebalance' ? 'REBALANCE_IN_PROGRESS' : 'NONE';
  }

  private leave(request: RequestBody<'leaveGroup'>): ResponseBody<'leaveGroup'> {
    const group = this.groups.get(request.groupId);
    const members = request.members.map((leaving) => {
      const member = group?.members.get(leaving.memberId);
      if (group === undefined || member === undefined) return { memberId: leaving.memberId, groupInstanceId: leaving.groupInstanceId, errorCode: code('UNKNOWN_MEMBER_ID') };
      this.removeAndRebalance(group, member);
      return { memberId: leaving.memberId, groupInstanceId: leaving.groupInstanceId, errorCode: 0 };
    });
    return { throttleTimeMs: 0, errorCode: 0, members };
  }

  private offsetCommit(request: RequestBody<'offsetCommit'>): ResponseBody<'offsetCommit'> {
    const group = this.groups.get(request.groupId);
    let error: ErrorName = 'NONE';
    if (request.generationIdOrMemberEpoch < 0) {
      if (group !== undefined && group.state !== 'Empty') error = 'UNKNOWN_MEMBER_ID';
    } else if (group === undefined) {
      error = 'ILLEGAL_GENERATION';
    } else if (!group.members.has(request.memberId)) {
      error = 'UNKNOWN_MEMBER_ID';
    } else if (request.generationIdOrMemberEpoch !== group.generationId) {
      error = 'ILLEGAL_GENERATION';
    } else if (group.state === 'CompletingRebalance') {
      error = 'REBALANCE_IN_PROGRESS';
    }
    if (error === 'NONE') {
      const target = this.groupOrCreate(request.groupId);
      for (const topic of request.topics) {
        for (const partition of topic.partitions) {
          target.offsets.set(offsetKey(topic.name, partition.partitionIndex), { offset: partition.committedOffset, metadata: partition.committedMetadata, leaderEpoch: partition.committedLeaderEpoch });
        }
      }
    }
    return { throttleTimeMs: 0, topics: request.topics.map((topic) => ({ name: topic.name, partitions: topic.partitions.map((partition) => ({ partitionIndex: partition.partitionIndex, errorCode: code(error) })) })) };
  }

  private offsetFetch(request: RequestBody<'offsetFetch'>): ResponseBody<'offsetFetch'> {
    const offsets = this.groups.get(request.groupId)?.offsets ?? new Map();
    const wanted =
      request.topics ??
      [...new Set([...offsets.keys()].map((key) => key.split('\u0000')[0] as string))].map((name) => ({
        name,
        partitionIndexes: [...offsets.keys()].filter((key) => key.startsWith(`${name}\u0000`)).map((key) => Number(key.split('\u0000')[1])),
      }));
    return {
      throttleTimeMs: 0,
      errorCode: 0,
      topics: wanted.map((topic) => ({
        name: topic.name,
        partitions: topic.partitionIndexes.map((partitionIndex) => {
          const stored = offsets.get(offsetKey(topic.name, partitionIndex));
          return { partitionIndex, committedOffset: stored?.offset ?? -1, committedLeaderEpoch: stored?.leaderEpoch ?? -1, metadata: stored?.metadata ?? null, errorCode: 0 };
        }),
      })),
    };
  }

  private describe(request: RequestBody<'describeGroups'>): ResponseBody<'describeGroups'> {
    return {
      throttleTimeMs: 0,
      groups: request.groups.map((groupId) => {
        const group = this.groups.get(groupId);
        if (group === undefined) return { errorCode: 0, groupId, groupState: 'Dead', protocolType: '', protocolData: '', generationId: -1, leaderId: '', members: [] };
        const stable = group.state === 'Stable';
        return {
          errorCode: 0,
          groupId,
          groupState: group.state,
          protocolType: 'consumer',
          protocolData: stable ? (group.protocolName ?? '') : '',
          generationId: group.generationId,
          leaderId: group.leaderId,
          members: [...group.members.values()].map((member) => ({
            memberId: member.memberId,
            groupInstanceId: null,
            clientId: member.clientId,
            clientHost: '/127.0.0.1',
            memberMetadata: member.protocols.find((protocol) => protocol.name === group.protocolName)?.metadata ?? NO_ASSIGNMENT,
            memberAssignment: stable ? member.assignment : NO_ASSIGNMENT,
          })),
        };
      }),
    };
  }

  private list(): ResponseBody<'listGroups'> {
    return { throttleTimeMs: 0, errorCode: 0, groups: [...this.groups.values()].filter((group) => group.state !== 'Dead').map((group) => ({ groupId: group.groupId, protocolType: 'consumer', groupState: group.state, groupType: 'classic' })) };
  }

  private deleteGroups(request: RequestBody<'deleteGroups'>): ResponseBody<'deleteGroups'> {
    return {
      throttleTimeMs: 0,
      results: request.groupsNames.map((groupId) => {
        const group = this.groups.get(groupId);
        if (group === undefined) return { groupId, errorCode: code('GROUP_ID_NOT_FOUND') };
        if (group.members.size > 0) return { groupId, errorCode: code('NON_EMPTY_GROUP') };
        this.groups.delete(groupId);
        return { groupId, errorCode: 0 };
      }),
    };
  }

  private armSession(group: FakeGroup, member: FakeMember): void {
    this.clock.clearTimeout(member.sessionTimer);
    member.sessionTimer = this.clock.setTimeout(() => {
      // A member waiting in a JoinGroup is alive: Kafka's hasSatisfiedHeartbeat.
      if (member.pendingJoin !== null) return this.armSession(group, member);
      if (group.members.get(member.memberId) === member) this.removeAndRebalance(group, member);
    }, member.sessionTimeoutMs);
  }

  private remove(group: FakeGroup, member: FakeMember): void {
    this.clock.clearTimeout(member.sessionTimer);
    group.members.delete(member.memberId);
    if (group.leaderId === member.memberId) group.leaderId = group.members.keys().next().value ?? '';
  }

  private removeAndRebalance(group: FakeGroup, member: FakeMember): void {
    this.remove(group, member);
    if (group.members.size === 0 && group.state !== 'PreparingRebalance') {
      group.state = 'Empty';
      group.generationId += 1;
      return;
    }
    if (group.state === 'Stable' || group.state === 'CompletingRebalance') this.prepareRebalance(group);
    else this.maybeCompleteJoin(group);
  }

  private commonProtocols(group: FakeGroup, offered: ReadonlyArray<{ name: string }>): string[] {
    return offered.map((protocol) => protocol.name).filter((name) => [...group.members.values()].every((member) => member.protocols.some((protocol) => protocol.name === name)));
  }

  /** Kafka's vote: candidates every member supports; each member votes for its first candidate. */
  private selectProtocol(group: FakeGroup): string {
    const members = [...group.members.values()];
    const candidates = (members[0]?.protocols ?? []).map((protocol) => protocol.name).filter((name) => members.every((member) => member.protocols.some((protocol) => protocol.name === name)));
    const votes = new Map<string, number>();
    for (const member of members) {
      const choice = member.protocols.find((protocol) => candidates.includes(protocol.name))?.name;
      if (choice !== undefined) votes.set(choice, (votes.get(choice) ?? 0) + 1);
    }
    return [...votes].sort((a, b) => b[1] - a[1])[0]?.[0] ?? candidates[0] ?? '';
  }
}

function code(name: ErrorName): number {
  return errorByName(name).code;
}

/** A body of `api` whose top-level (or every per-item) error is `name`, answering `request`. */
export function groupErrorBody(api: FakeGroupApi, name: FailureErrorName, request: unknown): ResponseBody<FakeGroupApi> {
  const errorCode = code(name);
  switch (api) {
    case 'findCoordinator':
      return { throttleTimeMs: 0, errorCode, errorMessage: null, nodeId: -1, host: '', port: -1, url: '' };
    case 'joinGroup':
      return { throttleTimeMs: 0, errorCode, generationId: -1, protocolType: null, protocolName: null, leader: '', skipAssignment: false, memberId: '', members: [] };
    case 'syncGroup':
      return { throttleTimeMs: 0, errorCode, protocolType: null, protocolName: null, assignment: NO_ASSIGNMENT };
    case 'heartbeat':
      return { throttleTimeMs: 0, errorCode };
    case 'leaveGroup':
      return { throttleTimeMs: 0, errorCode, members: [] };
    case 'offsetCommit': {
      const { topics } = request as RequestBody<'offsetCommit'>;
      return { throttleTimeMs: 0, topics: topics.map((topic) => ({ name: topic.name, partitions: topic.partitions.map((partition) => ({ partitionIndex: partition.partitionIndex, errorCode })) })) };
    }
    case 'offsetFetch':
      return { throttleTimeMs: 0, errorCode, topics: [] };
    case 'describeGroups':
      return {
        throttleTimeMs: 0,
        groups: (request as RequestBody<'describeGroups'>).groups.map((groupId) => ({ errorCode, groupId, groupState: '', protocolType: '', protocolData: '', generationId: -1, leaderId: '', members: [] })),
      };
    case 'listGroups':
      return { throttleTimeMs: 0, errorCode, groups: [] };
    case 'deleteGroups':
      return { throttleTimeMs: 0, results: (request as RequestBody<'deleteGroups'>).groupsNames.map((groupId) => ({ groupId, errorCode })) };
  }
}

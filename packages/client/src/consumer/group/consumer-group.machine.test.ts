import { decodeAssignment, type FailureErrorName } from '@kactor/protocol';
import { createLogger, SimulatedClock, type Random } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import { createActor, type Actor } from 'xstate';
import { FakeGroupCoordinator } from '../../test-support/fake-group-coordinator.js';
import { consumerGroupMachine } from './consumer-group.machine.js';
import { LastPoll } from './poll-timer.js';
import type { ConsumerGroupPorts, ConsumerGroupSettings } from './group-types.js';

const settings: ConsumerGroupSettings = {
  groupId: 'analytics',
  groupInstanceId: null,
  clientId: 'consumer-a',
  sessionTimeoutMs: 10_000,
  heartbeatIntervalMs: 3_000,
  maxPollIntervalMs: 60_000,
  retryBackoffMs: 100,
  retryBackoffMaxMs: 1_000,
  requestTimeoutMs: 30_000,
  assignors: ['range'],
  rebalanceProtocol: 'EAGER',
};

/** No jitter: backoffs are exactly retry.backoff.ms * 2^n. */
const middleRandom: Random = { next: () => 0.5, nextInt: (n) => Math.floor(n / 2), nextBytes: (n) => new Uint8Array(n) };

type GroupActor = Actor<typeof consumerGroupMachine>;

function setUp(overrides: Partial<ConsumerGroupSettings> = {}) {
  const clock = new SimulatedClock({ startMs: 0 });
  const coordinator = new FakeGroupCoordinator({ clock });
  const partitionCounts = new Map<string, number>([
    ['orders', 3],
    ['payments', 2],
  ]);
  const logger = createLogger({ clock });
  const portsFor = (lastPoll: LastPoll): ConsumerGroupPorts => ({
    clock,
    random: middleRandom,
    logger,
    findCoordinator: (body, onResult) => coordinator.handle('findCoordinator', body, onResult),
    request: (_url, api, body, onResult, options) => coordinator.handle(api, body, onResult, options),
    partitionCount: (topic) => partitionCounts.get(topic),
    heldPartitions: () => [],
    lastPollMs: () => lastPoll.lastPollMs(),
  });
  const actors: GroupActor[] = [];
  const member = (clientId = 'consumer-a', extra: Partial<ConsumerGroupSettings> = {}) => {
    const lastPoll = new LastPoll(clock);
    const actor = createActor(consumerGroupMachine, { clock, input: { settings: { ...settings, ...overrides, ...extra, clientId }, ports: portsFor(lastPoll) } }).start();
    actors.push(actor);
    lastPolls.set(actor, lastPoll);
    return actor;
  };
  return { clock, coordinator, partitionCounts, member };
}

/** Each member's poll() record, as its ClassicMembership keeps it. */
const lastPolls = new WeakMap<GroupActor, LastPoll>();

/** The application's poll(), as ClassicMembership passes it on: its time for the poll timer, `app.poll` where it moves the member. */
function poll(actor: GroupActor): void {
  lastPolls.get(actor)!.poll(actor);
}

const topState = (actor: GroupActor): string => {
  const value = actor.getSnapshot().value;
  return typeof value === 'string' ? value : Object.keys(value)[0]!;
};
const context = (actor: GroupActor) => actor.getSnapshot().context;

/** Advances the simulated clock 1 ms at a time until `condition` holds, failing after `boundMs`. */
function advanceUntil(env: ReturnType<typeof setUp>, condition: () => boolean, boundMs = 1_000): void {
  for (let elapsedMs = 0; !condition(); elapsedMs += 1) {
    if (elapsedMs >= boundMs) throw new Error(`condition not reached within ${boundMs} ms`);
    env.clock.advanceBy(1);
  }
}

/** subscribe + poll, then let the group form. */
function joinStable(env: ReturnType<typeof setUp>, actor: GroupActor, topics = ['orders']): void {
  actor.send({ type: 'app.subscribe', topics });
  poll(actor);
  env.clock.advanceBy(20);
  expect(topState(actor)).toBe('stable');
}

describe('consumer group machine', () => {
  it('unjoined stays unjoined on app.poll without a subscription', () => {
    const env = setUp();
    const actor = env.member();
    poll(actor);
    env.clock.advanceBy(1_000);
    expect(topState(actor)).toBe('unjoined');
    expect(env.coordinator.requests).toEqual([]);
  });

  it('unjoined -> joining on app.poll after app.subscribe (FindCoordinator, then JoinGroup)', () => {
    const env = setUp();
    const actor = env.member();
    actor.send({ type: 'app.subscribe', topics: ['orders'] });
    expect(topState(actor)).toBe('unjoined');
    poll(actor);
    expect(actor.getSnapshot().matches({ joining: 'findingCoordinator' })).toBe(true);
    env.clock.advanceBy(1);
    expect(actor.getSnapshot().matches({ joining: 'awaitingJoin' })).toBe(true);
    expect(env.coordinator.requestsOf('findCoordinator')[0]!.body).toEqual({ key: 'analytics', keyType: 0 });
    expect(context(actor).coordinator).toEqual({ nodeId: 0, url: env.coordinator.url });
  });

  it('joining: MEMBER_ID_REQUIRED -> JoinGroup again with the member id the coordinator gave (KIP-394)', () => {
    const env = setUp();
    const actor = env.member();
    joinStable(env, actor);
    const joins = env.coordinator.requestsOf('joinGroup').map((request) => request.body);
    expect(joins.map((join) => join.memberId)).toEqual(['', 'consumer-a-1']);
    expect(joins[0]).toMatchObject({ groupId: 'analytics', sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 60_000, protocolType: 'consumer', clientId: 'consumer-a', groupInstanceId: null });
    expect(joins[0]!.protocols.map((protocol) => protocol.name)).toEqual(['range']);
  });

  it('joining -> syncing -> stable: the leader sends the range assignment of every member and keeps its own', () => {
    const env = setUp();
    const actor = env.member();
    joinStable(env, actor, ['orders', 'payments']);
    const sync = env.coordinator.requestsOf('syncGroup')[0]!.body;
    expect(sync).toMatchObject({ groupId: 'analytics', generationId: 1, memberId: 'consumer-a-1', protocolName: 'range', protocolType: 'consumer' });
    const decoded = decodeAssignment(sync.assignments[0]!.assignment);
    expect(decoded.ok && decoded.value.assignedPartitions).toEqual([
      { topic: 'orders', partitions: [0, 1, 2] },
      { topic: 'payments', partitions: [0, 1] },
    ]);
    expect(context(actor)).toMatchObject({ generationId: 1, memberId: 'consumer-a-1', leaderId: 'consumer-a-1', protocolName: 'range', assignmentSnapshot: { orders: 3, payments: 2 } });
    expect(context(actor).assignment).toHaveLength(5);
  });

  it('joining -> syncing -> stable for two members: each gets its range share, the follower sends no assignments', () => {
    const env = setUp();
    const first = env.member('consumer-a');
    const second = env.member('consumer-b');
    for (const actor of [first, second]) {
      actor.send({ type: 'app.subscribe', topics: ['orders'] });
      poll(actor);
    }
    env.clock.advanceBy(20);
    expect([topState(first), topState(second)]).toEqual(['stable', 'stable']);
    expect(context(first).assignment).toEqual([
      { topic: 'orders', partition: 0 },
      { topic: 'orders', partition: 1 },
    ]);
    expect(context(second).assignment).toEqual([{ topic: 'orders', partition: 2 }]);
    const syncs = env.coordinator.requestsOf('syncGroup').map((request) => request.body);
    expect(syncs.find((sync) => sync.memberId === 'consumer-b-2')!.assignments).toEqual([]);
  });

  it('stable heartbeats every heartbeat.interval.ms', () => {
    const env = setUp();
    const actor = env.member();
    joinStable(env, actor);
    const syncedAtMs = env.coordinator.requestsOf('syncGroup')[0]!.atMs;
    env.clock.advanceBy(10_000);
    const times = env.coordinator.requestsOf('heartbeat').map((request) => request.atMs - syncedAtMs);
    // Heartbeats were enabled when the JoinGroup answer arrived, as the SyncGroup went out.
    expect(times).toEqual([3_000, 6_000, 9_000]);
    expect(env.coordinator.requestsOf('heartbeat')[0]!.body).toEqual({ groupId: 'analytics', generationId: 1, memberId: 'consumer-a-1', groupInstanceId: null });
    expect(topState(actor)).toBe('stable');
  });

  it('joining sends no heartbeats while a JoinGroup is outstanding', () => {
    const env = setUp();
    const actor = env.member();
    env.coordinator.inject('joinGroup', 'silence');
    actor.send({ type: 'app.subscribe', topics: ['orders'] });
    poll(actor);
    env.clock.advanceBy(20_000);
    expect(actor.getSnapshot().matches({ joining: 'awaitingJoin' })).toBe(true);
    expect(env.coordinator.requestsOf('heartbeat')).toEqual([]);
  });

  it('syncing heartbeats while its SyncGroup is outstanding', () => {
    const env = setUp();
    const actor = env.member();
    env.coordinator.inject('syncGroup', 'silence');
    actor.send({ type: 'app.subscribe', topics: ['orders'] });
    poll(actor);
    env.clock.advanceBy(7_000);
    expect(topState(actor)).toBe('syncing');
    expect(env.coordinator.requestsOf('heartbeat')).toHaveLength(2);
  });

  it('stable -> rebalancing on heartbeat REBALANCE_IN_PROGRESS, keeping the generation and heartbeating on', () => {
    const env = setUp();
    const actor = env.member();
    joinStable(env, actor);
    env.coordinator.inject('heartbeat', 'REBALANCE_IN_PROGRESS');
    env.clock.advanceBy(3_000);
    expect(actor.getSnapshot().matches({ rebalancing: { eager: 'awaitingPoll' } })).toBe(true);
    expect(context(actor)).toMatchObject({ generationId: 1, memberId: 'consumer-a-1' });
    env.clock.advanceBy(6_000);
    expect(env.coordinator.requestsOf('heartbeat').length).toBeGreaterThanOrEqual(3);
  });

  it('rebalancing.eager: awaitingPoll -> revokingAll on app.poll (revoked, not lost) -> joining on app.revocationDone', () => {
    const env = setUp();
    const actor = env.member();
    joinStable(env, actor);
    env.coordinator.inject('heartbeat', 'REBALANCE_IN_PROGRESS');
    env.clock.advanceBy(3_000);
    poll(actor);
    expect(actor.getSnapshot().matches({ rebalancing: { eager: 'revokingAll' } })).toBe(true);
    expect(context(actor).revocation).toMatchObject({ lost: false, generationId: 1 });
    const joinsBefore = env.coordinator.requestsOf('joinGroup').length;
    actor.send({ type: 'app.revocationDone' });
    expect(actor.getSnapshot().matches({ joining: 'awaitingJoin' })).toBe(true);
    expect(env.coordinator.requestsOf('joinGroup')[joinsBefore]!.body.memberId).toBe('consumer-a-1');
    env.clock.advanceBy(20);
    expect(topState(actor)).toBe('stable');
    expect(context(actor).generationId).toBe(2);
  });

  it('stable -> rebalancing on heartbeat ILLEGAL_GENERATION: generation reset, member id kept, partitions lost', () => {
    const env = setUp();
    const actor = env.member();
    joinStable(env, actor);
    env.coordinator.inject('heartbeat', 'ILLEGAL_GENERATION');
    env.clock.advanceBy(3_000);
    expect(topState(actor)).toBe('rebalancing');
    expect(context(actor)).toMatchObject({ generationId: -1, memberId: 'consumer-a-1' });
    const heartbeats = env.coordinator.requestsOf('heartbeat').length;
    env.clock.advanceBy(30_000);
    expect(env.coordinator.requestsOf('heartbeat')).toHaveLength(heartbeats);
    poll(actor);
    expect(context(actor).revocation).toMatchObject({ lost: true });
  });

  it('stable -> rebalancing on heartbeat UNKNOWN_MEMBER_ID: member id reset too, so the next JoinGroup starts over', () => {
    const env = setUp();
    const actor = env.member();
    joinStable(env, actor);
    env.coordinator.inject('heartbeat', 'UNKNOWN_MEMBER_ID');
    env.clock.advanceBy(3_000);
    expect(context(actor)).toMatchObject({ generationId: -1, memberId: '' });
    poll(actor);
    actor.send({ type: 'app.revocationDone' });
    expect(env.coordinator.requestsOf('joinGroup').at(-1)!.body.memberId).toBe('');
  });

  it('stable -> rebalancing on commit.refused ILLEGAL_GENERATION of the current generation; one of an older generation is ignored', () => {
    const env = setUp();
    const actor = env.member();
    joinStable(env, actor);
    actor.send({ type: 'commit.refused', errorName: 'ILLEGAL_GENERATION', sent: { generationId: 0, memberId: 'consumer-a-1' } });
    expect(topState(actor)).toBe('stable');
    actor.send({ type: 'commit.refused', errorName: 'ILLEGAL_GENERATION', sent: { generationId: 1, memberId: 'consumer-a-1' } });
    expect(topState(actor)).toBe('rebalancing');
    expect(context(actor).generationId).toBe(-1);
  });

  it('stable -> rebalancing on commit.refused REBALANCE_IN_PROGRESS, keeping the generation', () => {
    const env = setUp();
    const actor = env.member();
    joinStable(env, actor);
    actor.send({ type: 'commit.refused', errorName: 'REBALANCE_IN_PROGRESS', sent: { generationId: 1, memberId: 'consumer-a-1' } });
    expect(topState(actor)).toBe('rebalancing');
    expect(context(actor).generationId).toBe(1);
  });

  it('stable -> rebalancing on timer.pollExpired: LeaveGroup, generation and member id reset, partitions lost, no more heartbeats', () => {
    const env = setUp({ maxPollIntervalMs: 20_000 });
    const actor = env.member();
    joinStable(env, actor);
    env.clock.advanceBy(19_000);
    expect(topState(actor)).toBe('stable');
    env.clock.advanceBy(1_000);
    expect(topState(actor)).toBe('rebalancing');
    expect(env.coordinator.requestsOf('leaveGroup').map((request) => request.body.members)).toEqual([
      [{ memberId: 'consumer-a-1', groupInstanceId: null, reason: 'consumer poll timeout has expired: poll() was not called within max.poll.interval.ms' }],
    ]);
    expect(context(actor)).toMatchObject({ generationId: -1, memberId: '' });
    const heartbeats = env.coordinator.requestsOf('heartbeat').length;
    env.clock.advanceBy(60_000);
    expect(env.coordinator.requestsOf('heartbeat')).toHaveLength(heartbeats);
    expect(env.coordinator.requestsOf('leaveGroup')).toHaveLength(1);
    poll(actor);
    expect(context(actor).revocation).toMatchObject({ lost: true, generationId: -1 });
    actor.send({ type: 'app.revocationDone' });
    env.clock.advanceBy(20);
    expect(topState(actor)).toBe('stable');
  });

  it('stable stays stable while poll() comes within max.poll.interval.ms', () => {
    const env = setUp({ maxPollIntervalMs: 20_000 });
    const actor = env.member();
    joinStable(env, actor);
    for (let round = 0; round < 10; round++) {
      env.clock.advanceBy(15_000);
      poll(actor);
    }
    expect(topState(actor)).toBe('stable');
    expect(env.coordinator.requestsOf('leaveGroup')).toEqual([]);
  });

  it('stable -> rebalancing on timer.pollExpired when max.poll.interval.ms passed since the last poll', () => {
    const env = setUp({ maxPollIntervalMs: 20_000 });
    const actor = env.member();
    joinStable(env, actor);
    const timerArmedMs = env.coordinator.requestsOf('syncGroup')[0]!.atMs;
    env.clock.advanceTo(timerArmedMs + 15_000);
    poll(actor);
    env.clock.advanceTo(timerArmedMs + 30_000);
    poll(actor);
    const lastPollMs = env.clock.now();
    env.clock.advanceTo(lastPollMs + 19_999);
    expect(topState(actor)).toBe('stable');
    expect(env.coordinator.requestsOf('leaveGroup')).toEqual([]);
    env.clock.advanceBy(1);
    expect(topState(actor)).toBe('rebalancing');
    const leaves = env.coordinator.requestsOf('leaveGroup');
    expect(leaves.map((request) => request.atMs)).toEqual([lastPollMs + 20_000]);
    expect(leaves[0]!.body.members[0]!.reason).toContain('max.poll.interval.ms');
    expect(context(actor)).toMatchObject({ generationId: -1, memberId: '' });
  });

  it('stable stays stable on timer.pollExpired after a poll() within max.poll.interval.ms: the timer re-arms for the rest of the interval', () => {
    const env = setUp({ maxPollIntervalMs: 20_000 });
    const actor = env.member();
    joinStable(env, actor);
    const timerArmedMs = env.coordinator.requestsOf('syncGroup')[0]!.atMs;
    env.clock.advanceTo(timerArmedMs + 5_000);
    poll(actor);
    // The timer armed on joining fires here, finds the poll 15 s old and waits the 5 s left.
    env.clock.advanceTo(timerArmedMs + 20_000);
    expect(topState(actor)).toBe('stable');
    expect(context(actor).generationId).toBe(1);
    const heartbeats = env.coordinator.requestsOf('heartbeat').length;
    env.clock.advanceTo(timerArmedMs + 24_999);
    expect(topState(actor)).toBe('stable');
    expect(env.coordinator.requestsOf('heartbeat').length).toBeGreaterThan(heartbeats);
    env.clock.advanceBy(1);
    expect(topState(actor)).toBe('rebalancing');
    expect(env.coordinator.requestsOf('leaveGroup').map((request) => request.atMs)).toEqual([timerArmedMs + 25_000]);
  });

  it('stable: no heartbeat answer for session.timeout.ms marks the coordinator unknown and finds it again, without leaving the group', () => {
    const env = setUp();
    const actor = env.member();
    joinStable(env, actor);
    const timersArmedMs = env.coordinator.requestsOf('syncGroup')[0]!.atMs;
    // The coordinator gets the heartbeats (the member stays in the group), but no answer comes back.
    env.coordinator.inject('heartbeat', 'lostAnswer', 'lostAnswer', 'lostAnswer');
    env.clock.advanceBy(9_000);
    expect(env.coordinator.requestsOf('findCoordinator')).toHaveLength(1);
    env.clock.advanceBy(2_000);
    const finds = env.coordinator.requestsOf('findCoordinator');
    expect(finds).toHaveLength(2);
    expect(finds[1]!.atMs - timersArmedMs).toBe(10_000);
    env.clock.advanceBy(5_000);
    expect(topState(actor)).toBe('stable');
    expect(context(actor)).toMatchObject({ generationId: 1, coordinator: { nodeId: 0 } });
    const answered = env.coordinator.requestsOf('heartbeat').filter((request) => request.atMs > finds[1]!.atMs);
    expect(answered.length).toBeGreaterThanOrEqual(1);
  });

  it('stable -> rebalancing (lost) when, after the session timeout, the rediscovered coordinator no longer knows the member', () => {
    const env = setUp();
    const actor = env.member();
    joinStable(env, actor);
    // The heartbeats never reach the coordinator, which expires the member after session.timeout.ms.
    env.coordinator.inject('heartbeat', 'silence');
    env.clock.advanceBy(11_000);
    expect(env.coordinator.group('analytics')!.members.size).toBe(0);
    env.clock.advanceBy(5_000);
    expect(topState(actor)).toBe('rebalancing');
    expect(context(actor)).toMatchObject({ generationId: -1, memberId: '' });
  });

  it('stable: heartbeat NOT_COORDINATOR -> FindCoordinator after retry.backoff.ms, heartbeats resume, still stable', () => {
    const env = setUp();
    const actor = env.member();
    joinStable(env, actor);
    env.coordinator.inject('heartbeat', 'NOT_COORDINATOR');
    env.clock.advanceBy(3_000);
    expect(context(actor).coordinator).toBeNull();
    const failedAtMs = env.coordinator.requestsOf('heartbeat')[0]!.atMs + 1;
    env.clock.advanceBy(3_500);
    expect(env.coordinator.requestsOf('findCoordinator')[1]!.atMs - failedAtMs).toBe(100);
    expect(topState(actor)).toBe('stable');
    expect(env.coordinator.requestsOf('heartbeat').length).toBeGreaterThanOrEqual(2);
  });

  it('stable: a heartbeat that fails as a request (connection lost) rediscovers the coordinator', () => {
    const env = setUp();
    const actor = env.member();
    joinStable(env, actor);
    env.coordinator.inject('heartbeat', { failRequest: 'NETWORK_EXCEPTION' });
    env.clock.advanceBy(3_001);
    expect(context(actor).coordinator).toBeNull();
    env.clock.advanceBy(200);
    expect(context(actor).coordinator).not.toBeNull();
    expect(topState(actor)).toBe('stable');
  });

  it('joining: FindCoordinator COORDINATOR_NOT_AVAILABLE -> retried after an exponential backoff', () => {
    const env = setUp();
    const actor = env.member();
    env.coordinator.inject('findCoordinator', 'COORDINATOR_NOT_AVAILABLE', 'COORDINATOR_NOT_AVAILABLE');
    actor.send({ type: 'app.subscribe', topics: ['orders'] });
    poll(actor);
    env.clock.advanceBy(1_000);
    const times = env.coordinator.requestsOf('findCoordinator').map((request) => request.atMs);
    expect(times).toEqual([0, 101, 302]);
    expect(topState(actor)).toBe('stable');
  });

  it('joining: JoinGroup NOT_COORDINATOR -> FindCoordinator again, then join the new coordinator', () => {
    const env = setUp();
    const actor = env.member();
    env.coordinator.inject('joinGroup', 'NOT_COORDINATOR');
    actor.send({ type: 'app.subscribe', topics: ['orders'] });
    poll(actor);
    env.clock.advanceBy(2);
    expect(actor.getSnapshot().matches({ joining: 'backingOff' })).toBe(true);
    expect(context(actor).coordinator).toBeNull();
    env.clock.advanceBy(200);
    expect(env.coordinator.requestsOf('findCoordinator')).toHaveLength(2);
    expect(topState(actor)).toBe('stable');
  });

  it('joining: JoinGroup COORDINATOR_LOAD_IN_PROGRESS -> the same coordinator is joined again after the backoff', () => {
    const env = setUp();
    const actor = env.member();
    env.coordinator.inject('joinGroup', 'COORDINATOR_LOAD_IN_PROGRESS');
    actor.send({ type: 'app.subscribe', topics: ['orders'] });
    poll(actor);
    env.clock.advanceBy(2);
    expect(actor.getSnapshot().matches({ joining: 'joinBackingOff' })).toBe(true);
    env.clock.advanceBy(200);
    expect(env.coordinator.requestsOf('findCoordinator')).toHaveLength(1);
    expect(topState(actor)).toBe('stable');
  });

  const fatalErrors: FailureErrorName[] = ['INCONSISTENT_GROUP_PROTOCOL', 'GROUP_MAX_SIZE_REACHED', 'INVALID_SESSION_TIMEOUT', 'INVALID_GROUP_ID', 'FENCED_INSTANCE_ID'];
  for (const errorName of fatalErrors) {
    it(`joining -> dead on JoinGroup ${errorName}, keeping the error`, () => {
      const env = setUp();
      const actor = env.member();
      env.coordinator.inject('joinGroup', errorName);
      actor.send({ type: 'app.subscribe', topics: ['orders'] });
      poll(actor);
      env.clock.advanceBy(1_000);
      expect(topState(actor)).toBe('dead');
      expect(actor.getSnapshot().status).toBe('done');
      expect(context(actor).fatalError).toMatchObject({ errorName });
      expect(env.coordinator.requestsOf('joinGroup')).toHaveLength(1);
    });
  }

  it('joining -> dead on JoinGroup INVALID_SESSION_TIMEOUT, naming the session.timeout.ms asked for and the broker settings that bound it', () => {
    const env = setUp();
    const actor = env.member();
    env.coordinator.inject('joinGroup', 'INVALID_SESSION_TIMEOUT');
    actor.send({ type: 'app.subscribe', topics: ['orders'] });
    poll(actor);
    env.clock.advanceBy(1_000);
    const sessionTimeoutMs = context(actor).settings.sessionTimeoutMs;
    expect((context(actor).fatalError as Error).message).toBe(
      `session.timeout.ms ${sessionTimeoutMs} is outside what the group coordinator allows: between its group.min.session.timeout.ms and group.max.session.timeout.ms (6000 and 1800000 by default)`,
    );
  });

  it('joining -> dead on GROUP_MAX_SIZE_REACHED from a real coordinator limit', () => {
    const env = setUp();
    (env.coordinator as unknown as { maxGroupSize: number }).maxGroupSize = 1;
    const first = env.member('consumer-a');
    joinStable(env, first);
    const second = env.member('consumer-b');
    second.send({ type: 'app.subscribe', topics: ['orders'] });
    poll(second);
    env.clock.advanceBy(100);
    expect(topState(second)).toBe('dead');
    expect(context(second).fatalError).toMatchObject({ errorName: 'GROUP_MAX_SIZE_REACHED' });
  });

  it('stable -> dead on heartbeat FENCED_INSTANCE_ID', () => {
    const env = setUp();
    const actor = env.member();
    joinStable(env, actor);
    env.coordinator.inject('heartbeat', 'FENCED_INSTANCE_ID');
    env.clock.advanceBy(3_000);
    expect(topState(actor)).toBe('dead');
  });

  it('syncing -> joining on SyncGroup REBALANCE_IN_PROGRESS, keeping the generation', () => {
    const env = setUp();
    const actor = env.member();
    env.coordinator.inject('syncGroup', 'REBALANCE_IN_PROGRESS');
    actor.send({ type: 'app.subscribe', topics: ['orders'] });
    poll(actor);
    env.clock.advanceBy(4);
    expect(topState(actor)).toBe('joining');
    expect(context(actor).generationId).toBe(1);
    env.clock.advanceBy(20);
    expect(topState(actor)).toBe('stable');
    expect(context(actor).generationId).toBe(2);
  });

  it('syncing -> joining on SyncGroup ILLEGAL_GENERATION, with the generation reset', () => {
    const env = setUp();
    const actor = env.member();
    env.coordinator.inject('syncGroup', 'ILLEGAL_GENERATION');
    actor.send({ type: 'app.subscribe', topics: ['orders'] });
    poll(actor);
    env.clock.advanceBy(4);
    expect(topState(actor)).toBe('joining');
    expect(context(actor)).toMatchObject({ generationId: -1, memberId: 'consumer-a-1' });
  });

  it('syncing -> joining on heartbeat ILLEGAL_GENERATION of the current generation', () => {
    const env = setUp();
    const actor = env.member();
    env.coordinator.inject('syncGroup', 'silence');
    env.coordinator.inject('heartbeat', 'ILLEGAL_GENERATION');
    actor.send({ type: 'app.subscribe', topics: ['orders'] });
    poll(actor);
    env.clock.advanceBy(3_010);
    expect(topState(actor)).not.toBe('syncing');
    expect(env.coordinator.requestsOf('joinGroup').at(-1)!.body.memberId).toBe('consumer-a-1');
  });

  it('stable -> rebalancing when the subscription changes', () => {
    const env = setUp();
    const actor = env.member();
    joinStable(env, actor);
    actor.send({ type: 'app.subscribe', topics: ['orders'] });
    expect(topState(actor)).toBe('stable');
    actor.send({ type: 'app.subscribe', topics: ['orders', 'payments'] });
    expect(topState(actor)).toBe('rebalancing');
    expect(context(actor).revocation).toBeNull();
    expect(context(actor).generationId).toBe(1);
  });

  it('joining: a subscription changed while the JoinGroup was outstanding makes stable -> rebalancing at once', () => {
    const env = setUp();
    const actor = env.member();
    actor.send({ type: 'app.subscribe', topics: ['orders'] });
    poll(actor);
    env.clock.advanceBy(2);
    actor.send({ type: 'app.subscribe', topics: ['payments'] });
    env.clock.advanceBy(20);
    expect(topState(actor)).toBe('rebalancing');
    poll(actor);
    actor.send({ type: 'app.revocationDone' });
    env.clock.advanceBy(20);
    expect(topState(actor)).toBe('stable');
    expect(context(actor).assignment).toEqual([
      { topic: 'payments', partition: 0 },
      { topic: 'payments', partition: 1 },
    ]);
    expect(env.coordinator.requestsOf('joinGroup').at(-1)!.body.reason).toBe('the subscription changed since the last join');
  });

  it('stable (leader) -> rebalancing on metadata.updated when a subscribed topic grew; a follower stays stable', () => {
    const env = setUp();
    const leader = env.member('consumer-a');
    const follower = env.member('consumer-b');
    for (const actor of [leader, follower]) {
      actor.send({ type: 'app.subscribe', topics: ['orders'] });
      poll(actor);
    }
    env.clock.advanceBy(20);
    leader.send({ type: 'metadata.updated' });
    expect(topState(leader)).toBe('stable');
    env.partitionCounts.set('orders', 6);
    follower.send({ type: 'metadata.updated' });
    leader.send({ type: 'metadata.updated' });
    expect(topState(follower)).toBe('stable');
    expect(topState(leader)).toBe('rebalancing');
  });

  it('syncing -> stable -> rebalancing at once when a topic the leader assigned as unknown appeared during the sync (rejoinNeededOrPending)', () => {
    const env = setUp();
    const leader = env.member('consumer-a');
    leader.send({ type: 'app.subscribe', topics: ['orders', 'refunds'] });
    poll(leader);
    advanceUntil(env, () => topState(leader) === 'syncing');
    expect(context(leader).assignmentSnapshot).toEqual({ orders: 3, refunds: -1 });
    // The topic was created just before the group formed: the refresh that shows it lands while the SyncGroup is out.
    env.partitionCounts.set('refunds', 2);
    leader.send({ type: 'metadata.updated' });
    expect(topState(leader)).toBe('syncing');
    advanceUntil(env, () => topState(leader) !== 'syncing');
    expect(topState(leader)).toBe('rebalancing');
    expect(context(leader)).toMatchObject({ rejoinReason: 'the partition counts of subscribed topics changed', rejoinTrigger: 'partition-change' });
    poll(leader);
    leader.send({ type: 'app.revocationDone' });
    advanceUntil(env, () => topState(leader) === 'stable');
    expect(env.coordinator.requestsOf('joinGroup').at(-1)!.body.reason).toBe('the partition counts of subscribed topics changed');
    expect(context(leader).assignmentSnapshot).toEqual({ orders: 3, refunds: 2 });
    expect(context(leader).assignment.filter((tp) => tp.topic === 'refunds')).toEqual([
      { topic: 'refunds', partition: 0 },
      { topic: 'refunds', partition: 1 },
    ]);
    // The new snapshot matches the metadata: the member stays stable.
    env.clock.advanceBy(10_000);
    expect(topState(leader)).toBe('stable');
  });

  it('syncing -> stable (follower) stays stable when its metadata changed during the sync: only the leader watches partition counts', () => {
    const env = setUp();
    const leader = env.member('consumer-a');
    const follower = env.member('consumer-b');
    for (const actor of [leader, follower]) {
      actor.send({ type: 'app.subscribe', topics: ['orders'] });
      poll(actor);
    }
    advanceUntil(env, () => topState(follower) === 'syncing' && topState(leader) === 'syncing');
    expect(context(follower).leaderId).not.toBe(context(follower).memberId);
    env.partitionCounts.set('orders', 6);
    advanceUntil(env, () => topState(follower) !== 'syncing');
    expect(topState(follower)).toBe('stable');
    // The leader sees it on entering stable and rejoins; the follower follows on the coordinator's REBALANCE_IN_PROGRESS.
    expect(topState(leader)).toBe('rebalancing');
  });

  it('stable -> unjoined on app.unsubscribe, with LeaveGroup', () => {
    const env = setUp();
    const actor = env.member();
    joinStable(env, actor);
    actor.send({ type: 'app.unsubscribe' });
    expect(topState(actor)).toBe('unjoined');
    expect(env.coordinator.requestsOf('leaveGroup')[0]!.body.members[0]).toMatchObject({ memberId: 'consumer-a-1', reason: 'the consumer unsubscribed' });
    expect(context(actor)).toMatchObject({ generationId: -1, memberId: '', subscribed: false });
    // Only the LeaveGroup answer is still on its way: no heartbeat, session or poll timer is left armed.
    env.clock.advanceBy(10);
    expect(env.clock.pendingTimerCount).toBe(0);
  });

  it('stable -> dead on app.close, with LeaveGroup and no timers left', () => {
    const env = setUp();
    const actor = env.member();
    joinStable(env, actor);
    actor.send({ type: 'app.close' });
    expect(topState(actor)).toBe('dead');
    expect(env.coordinator.requestsOf('leaveGroup')).toHaveLength(1);
    env.clock.advanceBy(100_000);
    expect(env.coordinator.requestsOf('heartbeat')).toEqual([]);
  });

  it('unjoined -> dead on app.close without a LeaveGroup (never joined)', () => {
    const env = setUp();
    const actor = env.member();
    actor.send({ type: 'app.close' });
    expect(topState(actor)).toBe('dead');
    expect(env.coordinator.requests).toEqual([]);
  });

  it('ignores a late answer to an older JoinGroup', () => {
    const env = setUp();
    const actor = env.member();
    actor.send({ type: 'app.subscribe', topics: ['orders'] });
    poll(actor);
    env.clock.advanceBy(1);
    const pending = context(actor).pendingJoin!;
    actor.send({
      type: 'response.joinGroup',
      sequence: pending - 1,
      outcome: { errorName: 'NONE', message: null, body: { throttleTimeMs: 0, errorCode: 0, generationId: 9, protocolType: 'consumer', protocolName: 'range', leader: 'x', skipAssignment: false, memberId: 'x', members: [] } },
    });
    expect(actor.getSnapshot().matches({ joining: 'awaitingJoin' })).toBe(true);
    env.clock.advanceBy(20);
    expect(context(actor).generationId).toBe(1);
  });

  it('rebalancing: timer.pollExpired while revoking leaves the group, so the revocation becomes a loss next time', () => {
    const env = setUp({ maxPollIntervalMs: 20_000 });
    const actor = env.member();
    joinStable(env, actor);
    env.coordinator.inject('heartbeat', 'REBALANCE_IN_PROGRESS');
    env.clock.advanceBy(3_000);
    poll(actor);
    expect(context(actor).revocation).toMatchObject({ lost: false });
    env.clock.advanceBy(20_000);
    expect(env.coordinator.requestsOf('leaveGroup')).toHaveLength(1);
    expect(context(actor)).toMatchObject({ generationId: -1, memberId: '' });
    actor.send({ type: 'app.revocationDone' });
    env.clock.advanceBy(20);
    expect(topState(actor)).toBe('stable');
  });
});

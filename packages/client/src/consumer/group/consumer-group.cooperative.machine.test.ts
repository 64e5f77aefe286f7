/**
 * The member statechart under COOPERATIVE rebalancing (KIP-429) and static membership (KIP-345), on a
 * simulated clock against the fake coordinator. The application's side (what the consumer does on its
 * poll turn) is played by `consumerTurn`: poll, and when the machine waits in a `revoking` state, report
 * what the consumer would still own.
 */
import { decodeSubscription, encodeAssignment, encodeSubscription, type RequestBody } from '@kactor/protocol';
import { createLogger, SimulatedClock, type Random } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import { createActor, type Actor } from 'xstate';
import { FakeGroupCoordinator } from '../../test-support/fake-group-coordinator.js';
import type { TopicPartition } from '../../topic-partition.js';
import { consumerGroupMachine, SECOND_ROUND_REASON } from './consumer-group.machine.js';
import { FencedInstanceIdError } from './group-errors.js';
import type { ConsumerGroupPorts, ConsumerGroupSettings } from './group-types.js';
import { LastPoll } from './poll-timer.js';

const cooperativeSettings: ConsumerGroupSettings = {
  groupId: 'analytics',
  groupInstanceId: null,
  clientId: 'a',
  sessionTimeoutMs: 10_000,
  heartbeatIntervalMs: 1_000,
  maxPollIntervalMs: 60_000,
  retryBackoffMs: 100,
  retryBackoffMaxMs: 1_000,
  requestTimeoutMs: 30_000,
  assignors: ['cooperative-sticky'],
  rebalanceProtocol: 'COOPERATIVE',
};

const middleRandom: Random = { next: () => 0.5, nextInt: (n) => Math.floor(n / 2), nextBytes: (n) => new Uint8Array(n) };
type GroupActor = Actor<typeof consumerGroupMachine>;

function setUp() {
  const clock = new SimulatedClock({ startMs: 0 });
  const coordinator = new FakeGroupCoordinator({ clock });
  const logger = createLogger({ clock });
  const partitionCounts = new Map<string, number>([
    ['orders', 3],
    ['payments', 2],
  ]);
  const ports: Omit<ConsumerGroupPorts, 'lastPollMs'> = {
    clock,
    random: middleRandom,
    logger,
    findCoordinator: (body, onResult) => coordinator.handle('findCoordinator', body, onResult),
    request: (_url, api, body, onResult, options) => coordinator.handle(api, body, onResult, options),
    partitionCount: (topic) => partitionCounts.get(topic),
    heldPartitions: () => [],
  };
  const member = (clientId: string, extra: Partial<ConsumerGroupSettings> = {}) => startMember(clock, { ...cooperativeSettings, ...extra, clientId }, ports);
  return { clock, coordinator, partitionCounts, member };
}

/** Each member's poll() record, as its ClassicMembership keeps it. */
const lastPolls = new WeakMap<GroupActor, LastPoll>();

function startMember(clock: SimulatedClock, memberSettings: ConsumerGroupSettings, ports: Omit<ConsumerGroupPorts, 'lastPollMs'>): GroupActor {
  const lastPoll = new LastPoll(clock);
  const actor = createActor(consumerGroupMachine, { clock, input: { settings: memberSettings, ports: { ...ports, lastPollMs: () => lastPoll.lastPollMs() } } }).start();
  lastPolls.set(actor, lastPoll);
  return actor;
}

/** The application's poll(), as ClassicMembership passes it on: its time for the poll timer, `app.poll` where it moves the member. */
function poll(actor: GroupActor): void {
  lastPolls.get(actor)!.poll(actor);
}

const topState = (actor: GroupActor): string => {
  const value = actor.getSnapshot().value;
  return typeof value === 'string' ? value : Object.keys(value)[0]!;
};
const context = (actor: GroupActor) => actor.getSnapshot().context;
const names = (partitions: readonly TopicPartition[]) => partitions.map((tp) => `${tp.topic}-${tp.partition}`).sort();

/** The consumer's poll turn: poll, and finish a revocation the way ConsumerCoordinator.revoke does. */
function consumerTurn(actor: GroupActor): void {
  poll(actor);
  const snapshot = actor.getSnapshot();
  if (!snapshot.hasTag('revoking')) return;
  const { revocation, owned, assignment, subscription } = snapshot.context;
  const kind = revocation?.kind ?? 'all';
  const kept = kind === 'moved' ? assignment : kind === 'unsubscribed' ? owned.filter((tp) => subscription.includes(tp.topic)) : [];
  actor.send({ type: 'app.revocationDone', owned: kept });
}

/** Every actor takes a poll turn every 10 ms of simulated time. */
function run(env: ReturnType<typeof setUp>, actors: readonly GroupActor[], ms: number): void {
  for (let elapsed = 0; elapsed < ms; elapsed += 10) {
    for (const actor of actors) consumerTurn(actor);
    env.clock.advanceBy(10);
  }
}

/** Advances the simulated clock 1 ms at a time until `condition` holds, failing after `boundMs`. */
function advanceUntil(env: ReturnType<typeof setUp>, condition: () => boolean, boundMs = 1_000): void {
  for (let elapsedMs = 0; !condition(); elapsedMs += 1) {
    if (elapsedMs >= boundMs) throw new Error(`condition not reached within ${boundMs} ms`);
    env.clock.advanceBy(1);
  }
}

function joinAlone(env: ReturnType<typeof setUp>, actor: GroupActor, topics = ['orders']): void {
  actor.send({ type: 'app.subscribe', topics });
  run(env, [actor], 50);
  expect(topState(actor)).toBe('stable');
}

describe('consumer group machine, COOPERATIVE', () => {
  it('stable -> rebalancing.cooperative on REBALANCE_IN_PROGRESS keeps owned partitions and sends them in the JoinGroup', () => {
    const env = setUp();
    const a = env.member('a');
    joinAlone(env, a);
    expect(names(context(a).owned)).toEqual(['orders-0', 'orders-1', 'orders-2']);
    env.coordinator.inject('heartbeat', 'REBALANCE_IN_PROGRESS');
    env.clock.advanceBy(1_000);
    expect(a.getSnapshot().matches({ rebalancing: { cooperative: 'awaitingPoll' } })).toBe(true);
    poll(a);
    expect(a.getSnapshot().matches({ rebalancing: { cooperative: 'revokingUnsubscribed' } })).toBe(true);
    expect(context(a).revocation).toMatchObject({ kind: 'unsubscribed', lost: false });
    a.send({ type: 'app.revocationDone', owned: context(a).owned });
    expect(topState(a)).toBe('joining');
    const join = env.coordinator.requestsOf('joinGroup').at(-1)!.body;
    const subscription = decodeSubscription(join.protocols[0]!.metadata);
    expect(subscription.ok && subscription.value).toMatchObject({ ownedPartitions: [{ topic: 'orders', partitions: [0, 1, 2] }], generationId: 1 });
  });

  it('rebalancing.cooperative: revokingUnsubscribed asks only for topics no longer subscribed', () => {
    const env = setUp();
    const a = env.member('a');
    joinAlone(env, a, ['orders', 'payments']);
    a.send({ type: 'app.subscribe', topics: ['orders'] });
    expect(topState(a)).toBe('rebalancing');
    expect(context(a).rejoinTrigger).toBe('subscription-change');
    poll(a);
    expect(context(a).revocation?.kind).toBe('unsubscribed');
    consumerTurn(a);
    expect(names(context(a).owned)).toEqual(['orders-0', 'orders-1', 'orders-2']);
    expect(env.coordinator.requestsOf('joinGroup').at(-1)!.body.reason).toContain('subscription changed');
  });

  it('syncing -> rebalancing.cooperative.revokingMoved -> joining (second round) when revoked is non-empty; the newcomer gets the partition in round 2', () => {
    const env = setUp();
    const a = env.member('a');
    joinAlone(env, a);
    const b = env.member('b');
    b.send({ type: 'app.subscribe', topics: ['orders'] });
    poll(b);
    // Round 1: a rejoins owning all three; the sticky assignment moves one to b, and the cooperative adjustment holds it back.
    env.clock.advanceBy(1_000);
    consumerTurn(a);
    env.clock.advanceBy(20);
    expect(a.getSnapshot().matches({ rebalancing: { cooperative: 'revokingMoved' } })).toBe(true);
    expect(context(a).revocation).toMatchObject({ kind: 'moved', generationId: 2 });
    expect(context(a).assignment).toHaveLength(2);
    expect(topState(b)).toBe('stable');
    expect(context(b).assignment).toEqual([]);
    // a gives up the moved partition and rejoins at once.
    consumerTurn(a);
    expect(topState(a)).toBe('joining');
    expect(env.coordinator.requestsOf('joinGroup').at(-1)!.body.reason).toBe(SECOND_ROUND_REASON);
    run(env, [a, b], 2_000);
    expect([topState(a), topState(b)]).toEqual(['stable', 'stable']);
    expect(context(a).generationId).toBe(3);
    expect(names([...context(a).assignment, ...context(b).assignment])).toEqual(['orders-0', 'orders-1', 'orders-2']);
    expect(context(a).assignment).toHaveLength(2);
    expect(context(b).assignment).toHaveLength(1);
  });

  it('syncing -> stable -> rebalancing.cooperative at once when the subscribed topic appeared during the sync; the next generation shares it', () => {
    const env = setUp();
    const a = env.member('a');
    const b = env.member('b');
    for (const actor of [a, b]) {
      actor.send({ type: 'app.subscribe', topics: ['refunds'] });
      poll(actor);
    }
    // The topic was created just before the group formed: the leader assigns it as unknown, and the refresh lands during the sync.
    advanceUntil(env, () => topState(a) === 'syncing' && topState(b) === 'syncing');
    const leader = context(a).leaderId === context(a).memberId ? a : b;
    expect(context(leader).assignmentSnapshot).toEqual({ refunds: -1 });
    env.partitionCounts.set('refunds', 4);
    advanceUntil(env, () => topState(leader) !== 'syncing');
    expect(leader.getSnapshot().matches({ rebalancing: { cooperative: 'awaitingPoll' } })).toBe(true);
    expect(context(leader).rejoinTrigger).toBe('partition-change');
    run(env, [a, b], 3_000);
    expect(topState(a)).toBe('stable');
    expect(topState(b)).toBe('stable');
    expect(context(a).owned).toHaveLength(2);
    expect(context(b).owned).toHaveLength(2);
    expect(names([...context(a).owned, ...context(b).owned])).toEqual(['refunds-0', 'refunds-1', 'refunds-2', 'refunds-3']);
  });

  it('joining -> rebalancing on UNKNOWN_MEMBER_ID while owning partitions: they are lost before the member joins again', () => {
    const env = setUp();
    const a = env.member('a');
    joinAlone(env, a);
    env.coordinator.inject('heartbeat', 'REBALANCE_IN_PROGRESS');
    env.coordinator.inject('joinGroup', 'UNKNOWN_MEMBER_ID');
    env.clock.advanceBy(1_000);
    consumerTurn(a);
    env.clock.advanceBy(5);
    expect(topState(a)).toBe('rebalancing');
    expect(context(a)).toMatchObject({ generationId: -1, memberId: '', rejoinTrigger: 'session-timeout' });
    poll(a);
    expect(context(a).revocation).toMatchObject({ kind: 'lost', lost: true });
    a.send({ type: 'app.revocationDone', owned: [] });
    // The coordinator lets the new member in once the old one's session (10 s) expired.
    run(env, [a], 12_000);
    expect(topState(a)).toBe('stable');
    expect(context(a).owned).toHaveLength(3);
  });

  it('syncing -> rebalancing on ILLEGAL_GENERATION while owning partitions (lost), not straight back to joining', () => {
    const env = setUp();
    const a = env.member('a');
    joinAlone(env, a);
    env.coordinator.inject('heartbeat', 'REBALANCE_IN_PROGRESS');
    env.coordinator.inject('syncGroup', 'ILLEGAL_GENERATION');
    env.clock.advanceBy(1_000);
    consumerTurn(a);
    env.clock.advanceBy(10);
    expect(topState(a)).toBe('rebalancing');
    poll(a);
    expect(context(a).revocation?.kind).toBe('lost');
  });

  it('EAGER members still revoke everything: the JoinGroup after a revocation carries no owned partitions', () => {
    const env = setUp();
    const a = env.member('a', { assignors: ['range', 'cooperative-sticky'], rebalanceProtocol: 'EAGER' });
    joinAlone(env, a);
    env.coordinator.inject('heartbeat', 'REBALANCE_IN_PROGRESS');
    env.clock.advanceBy(1_000);
    poll(a);
    expect(a.getSnapshot().matches({ rebalancing: { eager: 'revokingAll' } })).toBe(true);
    consumerTurn(a);
    const subscription = decodeSubscription(env.coordinator.requestsOf('joinGroup').at(-1)!.body.protocols[0]!.metadata);
    expect(subscription.ok && subscription.value.ownedPartitions).toEqual([]);
  });
});

describe('consumer group machine, static membership (KIP-345)', () => {
  it('sends group.instance.id in JoinGroup, SyncGroup and Heartbeat', () => {
    const env = setUp();
    const a = env.member('a', { groupInstanceId: 'reader-1' });
    joinAlone(env, a);
    env.clock.advanceBy(1_500);
    for (const api of ['joinGroup', 'syncGroup', 'heartbeat'] as const) {
      const bodies = env.coordinator.requestsOf(api).map((request) => request.body as { groupInstanceId: string | null });
      expect(bodies.length).toBeGreaterThan(0);
      expect(bodies.every((body) => body.groupInstanceId === 'reader-1')).toBe(true);
    }
  });

  it('stable -> rebalancing on max.poll.interval.ms without a LeaveGroup for a static member; generation and member id reset', () => {
    const env = setUp();
    const a = env.member('a', { groupInstanceId: 'reader-1', maxPollIntervalMs: 5_000 });
    joinAlone(env, a);
    env.clock.advanceBy(5_000);
    expect(topState(a)).toBe('rebalancing');
    expect(context(a)).toMatchObject({ generationId: -1, memberId: '', rejoinTrigger: 'poll-timeout' });
    expect(env.coordinator.requestsOf('leaveGroup')).toEqual([]);
  });

  it('stable -> dead on app.close without a LeaveGroup for a static member', () => {
    const env = setUp();
    const a = env.member('a', { groupInstanceId: 'reader-1' });
    joinAlone(env, a);
    a.send({ type: 'app.close' });
    expect(topState(a)).toBe('dead');
    expect(env.coordinator.requestsOf('leaveGroup')).toEqual([]);
  });

  it('FENCED_INSTANCE_ID -> dead, with a FencedInstanceIdError for poll() to throw', () => {
    const env = setUp();
    const a = env.member('a', { groupInstanceId: 'reader-1' });
    joinAlone(env, a);
    env.coordinator.inject('heartbeat', 'FENCED_INSTANCE_ID');
    env.clock.advanceBy(1_000);
    expect(topState(a)).toBe('dead');
    expect(context(a).fatalError).toBeInstanceOf(FencedInstanceIdError);
    expect((context(a).fatalError as FencedInstanceIdError).errorName).toBe('FENCED_INSTANCE_ID');
  });

  it('unjoined -> joining -> syncing -> stable for a restarted static member: the JoinGroup with an empty member id gets the current generation, SyncGroup the old assignment', () => {
    const clock = new SimulatedClock({ startMs: 0 });
    const sent: Array<{ api: string; body: unknown }> = [];
    const assignment = encodeAssignment({ assignedPartitions: [{ topic: 'orders', partitions: [1] }], userData: null });
    const ports: Omit<ConsumerGroupPorts, 'lastPollMs'> = {
      clock,
      random: middleRandom,
      logger: createLogger({ clock }),
      findCoordinator: (_body, onResult) => clock.setTimeout(() => onResult({ ok: true, body: { throttleTimeMs: 0, errorCode: 0, errorMessage: null, nodeId: 0, host: 'c', port: 1, url: 'memory://c:1' } }), 1),
      request: (_url, api, body, onResult) => {
        sent.push({ api, body });
        const answer = (response: unknown) => clock.setTimeout(() => (onResult as (result: unknown) => void)({ ok: true, body: response }), 1);
        if (api === 'joinGroup') {
          const join = body as RequestBody<'joinGroup'>;
          // The coordinator replaces the old member id of this instance: no MEMBER_ID_REQUIRED, no rebalance, generation 7 goes on.
          answer({ throttleTimeMs: 0, errorCode: 0, generationId: 7, protocolType: 'consumer', protocolName: 'cooperative-sticky', leader: 'other', skipAssignment: false, memberId: `${join.groupInstanceId}-new`, members: [] });
        } else if (api === 'syncGroup') {
          answer({ throttleTimeMs: 0, errorCode: 0, protocolType: 'consumer', protocolName: 'cooperative-sticky', assignment });
        } else if (api === 'heartbeat') {
          answer({ throttleTimeMs: 0, errorCode: 0 });
        }
      },
      partitionCount: () => 3,
      heldPartitions: () => [],
    };
    const a = startMember(clock, { ...cooperativeSettings, groupInstanceId: 'reader-1' }, ports);
    a.send({ type: 'app.subscribe', topics: ['orders'] });
    poll(a);
    clock.advanceBy(10);
    expect(topState(a)).toBe('stable');
    expect(context(a)).toMatchObject({ generationId: 7, memberId: 'reader-1-new', assignment: [{ topic: 'orders', partition: 1 }] });
    expect(sent.filter((request) => request.api === 'joinGroup')).toHaveLength(1);
    expect(sent[0]!.body).toMatchObject({ memberId: '', groupInstanceId: 'reader-1' });
    expect(sent[1]!.body).toMatchObject({ generationId: 7, memberId: 'reader-1-new', groupInstanceId: 'reader-1', assignments: [] });
  });

  it('syncing as a leader told skipAssignment: SyncGroup without assignments, and the leader still watches the topics', () => {
    const clock = new SimulatedClock({ startMs: 0 });
    const syncs: Array<RequestBody<'syncGroup'>> = [];
    const ports: Omit<ConsumerGroupPorts, 'lastPollMs'> = {
      clock,
      random: middleRandom,
      logger: createLogger({ clock }),
      findCoordinator: (_body, onResult) => clock.setTimeout(() => onResult({ ok: true, body: { throttleTimeMs: 0, errorCode: 0, errorMessage: null, nodeId: 0, host: 'c', port: 1, url: 'memory://c:1' } }), 1),
      request: (_url, api, body, onResult) => {
        const answer = (response: unknown) => clock.setTimeout(() => (onResult as (result: unknown) => void)({ ok: true, body: response }), 1);
        if (api === 'joinGroup') {
          answer({
            throttleTimeMs: 0,
            errorCode: 0,
            generationId: 4,
            protocolType: 'consumer',
            protocolName: 'cooperative-sticky',
            leader: 'me',
            skipAssignment: true,
            memberId: 'me',
            members: [{ memberId: 'me', groupInstanceId: 'reader-1', metadata: encodeSubscription({ topics: ['orders'] }) }],
          });
        } else if (api === 'syncGroup') {
          syncs.push(body as RequestBody<'syncGroup'>);
          answer({ throttleTimeMs: 0, errorCode: 0, protocolType: 'consumer', protocolName: 'cooperative-sticky', assignment: encodeAssignment({ assignedPartitions: [{ topic: 'orders', partitions: [0, 1, 2] }], userData: null }) });
        } else if (api === 'heartbeat') {
          answer({ throttleTimeMs: 0, errorCode: 0 });
        }
      },
      partitionCount: () => 3,
      heldPartitions: () => [],
    };
    const a = startMember(clock, { ...cooperativeSettings, groupInstanceId: 'reader-1' }, ports);
    a.send({ type: 'app.subscribe', topics: ['orders'] });
    poll(a);
    clock.advanceBy(10);
    expect(topState(a)).toBe('stable');
    expect(syncs[0]!.assignments).toEqual([]);
    expect(context(a).assignmentSnapshot).toEqual({ orders: 3 });
  });
});


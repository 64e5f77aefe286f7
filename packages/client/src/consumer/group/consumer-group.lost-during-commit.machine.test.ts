/**
 * The member statechart when it loses its generation while the consumer runs the auto-commit before a
 * revocation (Kafka's onJoinPrepare decides revoked or lost only after its commit): EAGER and COOPERATIVE,
 * on a simulated clock against the fake coordinator. The consumer is played by hand: it holds what the
 * machine owns, and says `app.autoCommitDone` where ConsumerCoordinator would after its commit.
 */
import { createLogger, SimulatedClock, type Random } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import { createActor, type Actor } from 'xstate';
import { FakeGroupCoordinator } from '../../test-support/fake-group-coordinator.js';
import type { TopicPartition } from '../../topic-partition.js';
import { consumerGroupMachine } from './consumer-group.machine.js';
import type { MembershipEvent } from './group-membership.js';
import type { ConsumerGroupSettings } from './group-types.js';
import { LastPoll } from './poll-timer.js';

type GroupActor = Actor<typeof consumerGroupMachine>;
type RevocationRequested = Extract<MembershipEvent, { type: 'revocation.requested' }>;

const baseSettings: ConsumerGroupSettings = {
  groupId: 'analytics',
  groupInstanceId: null,
  clientId: 'a',
  sessionTimeoutMs: 10_000,
  heartbeatIntervalMs: 1_000,
  maxPollIntervalMs: 60_000,
  retryBackoffMs: 100,
  retryBackoffMaxMs: 1_000,
  requestTimeoutMs: 30_000,
  assignors: ['range'],
  rebalanceProtocol: 'EAGER',
};

const middleRandom: Random = { next: () => 0.5, nextInt: (n) => Math.floor(n / 2), nextBytes: (n) => new Uint8Array(n) };
const names = (partitions: readonly TopicPartition[]) => partitions.map((tp) => `${tp.topic}-${tp.partition}`).sort();

function setUp(extra: Partial<ConsumerGroupSettings> = {}) {
  const clock = new SimulatedClock({ startMs: 0 });
  const coordinator = new FakeGroupCoordinator({ clock });
  const logger = createLogger({ clock });
  const polls = new WeakMap<GroupActor, LastPoll>();
  const requests = new WeakMap<GroupActor, RevocationRequested[]>();
  const member = (clientId: string, memberSettings: Partial<ConsumerGroupSettings> = {}): GroupActor => {
    const lastPoll = new LastPoll(clock);
    const self: { actor?: GroupActor } = {};
    const actor = createActor(consumerGroupMachine, {
      clock,
      input: {
        settings: { ...baseSettings, ...extra, ...memberSettings, clientId },
        ports: {
          clock,
          random: middleRandom,
          logger,
          findCoordinator: (body, onResult) => coordinator.handle('findCoordinator', body, onResult),
          request: (_url, api, body, onResult, options) => coordinator.handle(api, body, onResult, options),
          partitionCount: (topic) => (topic === 'orders' ? 3 : topic === 'payments' ? 2 : undefined),
          // The consumer holds what the member owns (what it reported after its last revocation, or its assignment).
          heldPartitions: () => [...(self.actor?.getSnapshot().context.owned ?? [])],
          lastPollMs: () => lastPoll.lastPollMs(),
        },
      },
    });
    self.actor = actor;
    const seen: RevocationRequested[] = [];
    actor.on('revocation.requested', (event) => seen.push(event));
    requests.set(actor, seen);
    polls.set(actor, lastPoll);
    actor.start();
    return actor;
  };
  const poll = (actor: GroupActor) => polls.get(actor)!.poll(actor);
  const revocations = (actor: GroupActor) => requests.get(actor)!;
  return { clock, coordinator, member, poll, revocations };
}

type Env = ReturnType<typeof setUp>;

function joinStable(env: Env, actor: GroupActor, topics = ['orders']): void {
  actor.send({ type: 'app.subscribe', topics });
  env.poll(actor);
  env.clock.advanceBy(20);
  expect(actor.getSnapshot().value).toBe('stable');
}

/** The coordinator starts a rebalance; the application's next poll() asks for the revocation. */
function rebalanceAndPoll(env: Env, actor: GroupActor): void {
  env.coordinator.inject('heartbeat', 'REBALANCE_IN_PROGRESS');
  env.clock.advanceBy(1_000);
  env.poll(actor);
}

const refusedInCurrentGeneration = (actor: GroupActor, errorName: 'ILLEGAL_GENERATION' | 'UNKNOWN_MEMBER_ID') => {
  const { generationId, memberId } = actor.getSnapshot().context;
  actor.send({ type: 'commit.refused', errorName, sent: { generationId, memberId } });
};

describe('consumer group machine, generation lost during the auto-commit before a revocation', () => {
  for (const errorName of ['ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID'] as const) {
    it(`rebalancing.eager.revokingAll -> losingAll on app.autoCommitDone after the commit failed with ${errorName} (lost, not revoked)`, () => {
      const env = setUp();
      const a = env.member('a');
      joinStable(env, a);
      rebalanceAndPoll(env, a);
      expect(a.getSnapshot().matches({ rebalancing: { eager: 'revokingAll' } })).toBe(true);
      expect(env.revocations(a).at(-1)).toMatchObject({ kind: 'revoke', autoCommitFirst: true });
      refusedInCurrentGeneration(a, errorName);
      a.send({ type: 'app.autoCommitDone' });
      expect(a.getSnapshot().matches({ rebalancing: 'losingAll' })).toBe(true);
      const lost = env.revocations(a).at(-1)!;
      expect(lost).toMatchObject({ kind: 'lose', autoCommitFirst: false, thenAssign: null });
      expect(names(lost.partitions)).toEqual(['orders-0', 'orders-1', 'orders-2']);
      a.send({ type: 'app.revocationDone', owned: [] });
      expect(a.getSnapshot().matches({ joining: 'awaitingJoin' })).toBe(true);
      expect(a.getSnapshot().context.owned).toEqual([]);
      env.clock.advanceBy(12_000);
      expect(a.getSnapshot().value).toBe('stable');
    });
  }

  it('rebalancing.eager.revokingAll -> losingAll on app.autoCommitDone after a heartbeat fenced the member during the commit', () => {
    const env = setUp();
    const a = env.member('a');
    joinStable(env, a);
    rebalanceAndPoll(env, a);
    env.coordinator.inject('heartbeat', 'UNKNOWN_MEMBER_ID');
    env.clock.advanceBy(1_000);
    expect(a.getSnapshot().context).toMatchObject({ generationId: -1, memberId: '' });
    a.send({ type: 'app.autoCommitDone' });
    expect(a.getSnapshot().matches({ rebalancing: 'losingAll' })).toBe(true);
    expect(env.revocations(a).at(-1)).toMatchObject({ kind: 'lose' });
  });

  it('rebalancing.eager.revokingAll stays on app.autoCommitDone when the member kept its generation (revoked, nothing asked again)', () => {
    const env = setUp();
    const a = env.member('a');
    joinStable(env, a);
    rebalanceAndPoll(env, a);
    const asked = env.revocations(a).length;
    a.send({ type: 'app.autoCommitDone' });
    expect(a.getSnapshot().matches({ rebalancing: { eager: 'revokingAll' } })).toBe(true);
    expect(env.revocations(a)).toHaveLength(asked);
    a.send({ type: 'app.revocationDone', owned: [] });
    expect(a.getSnapshot().matches({ joining: 'awaitingJoin' })).toBe(true);
  });

  it('rebalancing.eager.revokingAll: a loss asked for at once (no generation at the poll) is not asked again after the commit', () => {
    const env = setUp();
    const a = env.member('a');
    joinStable(env, a);
    env.coordinator.inject('heartbeat', 'ILLEGAL_GENERATION');
    env.clock.advanceBy(1_000);
    env.poll(a);
    expect(env.revocations(a).at(-1)).toMatchObject({ kind: 'lose' });
    const asked = env.revocations(a).length;
    a.send({ type: 'app.autoCommitDone' });
    expect(a.getSnapshot().matches({ rebalancing: { eager: 'revokingAll' } })).toBe(true);
    expect(env.revocations(a)).toHaveLength(asked);
  });

  it('rebalancing.cooperative.revokingUnsubscribed -> losingAll on app.autoCommitDone after the commit failed with ILLEGAL_GENERATION: every held partition is lost', () => {
    const env = setUp({ assignors: ['cooperative-sticky'], rebalanceProtocol: 'COOPERATIVE' });
    const a = env.member('a');
    joinStable(env, a, ['orders', 'payments']);
    a.send({ type: 'app.subscribe', topics: ['orders'] });
    env.poll(a);
    expect(a.getSnapshot().matches({ rebalancing: { cooperative: 'revokingUnsubscribed' } })).toBe(true);
    expect(names(env.revocations(a).at(-1)!.partitions)).toEqual(['payments-0', 'payments-1']);
    refusedInCurrentGeneration(a, 'ILLEGAL_GENERATION');
    a.send({ type: 'app.autoCommitDone' });
    expect(a.getSnapshot().matches({ rebalancing: 'losingAll' })).toBe(true);
    const lost = env.revocations(a).at(-1)!;
    expect(lost.kind).toBe('lose');
    expect(names(lost.partitions)).toEqual(['orders-0', 'orders-1', 'orders-2', 'payments-0', 'payments-1']);
    a.send({ type: 'app.revocationDone', owned: [] });
    expect(a.getSnapshot().value).toMatchObject({ joining: 'awaitingJoin' });
  });

  it('rebalancing.cooperative.revokingMoved -> losingAll on app.autoCommitDone after the commit failed with ILLEGAL_GENERATION: the assignment of the lost generation is not applied', () => {
    const env = setUp({ assignors: ['cooperative-sticky'], rebalanceProtocol: 'COOPERATIVE' });
    const a = env.member('a');
    joinStable(env, a);
    const b = env.member('b');
    b.send({ type: 'app.subscribe', topics: ['orders'] });
    env.poll(b);
    env.clock.advanceBy(1_000);
    env.poll(a);
    a.send({ type: 'app.revocationDone', owned: a.getSnapshot().context.owned });
    env.clock.advanceBy(20);
    expect(a.getSnapshot().matches({ rebalancing: { cooperative: 'revokingMoved' } })).toBe(true);
    const moved = env.revocations(a).at(-1)!;
    expect(moved).toMatchObject({ kind: 'revoke', autoCommitFirst: true });
    expect(moved.partitions).toHaveLength(1);
    refusedInCurrentGeneration(a, 'ILLEGAL_GENERATION');
    a.send({ type: 'app.autoCommitDone' });
    expect(a.getSnapshot().matches({ rebalancing: 'losingAll' })).toBe(true);
    const lost = env.revocations(a).at(-1)!;
    expect(lost).toMatchObject({ kind: 'lose', thenAssign: null });
    expect(names(lost.partitions)).toEqual(['orders-0', 'orders-1', 'orders-2']);
    a.send({ type: 'app.revocationDone', owned: [] });
    expect(a.getSnapshot().value).toMatchObject({ joining: 'awaitingJoin' });
    expect(a.getSnapshot().context.rejoinReason).toBe('rebalance after ILLEGAL_GENERATION');
  });
});

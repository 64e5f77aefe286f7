import { KafkaProtocolError, type FailureErrorName } from '@kactor/protocol';
import { createLogger, SimulatedClock, type Random } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import { createActor, type Actor } from 'xstate';
import { FencedInstanceIdError } from '../group-errors.js';
import { LastPoll } from '../poll-timer.js';
import { consumerMembershipMachine } from './consumer-membership.machine.js';
import { FakeHeartbeatCoordinator } from './fake-heartbeat-coordinator.js';
import { GroupMaxSizeReachedError, UnreleasedInstanceIdError, UnsupportedAssignorError } from './membership-errors.js';
import type { ConsumerMembershipEmitted, ConsumerMembershipSettings } from './membership-types.js';

const ORDERS = 'orders-topic-id';
const PAYMENTS = 'payments-topic-id';
const MEMBER_ID = 'member-V1StGXR8_Z5jdHi6B';

const settings: ConsumerMembershipSettings = {
  groupId: 'g848',
  groupInstanceId: null,
  rackId: null,
  maxPollIntervalMs: 300_000,
  serverAssignor: 'uniform',
  retryBackoffMs: 100,
  retryBackoffMaxMs: 1_000,
  memberId: MEMBER_ID,
};

/** No jitter: backoffs are exactly retry.backoff.ms * 2^n. */
const middleRandom: Random = { next: () => 0.5, nextInt: (n) => Math.floor(n / 2), nextBytes: (n) => new Uint8Array(n) };

type MembershipActor = Actor<typeof consumerMembershipMachine>;

/** A member against the fake coordinator; `autoHost` answers revocations and assignments at once, as a consumer polling all the time would. */
function setUp(options: { overrides?: Partial<ConsumerMembershipSettings>; autoHost?: boolean } = {}) {
  const clock = new SimulatedClock({ startMs: 0 });
  const coordinator = new FakeHeartbeatCoordinator({ clock, heartbeatIntervalMs: 5_000 });
  const topicNames = new Map<string, string>([
    [ORDERS, 'orders'],
    [PAYMENTS, 'payments'],
  ]);
  const metadataRequests: string[][] = [];
  const emitted: ConsumerMembershipEmitted[] = [];
  const host = { auto: options.autoHost === true };
  const lastPoll = new LastPoll(clock);
  const actor: MembershipActor = createActor(consumerMembershipMachine, {
    clock,
    input: {
      settings: { ...settings, ...options.overrides },
      ports: {
        clock,
        random: middleRandom,
        logger: createLogger({ clock }),
        findCoordinator: (body, onResult) => coordinator.findCoordinator(body, onResult),
        heartbeat: (_url, body, onResult) => coordinator.heartbeat(body, onResult),
        topicName: (topicId) => topicNames.get(topicId),
        requestMetadata: (topicIds) => metadataRequests.push([...topicIds]),
        lastPollMs: () => lastPoll.lastPollMs(),
      },
    },
  });
  actor.on('*', (event) => {
    emitted.push(event);
    if (!host.auto) return;
    // Answered after the machine finished its step, as the consumer does on the application's turn.
    if (event.type === 'revocation.requested') queueMicrotask(() => actor.send({ type: 'app.revocationDone', request: event.request }));
    if (event.type === 'assignment.ready') queueMicrotask(() => actor.send({ type: 'app.assignmentApplied', request: event.request }));
  });
  actor.start();
  /** The application's poll(), as ConsumerMembership passes it on: its time for the poll timer, `app.poll` where it moves the member. */
  const poll = () => lastPoll.poll(actor);
  return { clock, coordinator, topicNames, metadataRequests, emitted, actor, host, poll };
}

type Env = ReturnType<typeof setUp>;

const state = (actor: MembershipActor): unknown => actor.getSnapshot().value;
const lastRequest = (env: Env) => env.coordinator.requests.at(-1)!;
const ofType = <T extends ConsumerMembershipEmitted['type']>(env: Env, type: T) => env.emitted.filter((event): event is Extract<ConsumerMembershipEmitted, { type: T }> => event.type === type);
const settle = async (env: Env, ms: number) => {
  for (let step = 0; step < ms; step += 1) {
    env.clock.advanceBy(1);
    await Promise.resolve();
  }
};

/** subscribe, join with orders 0..2 at epoch 1, reconcile, acknowledge: STABLE. */
async function joinStable(env: Env, partitions = [0, 1, 2]): Promise<void> {
  env.coordinator.setTarget(MEMBER_ID, 1, [{ topicId: ORDERS, partitions }]);
  env.actor.send({ type: 'app.subscribe', topics: ['orders'] });
  await settle(env, 10);
  expect(state(env.actor)).toBe('STABLE');
}

describe('consumer membership machine (KIP-848)', () => {
  it('UNSUBSCRIBED -> JOINING on subscribe: FindCoordinator, then a heartbeat with epoch 0 and every field', () => {
    const env = setUp();
    expect(state(env.actor)).toBe('UNSUBSCRIBED');
    env.actor.send({ type: 'app.subscribe', topics: ['orders', 'payments', 'orders'] });
    expect(state(env.actor)).toBe('JOINING');
    env.clock.advanceBy(1);
    expect(env.coordinator.findCoordinatorRequests).toEqual([{ key: 'g848', keyType: 0 }]);
    expect(env.coordinator.requests).toEqual([
      {
        groupId: 'g848',
        memberId: MEMBER_ID,
        memberEpoch: 0,
        instanceId: null,
        rackId: null,
        rebalanceTimeoutMs: 300_000,
        subscribedTopicNames: ['orders', 'payments'],
        subscribedTopicRegex: null,
        serverAssignor: 'uniform',
        topicPartitions: [],
      },
    ]);
    expect(ofType(env, 'rebalance.started')).toHaveLength(1);
  });

  it('UNSUBSCRIBED stays UNSUBSCRIBED on subscribe to no topics', () => {
    const env = setUp();
    env.actor.send({ type: 'app.subscribe', topics: [] });
    env.clock.advanceBy(1_000);
    expect(state(env.actor)).toBe('UNSUBSCRIBED');
    expect(env.coordinator.requests).toEqual([]);
  });

  it('JOINING -> RECONCILING on assignment: nothing owned, so the assignment is offered at once', () => {
    const env = setUp();
    env.coordinator.setTarget(MEMBER_ID, 1, [{ topicId: ORDERS, partitions: [2, 0, 1] }]);
    env.actor.send({ type: 'app.subscribe', topics: ['orders'] });
    env.clock.advanceBy(2);
    expect(state(env.actor)).toEqual({ RECONCILING: 'assigning' });
    expect(ofType(env, 'revocation.requested')).toEqual([]);
    const [ready] = ofType(env, 'assignment.ready');
    const orders = (partition: number) => ({ topic: 'orders', partition });
    expect(ready).toMatchObject({ partitions: [orders(0), orders(1), orders(2)], added: [orders(0), orders(1), orders(2)], generation: 1, watchTopics: [] });
    expect(env.actor.getSnapshot().context.memberEpoch).toBe(1);
  });

  it('RECONCILING -> ACKNOWLEDGING when revocation done: revoke owned - target first, then add target - owned', async () => {
    const env = setUp({ autoHost: true });
    await joinStable(env, [0, 1, 2]);
    // Kafka's testStableToUnrevokedPartitions, from the member's side: epoch 10 -> 11 takes 0 away and adds 3.
    env.coordinator.setTarget(MEMBER_ID, 2, [{ topicId: ORDERS, partitions: [1, 2, 3] }]);
    const host = setUpManualHost(env);
    env.clock.advanceBy(5_000 + 1);
    expect(state(env.actor)).toEqual({ RECONCILING: 'revoking' });
    const [revocation] = ofType(env, 'revocation.requested');
    expect(revocation).toMatchObject({ kind: 'revoke', partitions: [{ topic: 'orders', partition: 0 }], autoCommitFirst: true, thenAssign: null });
    expect(ofType(env, 'assignment.ready')).toHaveLength(1); // the join's only: nothing added before the revocation
    host.revocationDone();
    expect(state(env.actor)).toEqual({ RECONCILING: 'assigning' });
    const ready = ofType(env, 'assignment.ready').at(-1)!;
    expect(ready).toMatchObject({ added: [{ topic: 'orders', partition: 3 }], generation: 2 });
    expect(ready.partitions.map((tp) => tp.partition)).toEqual([1, 2, 3]);
    host.assignmentApplied();
    expect(ofType(env, 'state').slice(-2).map((event) => `${event.from} -> ${event.to}`)).toEqual(['RECONCILING -> ACKNOWLEDGING', 'ACKNOWLEDGING -> STABLE']);
    expect(lastRequest(env)).toMatchObject({ memberEpoch: 2, topicPartitions: [{ topicId: ORDERS, partitions: [1, 2, 3] }] });
  });

  it('ACKNOWLEDGING -> STABLE: the acknowledging heartbeat goes out at once with the owned partitions', async () => {
    const env = setUp({ autoHost: true });
    env.coordinator.setTarget(MEMBER_ID, 1, [{ topicId: ORDERS, partitions: [0, 1] }]);
    env.actor.send({ type: 'app.subscribe', topics: ['orders'] });
    env.clock.advanceBy(2);
    expect(state(env.actor)).toEqual({ RECONCILING: 'assigning' });
    const sentBefore = env.coordinator.requests.length;
    await Promise.resolve();
    // The acknowledgement is sent without waiting for the heartbeat interval.
    expect(state(env.actor)).toBe('STABLE');
    expect(env.coordinator.requests).toHaveLength(sentBefore + 1);
    expect(lastRequest(env)).toMatchObject({ memberEpoch: 1, topicPartitions: [{ topicId: ORDERS, partitions: [0, 1] }] });
    expect(ofType(env, 'rebalance.ended')).toEqual([{ type: 'rebalance.ended', completed: true }]);
    expect(ofType(env, 'rebalance.joined')).toEqual([{ type: 'rebalance.joined', generation: 1 }]);
  });

  it('STABLE -> FENCED on FENCED_MEMBER_EPOCH: the partitions are lost, then JOINING with epoch 0 and the same member id', async () => {
    const env = setUp({ autoHost: true });
    await joinStable(env);
    env.coordinator.inject('FENCED_MEMBER_EPOCH');
    const host = setUpManualHost(env);
    env.clock.advanceBy(5_000 + 1);
    expect(state(env.actor)).toBe('FENCED');
    const lost = ofType(env, 'revocation.requested').at(-1)!;
    expect(ofType(env, 'rebalance.started').at(-1)).toEqual({ type: 'rebalance.started', trigger: 'rejoin', reason: 'the member was fenced (FENCED_MEMBER_EPOCH)' });
    expect(lost).toMatchObject({ kind: 'lose', autoCommitFirst: false, partitions: [0, 1, 2].map((partition) => ({ topic: 'orders', partition })) });
    host.revocationDone();
    expect(state(env.actor)).toBe('JOINING');
    env.clock.advanceBy(1);
    expect(lastRequest(env)).toMatchObject({ memberId: MEMBER_ID, memberEpoch: 0, subscribedTopicNames: ['orders'], rebalanceTimeoutMs: 300_000, serverAssignor: 'uniform', topicPartitions: [] });
  });

  it('STABLE -> FENCED on UNKNOWN_MEMBER_ID, and JOINING at once when nothing is owned', async () => {
    const env = setUp({ autoHost: true });
    await joinStable(env, []);
    env.coordinator.inject('UNKNOWN_MEMBER_ID');
    env.clock.advanceBy(5_000 + 1);
    const epochs = env.coordinator.requests.map((request) => request.memberEpoch);
    expect(epochs.slice(-2)).toEqual([1, 0]);
    expect(env.coordinator.requests.at(-1)!.memberId).toBe(MEMBER_ID);
    expect(ofType(env, 'revocation.requested')).toEqual([]);
    await settle(env, 5);
    expect(state(env.actor)).toBe('STABLE');
  });

  it('STABLE -> STALE when poll interval expires: leave with -1, partitions lost, JOINING on the next poll', async () => {
    const env = setUp({ autoHost: true, overrides: { maxPollIntervalMs: 60_000 } });
    await joinStable(env);
    env.clock.advanceBy(60_000);
    expect(state(env.actor)).toMatchObject({ STALE: expect.any(String) });
    const leave = env.coordinator.requests.find((request) => request.memberEpoch === -1);
    expect(leave).toMatchObject({ memberId: MEMBER_ID, memberEpoch: -1, topicPartitions: null, subscribedTopicNames: null });
    expect(ofType(env, 'revocation.requested').at(-1)).toMatchObject({ kind: 'lose', reason: 'max.poll.interval.ms passed without poll()' });
    await settle(env, 1);
    expect(state(env.actor)).toEqual({ STALE: 'awaitingPoll' });
    const sent = env.coordinator.requests.length;
    env.clock.advanceBy(30_000);
    expect(env.coordinator.requests).toHaveLength(sent); // no heartbeats while stale
    env.poll();
    expect(state(env.actor)).toBe('JOINING');
    env.clock.advanceBy(1);
    expect(lastRequest(env)).toMatchObject({ memberEpoch: 0, topicPartitions: [] });
  });

  it('app.poll keeps a STABLE member from going STALE', async () => {
    const env = setUp({ autoHost: true, overrides: { maxPollIntervalMs: 60_000 } });
    await joinStable(env);
    for (let i = 0; i < 5; i += 1) {
      env.clock.advanceBy(50_000);
      env.poll();
    }
    expect(state(env.actor)).toBe('STABLE');
  });

  it('STABLE -> STALE on timer.pollExpired when max.poll.interval.ms passed since the last poll', async () => {
    const env = setUp({ autoHost: true, overrides: { maxPollIntervalMs: 60_000 } });
    await joinStable(env);
    env.clock.advanceTo(50_000);
    env.poll();
    env.clock.advanceTo(100_000);
    env.poll();
    env.clock.advanceTo(159_999);
    expect(state(env.actor)).toBe('STABLE');
    expect(env.coordinator.requests.filter((request) => request.memberEpoch === -1)).toEqual([]);
    env.clock.advanceBy(1);
    expect(state(env.actor)).toMatchObject({ STALE: expect.any(String) });
    expect(env.coordinator.requests.filter((request) => request.memberEpoch === -1)).toHaveLength(1);
    expect(ofType(env, 'revocation.requested').at(-1)).toMatchObject({ kind: 'lose', reason: 'max.poll.interval.ms passed without poll()' });
  });

  it('STABLE stays STABLE on timer.pollExpired after a poll() within max.poll.interval.ms: the timer re-arms for the rest of the interval', async () => {
    const env = setUp({ autoHost: true, overrides: { maxPollIntervalMs: 60_000 } });
    await joinStable(env);
    env.clock.advanceTo(40_000);
    env.poll();
    // The timer armed on joining (at 0) fires here, finds the poll 20 s old and waits the 40 s left.
    env.clock.advanceTo(60_000);
    expect(state(env.actor)).toBe('STABLE');
    const heartbeats = env.coordinator.requests.length;
    env.clock.advanceTo(99_999);
    expect(state(env.actor)).toBe('STABLE');
    expect(env.coordinator.requests.length).toBeGreaterThan(heartbeats);
    expect(env.coordinator.requests.filter((request) => request.memberEpoch === -1)).toEqual([]);
    env.clock.advanceBy(1);
    expect(state(env.actor)).toMatchObject({ STALE: expect.any(String) });
  });

  it('STABLE -> PREPARE_LEAVING -> LEAVING -> UNSUBSCRIBED on unsubscribe: revoke, then the leave heartbeat with epoch -1', async () => {
    const env = setUp({ autoHost: true });
    await joinStable(env);
    const host = setUpManualHost(env);
    env.actor.send({ type: 'app.unsubscribe' });
    expect(state(env.actor)).toBe('PREPARE_LEAVING');
    expect(ofType(env, 'revocation.requested').at(-1)).toMatchObject({ kind: 'revoke', partitions: [0, 1, 2].map((partition) => ({ topic: 'orders', partition })) });
    host.revocationDone();
    expect(state(env.actor)).toBe('LEAVING');
    expect(lastRequest(env)).toMatchObject({ memberEpoch: -1, memberId: MEMBER_ID, instanceId: null });
    env.clock.advanceBy(1);
    expect(state(env.actor)).toBe('UNSUBSCRIBED');
    expect(env.coordinator.epochOf(MEMBER_ID)).toBeUndefined();
    expect(ofType(env, 'rebalance.ended').map((event) => event.completed)).toEqual([true]);
  });

  it('a static member (group.instance.id) leaves with epoch -2 and names its instance in every heartbeat', async () => {
    const env = setUp({ autoHost: true, overrides: { groupInstanceId: 'consumer-1' } });
    await joinStable(env, []);
    env.clock.advanceBy(5_000 + 1);
    expect(lastRequest(env)).toMatchObject({ memberEpoch: 1, instanceId: 'consumer-1' });
    env.actor.send({ type: 'app.close' });
    expect(state(env.actor)).toBe('LEAVING');
    expect(lastRequest(env)).toMatchObject({ memberEpoch: -2, instanceId: 'consumer-1' });
  });

  it('incremental heartbeats: unchanged fields are null, a changed subscription alone is sent, and a failure sends every field again', async () => {
    const env = setUp({ autoHost: true });
    await joinStable(env);
    env.clock.advanceBy(5_000 + 1);
    expect(lastRequest(env)).toEqual({
      groupId: 'g848',
      memberId: MEMBER_ID,
      memberEpoch: 1,
      instanceId: null,
      rackId: null,
      rebalanceTimeoutMs: -1,
      subscribedTopicNames: null,
      subscribedTopicRegex: null,
      serverAssignor: null,
      topicPartitions: null,
    });
    env.actor.send({ type: 'app.subscribe', topics: ['orders', 'payments'] });
    env.clock.advanceBy(5_000);
    expect(lastRequest(env)).toMatchObject({ subscribedTopicNames: ['orders', 'payments'], topicPartitions: null, rebalanceTimeoutMs: -1, serverAssignor: null });
    env.coordinator.inject('COORDINATOR_LOAD_IN_PROGRESS');
    env.clock.advanceBy(5_000);
    expect(lastRequest(env).subscribedTopicNames).toBeNull();
    env.clock.advanceBy(100); // retry.backoff.ms
    expect(lastRequest(env)).toMatchObject({
      memberEpoch: 1,
      rebalanceTimeoutMs: 300_000,
      subscribedTopicNames: ['orders', 'payments'],
      serverAssignor: 'uniform',
      topicPartitions: [{ topicId: ORDERS, partitions: [0, 1, 2] }],
    });
    env.clock.advanceBy(5_000 + 1);
    expect(lastRequest(env)).toMatchObject({ subscribedTopicNames: null, topicPartitions: null, rebalanceTimeoutMs: -1 });
  });

  it('heartbeats at the interval the coordinator returns', async () => {
    const env = setUp({ autoHost: true });
    env.coordinator.heartbeatIntervalMs = 7_000;
    await joinStable(env, []);
    const sent = env.coordinator.requests.length;
    env.clock.advanceBy(6_990);
    expect(env.coordinator.requests).toHaveLength(sent);
    env.clock.advanceBy(20);
    expect(env.coordinator.requests).toHaveLength(sent + 1);
    env.coordinator.heartbeatIntervalMs = 2_000;
    env.clock.advanceBy(1 + 7_000);
    const afterLonger = env.coordinator.requests.length;
    env.clock.advanceBy(2_000 + 1);
    expect(env.coordinator.requests).toHaveLength(afterLonger + 1);
  });

  it('an interval of 0 from the coordinator is bounded by retry.backoff.ms, not a tight loop of heartbeats', async () => {
    const env = setUp({ autoHost: true });
    env.coordinator.heartbeatIntervalMs = 0;
    await joinStable(env, []);
    const sent = env.coordinator.requests.length;
    env.clock.advanceBy(1_000);
    expect(env.coordinator.requests.length - sent).toBeLessThanOrEqual(10);
  });

  it('NOT_COORDINATOR: the coordinator is looked up again and the heartbeat goes to it', async () => {
    const env = setUp({ autoHost: true });
    await joinStable(env);
    env.coordinator.inject('NOT_COORDINATOR');
    env.clock.advanceBy(5_000 + 1);
    expect(env.actor.getSnapshot().context.coordinator).toBeNull();
    env.clock.advanceBy(200);
    expect(env.coordinator.findCoordinatorRequests).toHaveLength(2);
    expect(state(env.actor)).toBe('STABLE');
    expect(lastRequest(env)).toMatchObject({ memberEpoch: 1, topicPartitions: [{ topicId: ORDERS, partitions: [0, 1, 2] }] });
  });

  it.each<[FailureErrorName, new (...args: never[]) => Error]>([
    ['UNSUPPORTED_ASSIGNOR', UnsupportedAssignorError],
    ['GROUP_MAX_SIZE_REACHED', GroupMaxSizeReachedError],
    ['UNRELEASED_INSTANCE_ID', UnreleasedInstanceIdError],
    ['FENCED_INSTANCE_ID', FencedInstanceIdError],
    ['INVALID_REQUEST', KafkaProtocolError],
  ])('JOINING -> FATAL on %s, with a named error', (errorName, errorClass) => {
    const env = setUp();
    env.coordinator.inject(errorName);
    env.actor.send({ type: 'app.subscribe', topics: ['orders'] });
    env.clock.advanceBy(2);
    expect(state(env.actor)).toBe('FATAL');
    const error = env.actor.getSnapshot().context.fatalError;
    expect(error).toBeInstanceOf(errorClass);
    expect(error).toMatchObject({ errorName });
    expect(env.actor.getSnapshot().status).toBe('done');
    expect(ofType(env, 'error')).toEqual([{ type: 'error', error, fatal: true }]);
  });

  it('an assignment of a topic id the metadata does not know waits for metadata, then reconciles', async () => {
    const env = setUp({ autoHost: true });
    env.topicNames.delete(PAYMENTS);
    env.coordinator.setTarget(MEMBER_ID, 1, [
      { topicId: ORDERS, partitions: [0] },
      { topicId: PAYMENTS, partitions: [0, 1] },
    ]);
    env.actor.send({ type: 'app.subscribe', topics: ['orders', 'payments'] });
    await settle(env, 10);
    expect(env.metadataRequests).toEqual([[PAYMENTS]]);
    expect(state(env.actor)).toBe('STABLE');
    expect(env.actor.getSnapshot().context.owned.map((tp) => tp.topic)).toEqual(['orders']);
    env.topicNames.set(PAYMENTS, 'payments');
    env.actor.send({ type: 'metadata.updated' });
    await settle(env, 5);
    expect(state(env.actor)).toBe('STABLE');
    expect(ofType(env, 'assignment.ready').at(-1)!.added).toEqual([
      { topic: 'payments', partition: 0 },
      { topic: 'payments', partition: 1 },
    ]);
    expect(lastRequest(env).topicPartitions).toEqual([
      { topicId: ORDERS, partitions: [0] },
      { topicId: PAYMENTS, partitions: [0, 1] },
    ]);
  });

  it('RECONCILING -> ACKNOWLEDGING -> RECONCILING when the metadata named an unresolved topic id during the reconciliation: no later refresh needed', async () => {
    const env = setUp();
    const host = setUpManualHost(env);
    env.topicNames.delete(PAYMENTS);
    env.coordinator.setTarget(MEMBER_ID, 1, [
      { topicId: ORDERS, partitions: [0] },
      { topicId: PAYMENTS, partitions: [0, 1] },
    ]);
    env.actor.send({ type: 'app.subscribe', topics: ['orders', 'payments'] });
    await settle(env, 2);
    expect(state(env.actor)).toEqual({ RECONCILING: 'assigning' });
    expect(env.metadataRequests).toEqual([[PAYMENTS]]);
    // The refresh lands before the consumer applied the first part: RECONCILING does not act on it.
    env.topicNames.set(PAYMENTS, 'payments');
    env.actor.send({ type: 'metadata.updated' });
    expect(state(env.actor)).toEqual({ RECONCILING: 'assigning' });
    host.assignmentApplied();
    // ACKNOWLEDGING compares what is owned with the target under the metadata of now, so it reconciles again at once.
    expect(state(env.actor)).toEqual({ RECONCILING: 'assigning' });
    expect(ofType(env, 'assignment.ready').at(-1)!.added).toEqual([
      { topic: 'payments', partition: 0 },
      { topic: 'payments', partition: 1 },
    ]);
    host.assignmentApplied();
    await settle(env, 2);
    expect(state(env.actor)).toBe('STABLE');
    expect(env.actor.getSnapshot().context.owned.map((tp) => `${tp.topic}-${tp.partition}`)).toEqual(['orders-0', 'payments-0', 'payments-1']);
  });

  it('a late revocationDone for a reconciliation abandoned by fencing does not count as the loss', async () => {
    const env = setUp({ autoHost: true });
    await joinStable(env);
    const host = setUpManualHost(env);
    env.coordinator.setTarget(MEMBER_ID, 2, [{ topicId: ORDERS, partitions: [1, 2] }]);
    env.clock.advanceBy(5_000 + 1);
    expect(state(env.actor)).toEqual({ RECONCILING: 'revoking' });
    const staleRequest = ofType(env, 'revocation.requested').at(-1)!.request;
    env.coordinator.inject('FENCED_MEMBER_EPOCH');
    env.clock.advanceBy(5_000);
    expect(state(env.actor)).toBe('FENCED');
    env.actor.send({ type: 'app.revocationDone', request: staleRequest });
    expect(state(env.actor)).toBe('FENCED');
    host.revocationDone();
    expect(state(env.actor)).toBe('JOINING');
  });
});

/** From here on the test answers the member's requests itself (the latest of each kind). */
function setUpManualHost(env: Env) {
  env.host.auto = false;
  return {
    revocationDone: () => env.actor.send({ type: 'app.revocationDone', request: ofType(env, 'revocation.requested').at(-1)!.request }),
    assignmentApplied: () => env.actor.send({ type: 'app.assignmentApplied', request: ofType(env, 'assignment.ready').at(-1)!.request }),
  };
}

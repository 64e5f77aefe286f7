/**
 * Issue 10 B5: a member whose JoinGroup subscription bytes cannot be read must not take the group down.
 * The leader treats it as subscribing to nothing, says so in a warning naming the member, and assigns every
 * partition to the members it can read.
 */
import { decodeAssignment, encodeSubscription, type ResponseBody } from '@kactor/protocol';
import { createLogger, SimulatedClock, type Random } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { FakeGroupCoordinator } from '../../test-support/fake-group-coordinator.js';
import { consumerGroupMachine } from './consumer-group.machine.js';
import { LastPoll } from './poll-timer.js';
import type { ConsumerGroupSettings } from './group-types.js';

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

const middleRandom: Random = { next: () => 0.5, nextInt: (n) => Math.floor(n / 2), nextBytes: (n) => new Uint8Array(n) };

function setUp() {
  const clock = new SimulatedClock({ startMs: 0 });
  const coordinator = new FakeGroupCoordinator({ clock });
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({ clock, level: 'warn', destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } });
  const lastPoll = new LastPoll(clock);
  const leader = createActor(consumerGroupMachine, {
    clock,
    input: {
      settings,
      ports: {
        clock,
        random: middleRandom,
        logger,
        findCoordinator: (body, onResult) => coordinator.handle('findCoordinator', body, onResult),
        request: (_url, api, body, onResult, options) => coordinator.handle(api, body, onResult, options),
        partitionCount: (topic) => (topic === 'orders' ? 3 : undefined),
        heldPartitions: () => [],
        lastPollMs: () => lastPoll.lastPollMs(),
      },
    },
  }).start();
  /** The application's poll(), as ClassicMembership passes it on. */
  const poll = () => lastPoll.poll(leader);
  return { clock, coordinator, leader, lines, poll };
}

/** A raw member that joins through the coordinator with whatever subscription bytes it is given. */
function joinRawMember(env: ReturnType<typeof setUp>, metadata: Uint8Array): { memberId: string; answers: Array<ResponseBody<'joinGroup'>> } {
  const answers: Array<ResponseBody<'joinGroup'>> = [];
  const base = { groupId: 'analytics', sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 60_000, groupInstanceId: null, protocolType: 'consumer', reason: null, clientId: 'broken' };
  let memberId = '';
  env.coordinator.handle('joinGroup', { ...base, memberId: '', protocols: [{ name: 'range', metadata }] }, (result) => {
    if (result.ok) memberId = result.body.memberId;
  });
  env.clock.advanceBy(2);
  expect(memberId).not.toBe('');
  env.coordinator.handle('joinGroup', { ...base, memberId, protocols: [{ name: 'range', metadata }] }, (result) => {
    if (result.ok) answers.push(result.body);
  });
  return { memberId, answers };
}

const topState = (snapshot: { value: unknown }): string => (typeof snapshot.value === 'string' ? snapshot.value : Object.keys(snapshot.value as object)[0]!);

describe('consumer group machine: a member whose subscription cannot be read', () => {
  it('stable -> rebalancing -> stable: the leader assigns the unreadable member nothing, keeps every partition for readable members and warns naming it', () => {
    const env = setUp();
    env.leader.send({ type: 'app.subscribe', topics: ['orders'] });
    env.poll();
    env.clock.advanceBy(20);
    expect(topState(env.leader.getSnapshot())).toBe('stable');

    // A valid subscription cut short: its topic array promises more bytes than follow.
    const whole = encodeSubscription({ topics: ['orders'], ownedPartitions: [], generationId: -1 });
    const truncated = whole.subarray(0, whole.length - 5);
    const broken = joinRawMember(env, truncated);

    // The leader hears of the rebalance on its next heartbeat, rejoins and computes the assignment.
    env.clock.advanceBy(3_100);
    env.poll();
    expect(env.leader.getSnapshot().matches({ rebalancing: { eager: 'revokingAll' } })).toBe(true);
    env.leader.send({ type: 'app.revocationDone' });
    env.clock.advanceBy(50);

    expect(broken.answers.at(-1)).toMatchObject({ errorCode: 0, generationId: 2 });
    const syncs = env.coordinator.requestsOf('syncGroup').map((request) => request.body);
    const leaderSync = syncs.at(-1)!;
    expect(leaderSync.generationId).toBe(2);
    const assigned = Object.fromEntries(
      leaderSync.assignments.map(({ memberId, assignment }) => {
        const decoded = decodeAssignment(assignment);
        return [memberId, decoded.ok ? decoded.value.assignedPartitions : null];
      }),
    );
    expect(assigned).toEqual({ [env.leader.getSnapshot().context.memberId]: [{ topic: 'orders', partitions: [0, 1, 2] }], [broken.memberId]: [] });

    expect(topState(env.leader.getSnapshot())).toBe('stable');
    expect(env.leader.getSnapshot().status).toBe('active');
    expect(env.leader.getSnapshot().context.fatalError ?? null).toBeNull();
    expect(env.leader.getSnapshot().context.assignment).toHaveLength(3);

    const warning = env.lines.find((line) => line.memberId === broken.memberId);
    expect(warning).toMatchObject({ level: 40, group: 'analytics', memberId: broken.memberId });
    expect(String(warning?.msg)).toContain('cannot be read');
  });
});

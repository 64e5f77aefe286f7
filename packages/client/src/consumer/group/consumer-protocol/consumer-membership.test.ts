import { parseConfig } from '@kactor/protocol';
import { createIdGenerator, createLogger, SimulatedClock, type Random } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import type { ClientRuntime } from '../../../client-runtime.js';
import { InFlight } from '../../../internal/in-flight.js';
import type { ClusterClient } from '../../../network/cluster-client.js';
import type { MembershipEvent } from '../group-membership.js';
import { ConsumerMembership } from './consumer-membership.js';
import { FakeHeartbeatCoordinator } from './fake-heartbeat-coordinator.js';

const ORDERS = 'orders-topic-id';
const middleRandom: Random = { next: () => 0.5, nextInt: (n) => Math.floor(n / 2), nextBytes: (n) => new Uint8Array(n) };

/** A ConsumerMembership over the fake coordinator, with the cluster reduced to what the membership uses. */
function setUp(settings: Record<string, string> = {}) {
  const clock = new SimulatedClock({ startMs: 0 });
  const coordinator = new FakeHeartbeatCoordinator({ clock });
  const topics = new Map([['orders', { name: 'orders', topicId: ORDERS }]]);
  const cluster = {
    anyBrokerUrl: () => 'memory://broker-0',
    metadataVersion: 1,
    metadata: { topics },
    requestMetadataUpdate: () => undefined,
    send: (_url: string, api: string, body: never, onResult: never) => {
      if (api === 'findCoordinator') coordinator.findCoordinator(body, onResult);
      else coordinator.heartbeat(body, onResult);
    },
  } as unknown as ClusterClient;
  const runtime = { clock, random: middleRandom, ids: createIdGenerator(middleRandom), logger: createLogger({ clock }) } as unknown as ClientRuntime;
  const config = parseConfig('consumer', { 'bootstrap.servers': '127.0.0.1:9100', 'group.id': 'g848', 'group.protocol': 'consumer', ...settings });
  const inFlight = new InFlight();
  const membership = new ConsumerMembership({ groupId: 'g848', config, cluster, runtime, logger: runtime.logger, inFlight });
  const events: MembershipEvent[] = [];
  membership.start((event) => events.push(event));
  return { clock, coordinator, membership, events, inFlight };
}

const orders = (...partitions: number[]) => partitions.map((partition) => ({ topic: 'orders', partition }));

describe('ConsumerMembership (the KIP-848 side of the membership seam)', () => {
  it('joins under a member id it generated, offers the assignment by name, and commits in the member epoch once it is applied', () => {
    const env = setUp({ 'group.remote.assignor': 'range' });
    env.coordinator.setTarget(env.membership.memberId, 3, [{ topicId: ORDERS, partitions: [0, 1] }]);
    expect(env.membership.commitPermission()).toEqual({ kind: 'outside' });
    env.membership.subscribe(['orders']);
    expect(env.membership.commitPermission()).toEqual({ kind: 'rebalancing' });
    env.clock.advanceBy(2);
    expect(env.coordinator.requests[0]).toMatchObject({ memberId: env.membership.memberId, memberEpoch: 0, serverAssignor: 'range', rebalanceTimeoutMs: 300_000 });
    expect(env.membership.memberId).toMatch(/^[A-Za-z0-9_-]{21}$/);
    expect(env.events.find((event) => event.type === 'assignment.ready')).toEqual({ type: 'assignment.ready', partitions: orders(0, 1), generation: 3, watchTopics: [] });
    env.membership.poll();
    env.membership.assignmentApplied(3);
    expect(env.membership.membership()).toEqual({ protocol: 'consumer', state: 'STABLE', generationId: 3, memberId: env.membership.memberId });
    expect(env.membership.commitPermission()).toEqual({ kind: 'member', generation: { generationId: 3, memberId: env.membership.memberId } });
    expect(env.membership.releaseOnLeave()).toBe('revoke');
  });

  it('an answer to an older revocation does not complete the loss requested since: the member waits until the lost partitions are gone', () => {
    const env = setUp();
    env.coordinator.setTarget(env.membership.memberId, 1, [{ topicId: ORDERS, partitions: [0, 1] }]);
    env.membership.subscribe(['orders']);
    env.clock.advanceBy(2);
    env.membership.assignmentApplied(1);
    env.coordinator.setTarget(env.membership.memberId, 2, [{ topicId: ORDERS, partitions: [1] }]);
    env.clock.advanceBy(5_010);
    expect(env.events.at(-1)).toMatchObject({ type: 'revocation.requested', kind: 'revoke', partitions: orders(0), autoCommitFirst: true });
    env.coordinator.inject('FENCED_MEMBER_EPOCH');
    env.clock.advanceBy(5_000);
    expect(env.membership.membership().state).toBe('FENCED');
    expect(env.events.at(-1)).toMatchObject({ type: 'revocation.requested', kind: 'lose', partitions: orders(0, 1), autoCommitFirst: false });
    // The consumer finishes the revocation of partition 0 it had started: it still holds 1, so the loss is not done.
    env.membership.revocationDone(orders(1));
    expect(env.membership.membership().state).toBe('FENCED');
    env.membership.revocationDone([]);
    expect(env.membership.membership().state).toBe('JOINING');
  });

  it('leaving after the consumer released its partitions: no second revocation, the leave heartbeat is awaited by close()', async () => {
    const env = setUp({ 'group.instance.id': 'reader-1' });
    env.coordinator.setTarget(env.membership.memberId, 1, [{ topicId: ORDERS, partitions: [0] }]);
    env.membership.subscribe(['orders']);
    env.clock.advanceBy(2);
    env.membership.assignmentApplied(1);
    const revocations = env.events.filter((event) => event.type === 'revocation.requested').length;
    env.membership.close();
    expect(env.events.filter((event) => event.type === 'revocation.requested')).toHaveLength(revocations);
    expect(env.membership.membership().state).toBe('LEAVING');
    expect(env.coordinator.requests.at(-1)).toMatchObject({ memberEpoch: -2, instanceId: 'reader-1' });
    expect(env.inFlight.size).toBe(1);
    env.clock.advanceBy(1);
    await Promise.resolve();
    expect(env.inFlight.size).toBe(0);
    expect(env.membership.membership()).toMatchObject({ state: 'UNSUBSCRIBED', generationId: -1 });
    expect(env.events.filter((event) => event.type === 'state').map((event) => event.type === 'state' && event.to)).toEqual([
      'JOINING',
      'RECONCILING',
      'ACKNOWLEDGING',
      'STABLE',
      'PREPARE_LEAVING',
      'LEAVING',
      'UNSUBSCRIBED',
    ]);
  });
});

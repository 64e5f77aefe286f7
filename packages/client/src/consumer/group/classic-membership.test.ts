/**
 * The classic membership behind the seam (group-membership.ts), on a simulated clock against the fake
 * coordinator: the events it sends the consumer, in order, for a join, an EAGER rebalance, a COOPERATIVE
 * two-round rebalance and fencing. The consumer is played by `SeamConsumer`, which knows the membership
 * only through the seam: it holds partitions, runs requested revocations and applies ready assignments
 * on its poll turn, as ConsumerCoordinator does.
 */
import type { ApiName, RequestBody } from '@kactor/protocol';
import { createLogger, SimulatedClock, type RpcResult } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import type { ClientRuntime } from '../../client-runtime.js';
import { resolveClientConfig } from '../../client-config.js';
import { InFlight } from '../../internal/in-flight.js';
import type { ClusterClient } from '../../network/cluster-client.js';
import { FakeGroupCoordinator, type FakeGroupApi } from '../../test-support/fake-group-coordinator.js';
import type { TopicPartition } from '../../topic-partition.js';
import { ClassicMembership } from './classic-membership.js';
import { partitionsMinus } from './cooperative.js';
import type { MembershipEvent } from './group-membership.js';

const names = (partitions: readonly TopicPartition[]) => partitions.map((tp) => `${tp.topic}-${tp.partition}`).sort();

function setUp() {
  const clock = new SimulatedClock({ startMs: 0 });
  const coordinator = new FakeGroupCoordinator({ clock });
  const logger = createLogger({ clock });
  const cluster = {
    anyBrokerUrl: () => coordinator.url,
    partitionCount: (topic: string) => (topic === 'orders' ? 4 : undefined),
    send: <A extends ApiName>(_url: string, api: A, body: RequestBody<A>, onResult: (result: RpcResult<A>) => void) =>
      coordinator.handle(api as FakeGroupApi, body as never, onResult as never),
  } as unknown as ClusterClient;
  const runtime = { clock, random: { next: () => 0.5, nextInt: (n: number) => Math.floor(n / 2), nextBytes: (n: number) => new Uint8Array(n) }, logger } as unknown as ClientRuntime;
  const consumer = (clientId: string, strategy: string) => {
    const { config } = resolveClientConfig(
      'consumer',
      { 'bootstrap.servers': '127.0.0.1:9092', 'group.id': 'analytics', 'partition.assignment.strategy': strategy, 'session.timeout.ms': 10_000, 'heartbeat.interval.ms': 1_000 },
      {},
    );
    return new SeamConsumer((held) => new ClassicMembership({ groupId: 'analytics', clientId, config, cluster, runtime, logger, inFlight: new InFlight(), heldPartitions: held }));
  };
  return { clock, coordinator, consumer };
}

/** A consumer that sees its membership only through the seam, and writes down every event it gets. */
class SeamConsumer {
  readonly events: string[] = [];
  held: TopicPartition[] = [];
  readonly membership: ClassicMembership;
  private revocation: Extract<MembershipEvent, { type: 'revocation.requested' }> | null = null;
  private ready: Extract<MembershipEvent, { type: 'assignment.ready' }> | null = null;

  constructor(create: (held: () => TopicPartition[]) => ClassicMembership) {
    this.membership = create(() => this.held);
    this.membership.start((event) => this.onEvent(event));
    this.membership.subscribe(['orders']);
  }

  /** The poll turn: as ConsumerCoordinator.poll, a pending revocation first, else a ready assignment. */
  turn(): void {
    this.membership.poll();
    const revocation = this.revocation;
    const ready = this.ready;
    if (revocation !== null) {
      this.revocation = null;
      this.held = revocation.thenAssign === null ? partitionsMinus(this.held, revocation.partitions) : [...revocation.thenAssign.partitions];
      this.membership.revocationDone(this.held);
    } else if (ready !== null) {
      this.ready = null;
      this.held = [...ready.partitions];
      this.membership.assignmentApplied(ready.generation);
    }
  }

  private onEvent(event: MembershipEvent): void {
    this.events.push(describeEvent(event));
    if (event.type === 'revocation.requested') {
      this.revocation = event;
      this.ready = null;
    } else if (event.type === 'assignment.ready') this.ready = event;
    else if (event.type === 'rebalance.started') this.ready = null;
  }
}

function describeEvent(event: MembershipEvent): string {
  switch (event.type) {
    case 'state':
      return `state ${event.from}->${event.to} g${event.generation}`;
    case 'rebalance.started':
      return `rebalance.started ${event.trigger}`;
    case 'rebalance.joined':
      return `rebalance.joined g${event.generation}`;
    case 'rebalance.ended':
      return `rebalance.ended ${event.completed ? 'completed' : 'unfinished'}`;
    case 'revocation.requested':
      return `revocation.requested ${event.kind} [${names(event.partitions).join(',')}]${event.autoCommitFirst ? ' commit-first' : ''}${event.notifyWhenEmpty ? ' even-empty' : ''}${event.thenAssign === null ? '' : ` then [${names(event.thenAssign.partitions).join(',')}] g${event.thenAssign.generation}`}`;
    case 'assignment.ready':
      return `assignment.ready [${names(event.partitions).join(',')}] g${event.generation}`;
    case 'error':
      return `error${event.fatal ? ' fatal' : ''}`;
  }
}

/** Every consumer takes a poll turn every 10 ms of simulated time. */
function run(env: ReturnType<typeof setUp>, consumers: readonly SeamConsumer[], ms: number): void {
  for (let elapsed = 0; elapsed < ms; elapsed += 10) {
    for (const consumer of consumers) consumer.turn();
    env.clock.advanceBy(10);
  }
}

describe('classic membership, the seam events', () => {
  it('a join: started, joined generation 1, the assignment, ended completed once the consumer applied it', () => {
    const env = setUp();
    const a = env.consumer('a', 'range');
    run(env, [a], 500);
    expect(a.events).toEqual([
      'rebalance.started join',
      'state unjoined->joining g-1',
      'rebalance.joined g1',
      'state joining->syncing g1',
      'state syncing->stable g1',
      'assignment.ready [orders-0,orders-1,orders-2,orders-3] g1',
      'rebalance.ended completed',
    ]);
    expect(a.membership.membership()).toMatchObject({ protocol: 'classic', state: 'stable', generationId: 1 });
    expect(a.membership.commitPermission()).toEqual({ kind: 'member', generation: { generationId: 1, memberId: a.membership.membership().memberId } });
  });

  it('EAGER: a second member joins, the first revokes everything (auto-commit first, the listener called even with none) and gets half back in generation 2', () => {
    const env = setUp();
    const a = env.consumer('a', 'range');
    run(env, [a], 500);
    a.events.length = 0;
    const b = env.consumer('b', 'range');
    run(env, [a, b], 5_000);
    expect(a.events).toEqual([
      'rebalance.started rejoin',
      'state stable->rebalancing g1',
      'revocation.requested revoke [orders-0,orders-1,orders-2,orders-3] commit-first even-empty',
      'state rebalancing->joining g1',
      'rebalance.joined g2',
      'state joining->syncing g2',
      'state syncing->stable g2',
      'assignment.ready [orders-0,orders-1] g2',
      'rebalance.ended completed',
    ]);
    expect(names(b.held)).toEqual(['orders-2', 'orders-3']);
  });

  it('COOPERATIVE: the first member keeps what stays, revokes what moves with the new assignment, and rejoins for the second round that hands them over', () => {
    const env = setUp();
    const a = env.consumer('a', 'cooperative-sticky');
    run(env, [a], 500);
    a.events.length = 0;
    const b = env.consumer('b', 'cooperative-sticky');
    run(env, [a, b], 5_000);
    expect(a.events).toEqual([
      'rebalance.started rejoin',
      'state stable->rebalancing g1',
      // Before the JoinGroup only partitions of unsubscribed topics go: none.
      'revocation.requested revoke [] commit-first',
      'state rebalancing->joining g1',
      'rebalance.joined g2',
      'state joining->syncing g2',
      'state syncing->rebalancing g2',
      'revocation.requested revoke [orders-2,orders-3] commit-first then [orders-0,orders-1] g2',
      'state rebalancing->joining g2',
      'rebalance.joined g3',
      'state joining->syncing g3',
      'state syncing->stable g3',
      'assignment.ready [orders-0,orders-1] g3',
      'rebalance.ended completed',
    ]);
    expect(names(b.held)).toEqual(['orders-2', 'orders-3']);
  });

  it('fencing: a heartbeat answered UNKNOWN_MEMBER_ID loses the partitions (kind lose, nothing committed) before the member joins again', () => {
    const env = setUp();
    const a = env.consumer('a', 'range');
    run(env, [a], 500);
    a.events.length = 0;
    env.coordinator.inject('heartbeat', 'UNKNOWN_MEMBER_ID');
    // The coordinator still counts the old member id in: the join completes once its session (10 s) expires.
    run(env, [a], 15_000);
    expect(a.events.slice(0, 4)).toEqual([
      'rebalance.started session-timeout',
      'state stable->rebalancing g-1',
      'revocation.requested lose [orders-0,orders-1,orders-2,orders-3]',
      'state rebalancing->joining g-1',
    ]);
    expect(a.events.slice(4)).toEqual([
      'rebalance.joined g2',
      'state joining->syncing g2',
      'state syncing->stable g2',
      'assignment.ready [orders-0,orders-1,orders-2,orders-3] g2',
      'rebalance.ended completed',
    ]);
    expect(a.membership.releaseOnLeave()).toBe('revoke');
  });

  it('errors: an unexpected JoinGroup error is sent once (not fatal) and the member joins after the backoff; a fatal one is sent before the rebalance ends unfinished in dead', () => {
    const env = setUp();
    const a = env.consumer('a', 'range');
    env.coordinator.inject('joinGroup', 'UNKNOWN_SERVER_ERROR');
    run(env, [a], 1_000);
    expect(a.events.filter((line) => line.startsWith('error'))).toEqual(['error']);
    expect(a.events.at(-1)).toBe('rebalance.ended completed');

    const b = env.consumer('b', 'range');
    env.coordinator.inject('joinGroup', 'INVALID_SESSION_TIMEOUT');
    run(env, [b], 1_000);
    expect(b.events).toEqual(['rebalance.started join', 'state unjoined->joining g-1', 'error fatal', 'rebalance.ended unfinished', 'state joining->dead g-1']);
  });

  it('leaving: close ends an open rebalance unfinished and the membership is dead', () => {
    const env = setUp();
    const a = env.consumer('a', 'range');
    a.turn();
    a.membership.close();
    expect(a.events).toEqual(['rebalance.started join', 'state unjoined->joining g-1', 'rebalance.ended unfinished', 'state joining->dead g-1']);
    expect(a.membership.commitPermission()).toEqual({ kind: 'outside' });
  });
});

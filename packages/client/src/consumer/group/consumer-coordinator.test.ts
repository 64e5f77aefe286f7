/**
 * The protocol-independent part of the consumer's group (ConsumerCoordinator) driven by a scripted
 * membership that speaks only the seam (group-membership.ts), the way KIP-848's does: an assignment
 * arriving by itself, an incremental revocation acknowledged with what is still held, partitions lost
 * on fencing, a fatal error. What the application sees (listener calls, lifecycle events, rebalance
 * records, poll()'s errors) comes from the seam's events alone.
 */
import { createLogger, SimulatedClock } from '@kactor/runtime';
import { describe, expect, it, vi } from 'vitest';
import type { ClientRuntime } from '../../client-runtime.js';
import { resolveClientConfig } from '../../client-config.js';
import { Signal } from '../../internal/signal.js';
import type { ClusterClient } from '../../network/cluster-client.js';
import type { TopicPartition } from '../../topic-partition.js';
import { ConsumerEvents, type ConsumerEvent } from '../consumer-events.js';
import type { Fetcher } from '../fetcher.js';
import { SubscriptionState } from '../subscription-state.js';
import { ConsumerCoordinator } from './consumer-coordinator.js';
import type { CommitPermission, GroupMembership, MembershipEvent, MembershipEventHandler, MembershipView, ReleaseKind } from './group-membership.js';

const tp = (partition: number): TopicPartition => ({ topic: 'orders', partition });
const names = (partitions: readonly TopicPartition[]) => partitions.map((entry) => `${entry.topic}-${entry.partition}`);

/** A membership whose events the test sends; it writes down what the consumer answers. */
class ScriptedMembership implements GroupMembership {
  readonly protocol = 'consumer' as const;
  readonly rebalanceProtocol = 'COOPERATIVE' as const;
  readonly answers: string[] = [];
  private onEvent: MembershipEventHandler = () => undefined;
  /** Events to send on the next poll() (an assignment arriving in a heartbeat answer between polls). */
  onNextPoll: MembershipEvent[] = [];
  /** Events to send when the consumer says its auto-commit before a revocation is done (the member's answer). */
  onAutoCommitDone: MembershipEvent[] = [];

  start(onEvent: MembershipEventHandler): void {
    this.onEvent = onEvent;
  }
  send(...events: MembershipEvent[]): void {
    for (const event of events) this.onEvent(event);
  }
  subscribe(topics: readonly string[]): void {
    this.answers.push(`subscribe ${topics.join(',')}`);
  }
  poll(): void {
    this.send(...this.onNextPoll.splice(0));
  }
  autoCommitDone(): void {
    this.answers.push('autoCommitDone');
    this.send(...this.onAutoCommitDone.splice(0));
  }
  revocationDone(owned: readonly TopicPartition[]): void {
    this.answers.push(`revocationDone [${names(owned).join(',')}]`);
  }
  assignmentApplied(generation: number): void {
    this.answers.push(`assignmentApplied ${generation}`);
    this.send({ type: 'rebalance.ended', completed: true });
  }
  metadataUpdated(): void {}
  coordinator() {
    return null;
  }
  coordinatorDiscovered(): void {}
  coordinatorLost(): void {}
  commitPermission(): CommitPermission {
    return { kind: 'member', generation: { generationId: 3, memberId: 'client-made-id' } };
  }
  commitRefused(): void {}
  releaseOnLeave(): ReleaseKind {
    return 'revoke';
  }
  unsubscribe(): void {
    this.answers.push('unsubscribe');
  }
  close(): void {
    this.answers.push('close');
  }
  stop(): void {}
  membership(): MembershipView {
    return { protocol: 'consumer', state: 'STABLE', generationId: 3, memberId: 'client-made-id' };
  }
}

function setUp(options: { autoCommit?: boolean } = {}) {
  const clock = new SimulatedClock({ startMs: 0 });
  const logger = createLogger({ clock });
  const runtime = { clock, random: { next: () => 0.5, nextInt: () => 0, nextBytes: (n: number) => new Uint8Array(n) }, logger } as unknown as ClientRuntime;
  const { config } = resolveClientConfig('consumer', { 'bootstrap.servers': '127.0.0.1:9092', 'group.id': 'analytics', 'enable.auto.commit': options.autoCommit ?? false }, {});
  const subscriptions = new SubscriptionState('earliest');
  const events = new ConsumerEvents(() => undefined);
  const seen: ConsumerEvent[] = [];
  events.add((event) => seen.push(event));
  const membership = new ScriptedMembership();
  const listenerCalls: string[] = [];
  /** What happens meanwhile, as the listener's onPartitionsRevoked runs. */
  const hooks: { whileRevoking?: () => void } = {};
  const coordinator = new ConsumerCoordinator({
    groupId: 'analytics',
    clientId: 'a',
    config,
    cluster: { trackTopics: () => undefined } as unknown as ClusterClient,
    subscriptions,
    fetcher: { retainAssigned: () => undefined } as unknown as Fetcher,
    runtime,
    logger,
    signal: new Signal(clock),
    events,
    autoAssigned: () => true,
    createMembership: () => membership,
  });
  coordinator.subscribe(['orders'], {
    onPartitionsAssigned: (partitions) => void listenerCalls.push(`assigned [${names(partitions).join(',')}]`),
    onPartitionsRevoked: (partitions) => {
      listenerCalls.push(`revoked [${names(partitions).join(',')}]`);
      hooks.whileRevoking?.();
    },
    onPartitionsLost: (partitions) => void listenerCalls.push(`lost [${names(partitions).join(',')}]`),
  });
  return { clock, coordinator, membership, subscriptions, seen, listenerCalls, hooks };
}

describe('consumer coordinator, driven by the membership seam alone', () => {
  it('an assignment, an incremental revocation, then partitions lost: listener calls, events and one rebalance record each, on poll()', async () => {
    const env = setUp();
    const { membership, coordinator, clock } = env;
    membership.send({ type: 'state', from: 'UNSUBSCRIBED', to: 'JOINING', generation: 0 }, { type: 'rebalance.started', trigger: 'join', reason: 'joining the group' });
    membership.onNextPoll = [{ type: 'assignment.ready', partitions: [tp(0), tp(1), tp(2)], generation: 1, watchTopics: [] }];
    await coordinator.poll(clock.now());
    expect(names(env.subscriptions.assignedPartitions())).toEqual(['orders-0', 'orders-1', 'orders-2']);

    // KIP-848: the coordinator takes one partition away; the consumer gives it up and says what it keeps.
    clock.advanceBy(100);
    membership.send({ type: 'rebalance.started', trigger: 'rejoin', reason: 'the coordinator moved a partition' });
    membership.send({ type: 'revocation.requested', kind: 'revoke', partitions: [tp(2)], autoCommitFirst: true, notifyWhenEmpty: false, thenAssign: null });
    await coordinator.poll(clock.now());
    clock.advanceBy(50);
    membership.send({ type: 'assignment.ready', partitions: [tp(0), tp(1)], generation: 2, watchTopics: [] });
    await coordinator.poll(clock.now());

    // Fenced: everything held is lost.
    membership.send({ type: 'rebalance.started', trigger: 'session-timeout', reason: 'fenced' });
    membership.send({ type: 'revocation.requested', kind: 'lose', partitions: [tp(0), tp(1)], autoCommitFirst: false, notifyWhenEmpty: false, thenAssign: null });
    await coordinator.poll(clock.now());

    expect(env.listenerCalls).toEqual(['assigned [orders-0,orders-1,orders-2]', 'revoked [orders-2]', 'assigned []', 'lost [orders-0,orders-1]']);
    expect(membership.answers).toEqual(['subscribe orders', 'assignmentApplied 1', 'revocationDone [orders-0,orders-1]', 'assignmentApplied 2', 'revocationDone []']);
    expect(env.subscriptions.assignedPartitions()).toEqual([]);
    expect(env.seen.filter((event) => event.type !== 'rebalance')).toEqual([
      { type: 'state', from: 'UNSUBSCRIBED', to: 'JOINING', generation: 0, protocol: 'COOPERATIVE' },
      { type: 'assigned', partitions: [tp(0), tp(1), tp(2)], generation: 1 },
      { type: 'revoked', partitions: [tp(2)], generation: 1 },
      { type: 'assigned', partitions: [], generation: 2 },
      { type: 'lost', partitions: [tp(0), tp(1)], generation: 2 },
    ]);
    const records = coordinator.rebalances();
    expect(records.map((record) => [record.trigger, names(record.assigned), names(record.revoked), record.completed])).toEqual([
      ['join', ['orders-0', 'orders-1', 'orders-2'], [], true],
      ['rejoin', [], ['orders-2'], true],
    ]);
    // The second rebalance kept two of three partitions throughout: partly paused for its 50 ms, never fully.
    expect(records[1]).toMatchObject({ fromGeneration: 1, startMs: 100, endMs: 150, pausedMs: 0, partiallyPausedMs: 50 });
  });

  it('an assignment superseded by a revocation before the next poll() is never applied', async () => {
    const env = setUp();
    env.membership.send({ type: 'assignment.ready', partitions: [tp(0)], generation: 1, watchTopics: [] });
    env.membership.send({ type: 'revocation.requested', kind: 'revoke', partitions: [], autoCommitFirst: false, notifyWhenEmpty: true, thenAssign: null });
    await env.coordinator.poll(env.clock.now());
    await env.coordinator.poll(env.clock.now());
    expect(env.listenerCalls).toEqual(['revoked []']);
    expect(env.membership.answers).toEqual(['subscribe orders', 'revocationDone []']);
  });

  it('a revocation the membership turns into a loss when told the auto-commit is done: lost for everything held, never revoked', async () => {
    const env = setUp({ autoCommit: true });
    const { membership, coordinator, clock } = env;
    membership.send({ type: 'assignment.ready', partitions: [tp(0), tp(1), tp(2)], generation: 1, watchTopics: [] });
    await coordinator.poll(clock.now());
    const commits = vi.spyOn(coordinator, 'commitSync').mockResolvedValue(undefined);
    // The member lost its generation during the commit (classic: ILLEGAL_GENERATION); its chart answers with a loss.
    membership.onAutoCommitDone = [{ type: 'revocation.requested', kind: 'lose', partitions: [tp(0), tp(1), tp(2)], autoCommitFirst: false, notifyWhenEmpty: false, thenAssign: null }];
    membership.send({ type: 'revocation.requested', kind: 'revoke', partitions: [tp(0), tp(1), tp(2)], autoCommitFirst: true, notifyWhenEmpty: true, thenAssign: null });
    await coordinator.poll(clock.now());
    await coordinator.poll(clock.now());
    expect(commits).toHaveBeenCalledTimes(1);
    expect(env.listenerCalls).toEqual(['assigned [orders-0,orders-1,orders-2]', 'lost [orders-0,orders-1,orders-2]']);
    expect(membership.answers).toEqual(['subscribe orders', 'assignmentApplied 1', 'autoCommitDone', 'revocationDone []']);
    expect(env.seen.filter((event) => event.type === 'revoked')).toEqual([]);
  });

  it('a member fenced during the auto-commit (KIP-848: its loss replaces the revocation) loses everything, and nothing is revoked', async () => {
    const env = setUp({ autoCommit: true });
    const { membership, coordinator, clock } = env;
    membership.send({ type: 'assignment.ready', partitions: [tp(0), tp(1), tp(2)], generation: 1, watchTopics: [] });
    await coordinator.poll(clock.now());
    vi.spyOn(coordinator, 'commitSync').mockImplementation(() => {
      membership.send({ type: 'revocation.requested', kind: 'lose', partitions: [tp(0), tp(1), tp(2)], autoCommitFirst: false, notifyWhenEmpty: false, thenAssign: null });
      return Promise.resolve();
    });
    membership.send({ type: 'revocation.requested', kind: 'revoke', partitions: [tp(2)], autoCommitFirst: true, notifyWhenEmpty: false, thenAssign: null });
    await coordinator.poll(clock.now());
    await coordinator.poll(clock.now());
    expect(env.listenerCalls).toEqual(['assigned [orders-0,orders-1,orders-2]', 'lost [orders-0,orders-1,orders-2]']);
    expect(membership.answers).toEqual(['subscribe orders', 'assignmentApplied 1', 'autoCommitDone', 'revocationDone []']);
    expect(env.subscriptions.assignedPartitions()).toEqual([]);
  });

  it('a loss asked for while a revocation ran loses only what is still held: lost is never emitted for partitions already revoked', async () => {
    const env = setUp();
    const { membership, coordinator, clock } = env;
    membership.send({ type: 'assignment.ready', partitions: [tp(0), tp(1), tp(2)], generation: 1, watchTopics: [] });
    await coordinator.poll(clock.now());
    // Fenced while onPartitionsRevoked runs: the membership's loss still names the partition being revoked.
    env.hooks.whileRevoking = () =>
      membership.send({ type: 'revocation.requested', kind: 'lose', partitions: [tp(0), tp(1), tp(2)], autoCommitFirst: false, notifyWhenEmpty: false, thenAssign: null });
    membership.send({ type: 'revocation.requested', kind: 'revoke', partitions: [tp(2)], autoCommitFirst: false, notifyWhenEmpty: false, thenAssign: null });
    await coordinator.poll(clock.now());
    await coordinator.poll(clock.now());
    await coordinator.poll(clock.now());
    expect(env.listenerCalls).toEqual(['assigned [orders-0,orders-1,orders-2]', 'revoked [orders-2]', 'lost [orders-0,orders-1]']);
    expect(env.seen.filter((event) => event.type === 'lost')).toEqual([{ type: 'lost', partitions: [tp(0), tp(1)], generation: 1 }]);
    expect(membership.answers).toEqual(['subscribe orders', 'assignmentApplied 1', 'revocationDone [orders-0,orders-1]', 'revocationDone []']);
  });

  it('a fatal error is thrown by every poll() from then on, a non-fatal one by the next poll() only', async () => {
    const env = setUp();
    const transient = new Error('the leader could not compute the assignment');
    env.membership.send({ type: 'error', error: transient, fatal: false });
    await expect(env.coordinator.poll(env.clock.now())).rejects.toBe(transient);
    await expect(env.coordinator.poll(env.clock.now())).resolves.toBeUndefined();
    const fatal = new Error('UNRELEASED_INSTANCE_ID');
    env.membership.send({ type: 'error', error: fatal, fatal: true });
    await expect(env.coordinator.poll(env.clock.now())).rejects.toBe(fatal);
    await expect(env.coordinator.poll(env.clock.now())).rejects.toBe(fatal);
  });
});

/**
 * The subscribed consumer end to end against the fake cluster and its fake classic coordinator, on the
 * simulated clock: joining, rebalancing, committing, and the client-side scenarios of the reliability
 * reference (max.poll.interval.ms exceeded, a killed member, restart from committed offsets, idle members,
 * independent groups, commits in the revoke callback, unsubscribe, partitions added, fatal errors).
 */
import { encodeRecordBatch, isKafkaError, type ConfigValueInput } from '@kactor/protocol';
import { createLogger, waitForSimulated } from '@kactor/runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { CommitFailedError, IllegalStateError, NoOffsetForPartitionError, RebalanceListenerError } from '../errors.js';
import { FakeCluster } from '../test-support/fake-cluster.js';
import type { TopicPartition } from '../topic-partition.js';
import { Consumer } from './consumer.js';
import type { ConsumerEvent, ConsumerRebalanceListener } from './consumer-events.js';
import type { ConsumerRecord } from './consumer-types.js';

let cluster: FakeCluster;
const consumers: Consumer[] = [];
const utf8 = (text: string) => new TextEncoder().encode(text);
const text = (record: ConsumerRecord) => new TextDecoder().decode(record.value ?? new Uint8Array());
const groupSettings = { 'session.timeout.ms': 10_000, 'heartbeat.interval.ms': 1_000, 'max.poll.interval.ms': 20_000, 'auto.offset.reset': 'earliest' };

async function start(brokers = 3): Promise<void> {
  cluster = await FakeCluster.start({ brokers });
}

function consumer(group: string, name: string, settings: Record<string, ConfigValueInput> = {}): Consumer {
  const created = Consumer.create(
    { 'bootstrap.servers': cluster.bootstrapServers, 'group.id': group, 'client.id': name, ...groupSettings, ...settings },
    cluster.clientRuntime(consumers.length + 1, name),
  );
  consumers.push(created);
  return created;
}

function append(topic: string, partition: number, ...values: string[]): void {
  cluster.append(topic, partition, encodeRecordBatch({ records: values.map((value, index) => ({ key: null, value: utf8(value), timestamp: 1_000 + index })) }));
}

/** Fills every partition of `topic` with `perPartition` records named `p<partition>-<n>`. */
function fill(topic: string, partitions: number, perPartition: number, from = 0): void {
  for (let partition = 0; partition < partitions; partition++) {
    append(topic, partition, ...Array.from({ length: perPartition }, (_, index) => `p${partition}-${from + index}`));
  }
}

/**
 * Polls every consumer in its own loop (as separate applications would), collecting records, until
 * `condition` holds; `paused` consumers are left alone (an application stuck in processing).
 */
async function pollUntil(polling: readonly Consumer[], condition: () => boolean, description: string, maxVirtualMs = 120_000, onRecords?: (who: Consumer, records: ConsumerRecord[]) => Promise<void> | void) {
  const received = new Map<Consumer, ConsumerRecord[]>(polling.map((each) => [each, []]));
  let stop = false;
  const failures: unknown[] = [];
  const loops = polling.map(async (each) => {
    while (!stop) {
      try {
        const records = await each.poll(100);
        received.get(each)!.push(...records);
        consumed.set(each, consumedCount(each) + records.length);
        await onRecords?.(each, records);
      } catch (error) {
        failures.push(error);
        return;
      }
    }
  });
  await waitForSimulated(cluster.clock, () => condition() || failures.length > 0, description, maxVirtualMs);
  stop = true;
  await cluster.settle(Promise.all(loops));
  if (failures.length > 0) throw failures[0];
  return received;
}

/** Records each consumer got from poll() so far, across pollUntil calls. */
const consumed = new Map<Consumer, number>();
const consumedCount = (each: Consumer): number => consumed.get(each) ?? 0;
const sorted = (partitions: readonly TopicPartition[]) => [...partitions].map((tp) => `${tp.topic}-${tp.partition}`).sort();
const stableWith = (each: Consumer, count: number) => each.groupMembership()?.state === 'stable' && each.assignment().length === count;

afterEach(async () => {
  consumed.clear();
  for (const each of consumers.splice(0)) await cluster.settle(each.close()).catch(() => undefined);
  await cluster.close();
});

describe('Consumer in a group', () => {
  it('joins on the first poll, gets the whole topic, reads it from the earliest offset, and reports each step as an event', async () => {
    await start();
    cluster.createTopic('orders', 3);
    fill('orders', 3, 2);
    const alone = consumer('analytics', 'c1');
    const events: ConsumerEvent[] = [];
    alone.on('event', (event) => events.push(event));
    alone.subscribe(['orders']);
    const received = await pollUntil([alone], () => consumedCount(alone) >= 6, 'all six records');
    expect(received.get(alone)!.map(text).sort()).toEqual(['p0-0', 'p0-1', 'p1-0', 'p1-1', 'p2-0', 'p2-1']);
    expect(events.filter((event) => event.type === 'state').map((event) => event.type === 'state' && `${event.from}->${event.to}`)).toEqual([
      'unjoined->joining',
      'joining->syncing',
      'syncing->stable',
    ]);
    expect(events.find((event) => event.type === 'assigned')).toEqual({ type: 'assigned', partitions: [0, 1, 2].map((partition) => ({ topic: 'orders', partition })), generation: 1 });
  });

  it('splits the partitions between two members (range), and a second group reads everything on its own', async () => {
    await start();
    cluster.createTopic('orders', 6);
    fill('orders', 6, 5);
    const a = consumer('analytics', 'a');
    const b = consumer('analytics', 'b');
    const billing = consumer('billing', 'x');
    for (const each of [a, b, billing]) each.subscribe(['orders']);
    const received = await pollUntil([a, b, billing], () => stableWith(a, 3) && stableWith(b, 3) && consumedCount(a) + consumedCount(b) >= 30 && consumedCount(billing) >= 30, 'both groups read all');
    expect([...sorted(a.assignment()), ...sorted(b.assignment())].sort()).toEqual(sorted([0, 1, 2, 3, 4, 5].map((partition) => ({ topic: 'orders', partition }))));
    const analytics = [...received.get(a)!, ...received.get(b)!].map(text);
    expect(new Set(analytics).size).toBe(30);
    expect(analytics).toHaveLength(30);
    expect(received.get(billing)!.map(text).sort()).toEqual([...analytics].sort());
  });

  it('leaves a member idle (assigned nothing, still in the group) when there are more members than partitions', async () => {
    await start();
    cluster.createTopic('orders', 1);
    const members = ['a', 'b'].map((name) => consumer('analytics', name));
    const events: ConsumerEvent[] = [];
    members[1]!.on('event', (event) => events.push(event));
    for (const each of members) each.subscribe(['orders']);
    await pollUntil(members, () => members.every((each) => each.groupMembership()?.state === 'stable') && members.some((each) => each.assignment().length === 1), 'a stable group');
    const idle = members.find((each) => each.assignment().length === 0)!;
    expect(idle.groupMembership()).toMatchObject({ state: 'stable', generationId: 1 });
    expect(cluster.groupCoordinator.group('analytics')!.members.size).toBe(2);
    if (idle === members[1]) expect(events.find((event) => event.type === 'assigned')).toMatchObject({ partitions: [] });
  });

  it('resumes from the committed offsets after a restart: position == committed', async () => {
    await start();
    cluster.createTopic('orders', 2);
    fill('orders', 2, 10);
    const first = consumer('analytics', 'first', { 'enable.auto.commit': false, 'max.poll.records': 4 });
    first.subscribe(['orders']);
    await pollUntil([first], () => consumedCount(first) >= 8, 'eight records');
    await cluster.settle(first.commitSync());
    const positions = await Promise.all(first.assignment().map((tp) => cluster.settle(first.position(tp))));
    const committed = await cluster.settle(first.committed(first.assignment()));
    expect(committed.map((entry) => entry.offset)).toEqual(positions);
    await cluster.settle(first.close());
    const second = consumer('analytics', 'second');
    let positionsAtAssignment: Array<number | null> = [];
    second.subscribe(['orders'], {
      // Positions are resolved lazily; at assignment time each partition waits for its committed offset.
      onPartitionsAssigned: async (partitions) => void (positionsAtAssignment = await Promise.all(partitions.map((tp) => second.position(tp)))),
    });
    const remaining = committed.reduce((sum, entry) => sum + 10 - (entry.offset ?? 0), 0);
    const received = await pollUntil([second], () => consumedCount(second) >= remaining, 'the rest of the records');
    expect(positionsAtAssignment).toEqual(committed.map((entry) => entry.offset));
    for (const entry of committed) {
      const offsets = received.get(second)!.filter((record) => record.partition === entry.partition).map((record) => record.offset);
      expect(offsets).toEqual(Array.from({ length: 10 - (entry.offset ?? 0) }, (_, index) => (entry.offset ?? 0) + index));
    }
  });

  it('commits the positions on close with enable.auto.commit (at-least-once)', async () => {
    await start();
    cluster.createTopic('orders', 1);
    fill('orders', 1, 7);
    const member = consumer('analytics', 'c1');
    member.subscribe(['orders']);
    await pollUntil([member], () => consumedCount(member) >= 7, 'seven records');
    await cluster.settle(member.close());
    expect(cluster.groupCoordinator.committed('analytics', 'orders', 0)).toBe(7);
    expect(cluster.groupCoordinator.requestsOf('leaveGroup')).toHaveLength(1);
    expect(member.groupMembership()?.state).toBe('dead');
  });

  it('lets onPartitionsRevoked commit during close() (the consumer is closing, not yet closed, as in Kafka), then refuses calls once closed', async () => {
    await start();
    cluster.createTopic('orders', 1);
    fill('orders', 1, 5);
    const member = consumer('billing', 'c1', { 'enable.auto.commit': false });
    const revoked: TopicPartition[][] = [];
    let pollWhileClosing: unknown;
    member.subscribe(['orders'], {
      onPartitionsRevoked: async (partitions) => {
        revoked.push(partitions);
        await member.poll(0).catch((error: unknown) => (pollWhileClosing = error));
        await member.commitSync();
      },
    });
    await pollUntil([member], () => consumedCount(member) >= 5, 'five records');
    expect(cluster.groupCoordinator.committed('billing', 'orders', 0)).not.toBe(5);
    await cluster.settle(member.close());
    expect(revoked).toEqual([[{ topic: 'orders', partition: 0 }]]);
    expect(cluster.groupCoordinator.committed('billing', 'orders', 0)).toBe(5);
    expect(pollWhileClosing).toBeInstanceOf(IllegalStateError);
    expect(member.groupMembership()?.state).toBe('dead');
    await expect(member.commitSync()).rejects.toThrow('the consumer is closed');
  });

  it('auto-commits every auto.commit.interval.ms during poll()', async () => {
    await start();
    cluster.createTopic('orders', 1);
    fill('orders', 1, 3);
    const member = consumer('analytics', 'c1', { 'auto.commit.interval.ms': 1_000 });
    member.subscribe(['orders']);
    await pollUntil([member], () => cluster.groupCoordinator.committed('analytics', 'orders', 0) === 3, 'the auto-commit', 10_000);
  });

  it('max.poll.interval.ms exceeded: the member leaves, the other gets everything, the stale commit fails, exactly one lost callback, then it rejoins', async () => {
    await start();
    cluster.createTopic('orders', 2);
    const lost: TopicPartition[][] = [];
    const slow = consumer('analytics', 'slow', { 'enable.auto.commit': false });
    const steady = consumer('analytics', 'steady');
    slow.subscribe(['orders'], { onPartitionsLost: (partitions) => void lost.push(partitions) });
    steady.subscribe(['orders']);
    await pollUntil([slow, steady], () => stableWith(slow, 1) && stableWith(steady, 1), 'one partition each');
    const slowPartition = slow.assignment()[0]!;
    // The slow member stops polling; the other keeps going and gets both partitions after the rebalance.
    await pollUntil([steady], () => stableWith(steady, 2), 'the steady member owns both', 60_000);
    expect(cluster.groupCoordinator.requestsOf('leaveGroup').map((request) => request.body.members[0]!.reason)).toEqual(['consumer poll timeout has expired: poll() was not called within max.poll.interval.ms']);
    const stale = await cluster.settle(slow.commitSync([{ ...slowPartition, offset: 0 }])).catch((error: unknown) => error);
    expect(stale).toBeInstanceOf(CommitFailedError);
    expect(cluster.groupCoordinator.committed('analytics', slowPartition.topic, slowPartition.partition)).toBeUndefined();
    await pollUntil([slow, steady], () => stableWith(slow, 1) && stableWith(steady, 1), 'the slow member rejoined');
    expect(lost).toEqual([[slowPartition]]);
  });

  it('a commit refused with ILLEGAL_GENERATION throws CommitFailedError; the next poll() loses the partitions and rejoins', async () => {
    await start();
    cluster.createTopic('orders', 2);
    fill('orders', 2, 3);
    const events: ConsumerEvent[] = [];
    const member = consumer('analytics', 'c1', { 'enable.auto.commit': false });
    member.on('event', (event) => events.push(event));
    member.subscribe(['orders']);
    await pollUntil([member], () => consumedCount(member) >= 6, 'six records');
    cluster.groupCoordinator.inject('offsetCommit', 'ILLEGAL_GENERATION');
    await expect(cluster.settle(member.commitSync())).rejects.toBeInstanceOf(CommitFailedError);
    expect(member.groupMembership()).toMatchObject({ state: 'rebalancing', generationId: -1 });
    await pollUntil([member], () => stableWith(member, 2), 'rejoined');
    const types = events.filter((event) => event.type !== 'state').map((event) => event.type);
    expect(types).toEqual(['assigned', 'rebalance', 'lost', 'assigned', 'rebalance']);
    const [joined, fenced] = member.rebalances();
    expect(joined).toMatchObject({ trigger: 'join', protocol: 'EAGER', fromGeneration: -1, generations: [1], pausedMs: 0, completed: true });
    expect(fenced).toMatchObject({ trigger: 'rejoin', reason: 'rebalance after ILLEGAL_GENERATION', fromGeneration: 1, generations: [2], revoked: [], completed: true });
    expect(sorted(fenced!.lost)).toEqual(['orders-0', 'orders-1']);
    expect(fenced!.pausedMs).toBeGreaterThan(0);
    expect(fenced!.pausedMs).toBeLessThanOrEqual(fenced!.endMs - fenced!.startMs);
    // Nothing was committed, so the rejoined member reads the six records again (at-least-once, never lost).
    const again = await pollUntil([member], () => consumedCount(member) >= 12, 'the records again');
    expect(again.get(member)!.map(text).sort()).toEqual(['p0-0', 'p0-1', 'p0-2', 'p1-0', 'p1-1', 'p1-2']);
  });

  it('a killed member (no LeaveGroup, no heartbeats) loses its partitions to the others within the session timeout plus a rebalance', async () => {
    await start();
    cluster.createTopic('orders', 4);
    const survivor = consumer('analytics', 'survivor');
    const victim = consumer('analytics', 'victim');
    for (const each of [survivor, victim]) each.subscribe(['orders']);
    await pollUntil([survivor, victim], () => stableWith(survivor, 2) && stableWith(victim, 2), 'two each');
    cluster.network.setLinkFilter((from, to) => (from === 'victim' || to === 'victim' ? 'drop' : 'deliver'));
    const killedAtMs = cluster.clock.now();
    await pollUntil([survivor], () => stableWith(survivor, 4), 'the survivor owns all four', 60_000);
    expect(cluster.clock.now() - killedAtMs).toBeLessThanOrEqual(10_000 + 2 * 1_000 + 1_000);
    cluster.network.setLinkFilter(undefined);
  });

  it('a commit inside onPartitionsRevoked completes, and the next owner continues right after it: no record read twice or skipped', async () => {
    await start();
    cluster.createTopic('orders', 2);
    fill('orders', 2, 50);
    const first = consumer('analytics', 'first', { 'enable.auto.commit': false, 'max.poll.records': 10 });
    const listener: ConsumerRebalanceListener = { onPartitionsRevoked: async () => first.commitSync() };
    first.subscribe(['orders'], listener);
    const early = await pollUntil([first], () => consumedCount(first) >= 30, 'thirty records');
    const second = consumer('analytics', 'second', { 'enable.auto.commit': false });
    second.subscribe(['orders']);
    const later = await pollUntil([first, second], () => stableWith(first, 1) && stableWith(second, 1) && consumedCount(first) + consumedCount(second) >= 100 - early.get(first)!.length, 'the rest', 60_000);
    const all = [...early.get(first)!, ...later.get(first)!, ...later.get(second)!].map(text);
    expect(all).toHaveLength(100);
    expect(new Set(all).size).toBe(100);
  });

  it('unsubscribe() revokes, sends LeaveGroup, and the remaining member gets every partition', async () => {
    await start();
    cluster.createTopic('orders', 2);
    const staying = consumer('analytics', 'staying');
    const leaving = consumer('analytics', 'leaving');
    const revoked: TopicPartition[][] = [];
    staying.subscribe(['orders']);
    leaving.subscribe(['orders'], { onPartitionsRevoked: (partitions) => void revoked.push(partitions) });
    await pollUntil([staying, leaving], () => stableWith(staying, 1) && stableWith(leaving, 1), 'one each');
    const owned = leaving.assignment();
    await cluster.settle(leaving.unsubscribe());
    expect(revoked.at(-1)).toEqual(owned);
    expect(leaving.assignment()).toEqual([]);
    expect(leaving.groupMembership()?.state).toBe('unjoined');
    await pollUntil([staying], () => stableWith(staying, 2), 'the remaining member owns both', 30_000);
    await expect(leaving.poll(10)).rejects.toBeInstanceOf(IllegalStateError);
  });

  it('COOPERATIVE: keeps delivering records of kept partitions while the group rebalances, and revokes only the partitions that move', async () => {
    await start();
    cluster.createTopic('orders', 4);
    fill('orders', 4, 400);
    const cooperative = { 'partition.assignment.strategy': 'cooperative-sticky', 'max.poll.records': 5 };
    const revoked: TopicPartition[][] = [];
    const assigned: TopicPartition[][] = [];
    const first = consumer('analytics', 'first', cooperative);
    first.subscribe(['orders'], { onPartitionsRevoked: (partitions) => void revoked.push(partitions), onPartitionsAssigned: (partitions) => void assigned.push(partitions) });
    await pollUntil([first], () => stableWith(first, 4) && consumedCount(first) >= 20, 'the first member reads all four');
    // A producer keeps writing one record per partition every 50 ms, so there is always something to read.
    let written = 400;
    let producing = true;
    const produce = (): void => {
      if (!producing) return;
      fill('orders', 4, 1, written++);
      cluster.clock.setTimeout(produce, 50);
    };
    produce();
    const second = consumer('analytics', 'second', cooperative);
    second.subscribe(['orders']);
    const duringRebalance: ConsumerRecord[] = [];
    await pollUntil(
      [first, second],
      () => stableWith(first, 2) && stableWith(second, 2) && first.rebalances().length >= 2,
      'two each, after the second round',
      60_000,
      (who, records) => {
        if (who === first && first.groupMembership()?.state !== 'stable') duringRebalance.push(...records);
      },
    );
    producing = false;
    const kept = sorted(first.assignment());
    const moved = sorted(second.assignment());
    // onPartitionsRevoked ran once, with exactly what the newcomer got; onPartitionsAssigned ran after each of the two
    // rounds (as Kafka calls it, even with nothing added), adding nothing for the first member.
    expect(revoked.map(sorted)).toEqual([moved]);
    expect(assigned.map(sorted)).toEqual([sorted([0, 1, 2, 3].map((partition) => ({ topic: 'orders', partition }))), [], []]);
    // Records of kept partitions arrived while the first member was joining, syncing or rebalancing.
    expect(duringRebalance.some((record) => kept.includes(`${record.topic}-${record.partition}`))).toBe(true);
    const record = first.rebalances().at(-1)!;
    expect(record).toMatchObject({ protocol: 'COOPERATIVE', trigger: 'rejoin', pausedMs: 0, lost: [], completed: true });
    expect(record.generations).toHaveLength(2);
    expect(sorted(record.revoked)).toEqual(moved);
    expect(record.partiallyPausedMs).toBeGreaterThan(0);
  });

  it('rebalances when a subscribed topic gets more partitions, and assigns the new ones', async () => {
    await start();
    cluster.createTopic('orders', 2);
    const member = consumer('analytics', 'c1', { 'metadata.max.age.ms': 5_000 });
    member.subscribe(['orders']);
    await pollUntil([member], () => stableWith(member, 2), 'two partitions');
    cluster.topics.get('orders')!.partitions.push({ leader: 0, leaderEpoch: 0, logStartOffset: 0, logEndOffset: 0, batches: [], injected: [] });
    await pollUntil([member], () => stableWith(member, 3), 'three partitions', 30_000);
    expect(member.groupMembership()!.generationId).toBe(2);
  });

  it('subscribes by pattern: whole names only, and picks up a matching topic created later', async () => {
    await start();
    cluster.createTopic('orders-eu', 1);
    cluster.createTopic('orders-us', 1);
    cluster.createTopic('xorders-eu', 1);
    const member = consumer('analytics', 'c1', { 'metadata.max.age.ms': 5_000 });
    member.subscribe(/orders-.*/);
    await pollUntil([member], () => stableWith(member, 2), 'the two matching topics');
    expect(member.subscription()).toEqual(['orders-eu', 'orders-us']);
    cluster.createTopic('orders-asia', 1);
    await pollUntil([member], () => stableWith(member, 3), 'the new topic', 30_000);
    expect(sorted(member.assignment())).toEqual(['orders-asia-0', 'orders-eu-0', 'orders-us-0']);
  });

  it('throws the fatal GROUP_MAX_SIZE_REACHED from poll(), every time', async () => {
    await start();
    cluster.createTopic('orders', 1);
    (cluster.groupCoordinator as unknown as { maxGroupSize: number }).maxGroupSize = 1;
    const first = consumer('analytics', 'first');
    first.subscribe(['orders']);
    await pollUntil([first], () => stableWith(first, 1), 'the first member');
    const second = consumer('analytics', 'second');
    second.subscribe(['orders']);
    const error = await pollUntil([second], () => false, 'never', 10_000).catch((caught: unknown) => caught);
    expect(isKafkaError(error, 'GROUP_MAX_SIZE_REACHED')).toBe(true);
    expect(second.groupMembership()?.state).toBe('dead');
    await expect(cluster.settle(second.poll(10))).rejects.toMatchObject({ errorName: 'GROUP_MAX_SIZE_REACHED' });
  });

  it('names session.timeout.ms in INVALID_SESSION_TIMEOUT', async () => {
    await start();
    cluster.createTopic('orders', 1);
    const member = consumer('analytics', 'short', { 'session.timeout.ms': 1_000, 'heartbeat.interval.ms': 500 });
    member.subscribe(['orders']);
    const error = await pollUntil([member], () => false, 'never', 10_000).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ errorName: 'INVALID_SESSION_TIMEOUT', message: expect.stringMatching(/^session\.timeout\.ms 1000 is outside/) as unknown });
  });

  it('a member fenced for good warns about nothing (poll() throws the error) and closes without an auto-commit that cannot succeed', async () => {
    await start();
    cluster.createTopic('orders', 1);
    fill('orders', 1, 3);
    const warnings: string[] = [];
    const logger = createLogger({ level: 'warn', destination: { write: (line: string) => warnings.push(line) } });
    const member = Consumer.create(
      { 'bootstrap.servers': cluster.bootstrapServers, 'group.id': 'analytics', 'client.id': 'fenced', ...groupSettings, 'enable.auto.commit': true },
      { ...cluster.clientRuntime(9, 'fenced'), logger },
    );
    consumers.push(member);
    member.subscribe(['orders']);
    await pollUntil([member], () => consumedCount(member) === 3, 'the records');
    cluster.groupCoordinator.inject('heartbeat', 'FENCED_INSTANCE_ID');
    const error = await pollUntil([member], () => false, 'never', 10_000).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ errorName: 'FENCED_INSTANCE_ID' });
    await cluster.settle(member.close());
    expect(warnings).toEqual([]);
  });

  it('applies auto.offset.reset=none only where nothing is committed', async () => {
    await start();
    cluster.createTopic('orders', 2);
    fill('orders', 2, 3);
    cluster.groupCoordinator.commit('analytics', 'orders', 0, 2);
    const member = consumer('analytics', 'c1', { 'auto.offset.reset': 'none' });
    member.subscribe(['orders']);
    const error = await pollUntil([member], () => false, 'never', 10_000).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NoOffsetForPartitionError);
    expect((error as NoOffsetForPartitionError).partitions).toEqual([{ topic: 'orders', partition: 1 }]);
    expect(await cluster.settle(member.position({ topic: 'orders', partition: 0 }))).toBe(2);
  });

  it('retries the committed-offset lookup while the coordinator is loading, then resumes from the committed offset', async () => {
    await start();
    cluster.createTopic('orders', 1);
    fill('orders', 1, 5);
    cluster.groupCoordinator.commit('analytics', 'orders', 0, 3);
    cluster.groupCoordinator.inject('offsetFetch', 'COORDINATOR_LOAD_IN_PROGRESS', 'COORDINATOR_LOAD_IN_PROGRESS');
    const member = consumer('analytics', 'c1');
    member.subscribe(['orders']);
    const received = await pollUntil([member], () => consumedCount(member) >= 2, 'the uncommitted records');
    expect(received.get(member)!.map(text)).toEqual(['p0-3', 'p0-4']);
    expect(cluster.groupCoordinator.requestsOf('offsetFetch')).toHaveLength(3);
  });

  it('runs commitAsync callbacks on the next poll(), with the outcome', async () => {
    await start();
    cluster.createTopic('orders', 1);
    fill('orders', 1, 2);
    const member = consumer('analytics', 'c1', { 'enable.auto.commit': false });
    member.subscribe(['orders']);
    await pollUntil([member], () => consumedCount(member) >= 2, 'two records');
    const outcomes: Array<Error | null> = [];
    member.commitAsync((error) => outcomes.push(error));
    await cluster.clock.advanceByAsync(50);
    expect(outcomes).toEqual([]);
    await cluster.settle(member.poll(0));
    expect(outcomes).toEqual([null]);
    expect(cluster.groupCoordinator.committed('analytics', 'orders', 0)).toBe(2);
  });

  it('rethrows a listener error from poll() once the rebalance step is done', async () => {
    await start();
    cluster.createTopic('orders', 1);
    const member = consumer('analytics', 'c1');
    member.subscribe(['orders'], {
      onPartitionsAssigned: () => {
        throw new Error('listener bug');
      },
    });
    const error = await pollUntil([member], () => false, 'never', 10_000).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RebalanceListenerError);
    expect(((error as Error).cause as Error).message).toBe('listener bug');
    expect(member.assignment()).toEqual([{ topic: 'orders', partition: 0 }]);
  });

  it('groupMetadata() gives the group, generation, member id and instance id a transactional producer commits with (KIP-447), and follows a rebalance', async () => {
    await start();
    cluster.createTopic('input', 2);
    const first = consumer('copier', 'c1', { 'group.instance.id': 'copier-a' });
    first.subscribe(['input']);
    expect(first.groupMetadata()).toEqual({ groupId: 'copier', generationId: -1, memberId: '', groupInstanceId: 'copier-a' });
    await pollUntil([first], () => stableWith(first, 2), 'the first member alone');
    const joined = first.groupMetadata();
    expect(joined).toEqual({ groupId: 'copier', generationId: 1, memberId: first.groupMembership()!.memberId, groupInstanceId: 'copier-a' });
    expect(joined.memberId).not.toBe('');
    const second = consumer('copier', 'c2');
    second.subscribe(['input']);
    await pollUntil([first, second], () => stableWith(first, 1) && stableWith(second, 1), 'two members');
    expect(first.groupMetadata()).toMatchObject({ generationId: 2, memberId: joined.memberId });
    expect(second.groupMetadata()).toMatchObject({ groupId: 'copier', generationId: 2, groupInstanceId: null });
  });

  it('refuses group calls without group.id, and mixing subscribe() with assign()', async () => {
    await start();
    cluster.createTopic('orders', 1);
    const plain = Consumer.create({ 'bootstrap.servers': cluster.bootstrapServers }, cluster.clientRuntime(99));
    consumers.push(plain);
    expect(() => plain.subscribe(['orders'])).toThrow(/group\.id/);
    await expect(plain.commitSync([{ topic: 'orders', partition: 0, offset: 1 }])).rejects.toMatchObject({ errorName: 'INVALID_GROUP_ID' });
    expect(() => plain.groupMetadata()).toThrow(/groupMetadata\(\) needs a group/);
    const member = consumer('analytics', 'c1');
    member.subscribe(['orders']);
    expect(() => member.assign([{ topic: 'orders', partition: 0 }])).toThrow(IllegalStateError);
    const manual = consumer('analytics', 'c2');
    manual.assign([{ topic: 'orders', partition: 0 }]);
    expect(() => manual.subscribe(['orders'])).toThrow(IllegalStateError);
  });

  it('manual assignment with a group.id starts from the committed offset and commits outside any generation', async () => {
    await start();
    cluster.createTopic('orders', 1);
    fill('orders', 1, 4);
    cluster.groupCoordinator.commit('audit', 'orders', 0, 1);
    const manual = consumer('audit', 'm1', { 'enable.auto.commit': false });
    manual.assign([{ topic: 'orders', partition: 0 }]);
    const received = await pollUntil([manual], () => consumedCount(manual) >= 3, 'three records');
    expect(received.get(manual)!.map(text)).toEqual(['p0-1', 'p0-2', 'p0-3']);
    await cluster.settle(manual.commitSync());
    expect(cluster.groupCoordinator.requestsOf('offsetCommit').at(-1)!.body).toMatchObject({ generationIdOrMemberEpoch: -1, memberId: '' });
    expect(cluster.groupCoordinator.committed('audit', 'orders', 0)).toBe(4);
  });
});

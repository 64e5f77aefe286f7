/**
 * The group coordinator following the leadership of `__consumer_offsets` (Kafka's onElection/onResignation with the
 * leader epoch, CoordinatorRuntime's LOADING/ACTIVE/CLOSED), driven by images on a simulated clock over one
 * in-memory log that stands for the replicated partition.
 */
import { errorForCode, type MetadataImage, type RequestBody } from '@kactor/protocol';
import { SimulatedClock, type RequestRef } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import { collectingResponder, openTestInternalLog, testInternalPartitionHost, testInternalTopicImage } from '../coordinator-runtime/internal-partition-test-support.js';
import { OFFSETS_TOPIC } from './group-coordinator.js';
import { testGroupCoordinator } from './group-test-support.js';
import { encodeGroupRecordBatch, LOAD_READ_BYTES } from './group-records.js';

const me = 1;
/** One offsets partition, so every group is on partition 0. */
function image(leader: number, leaderEpoch: number): MetadataImage {
  return testInternalTopicImage({ topic: OFFSETS_TOPIC, topicId: 'offsets-id', replicas: [1, 2, 3] }, leader, leaderEpoch);
}

function setUp() {
  const clock = new SimulatedClock({ startMs: 1_000_000 });
  const log = openTestInternalLog(clock, OFFSETS_TOPIC, 'offsets-id', me);
  /** The replica here: Leader or Follower in some leader epoch, as the partition actor would be after the image. */
  const replica = { state: 'Leader', leaderEpoch: 0, unreadable: false, reads: 0 };
  /** The log as the loader sees it: reads throw while `replica.unreadable` (a failing disk). */
  const loaderLog = new Proxy(log, {
    get: (target, property, receiver) => {
      if (property === 'read' && replica.unreadable) return () => {
        throw new Error('I/O error');
      };
      if (property === 'read') replica.reads += 1;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  const partitions = testInternalPartitionHost(OFFSETS_TOPIC, log, replica, loaderLog);
  const { responder, answers } = collectingResponder();
  let current: MetadataImage | null = null;
  let correlation = 0;
  const coordinator = testGroupCoordinator({ clock, responder, ids: { next: () => `id-${(correlation += 1)}` }, partitions, currentImage: () => current });
  /** An image naming `leader` in `leaderEpoch`; the replica here follows it at once unless `replicaLagsBehind`. */
  const apply = (leader: number, leaderEpoch: number, replicaLagsBehind = false) => {
    if (!replicaLagsBehind) {
      replica.state = leader === me ? 'Leader' : 'Follower';
      replica.leaderEpoch = leaderEpoch;
    }
    current = image(leader, leaderEpoch);
    coordinator.onImage(current);
  };
  const request = <A extends 'offsetCommit' | 'offsetFetch' | 'listGroups'>(api: A, body: RequestBody<A>) => {
    correlation += 1;
    const ref: RequestRef = { connectionId: 'client', correlationId: correlation, api, version: 8, remoteAddress: '/client' };
    coordinator.handle({ api, ref, body } as never);
    return answers.get(correlation);
  };
  const commit = (offset: number) =>
    request('offsetCommit', {
      groupId: 'g',
      generationIdOrMemberEpoch: -1,
      memberId: '',
      groupInstanceId: null,
      retentionTimeMs: -1,
      topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, committedOffset: offset, committedLeaderEpoch: -1, committedMetadata: null }] }],
    }) as { topics: Array<{ partitions: Array<{ errorCode: number }> }> } | undefined;
  const fetch = () => {
    const answer = request('offsetFetch', { groupId: 'g', topics: [{ name: 'orders', partitionIndexes: [0] }], requireStable: false }) as
      | { errorCode: number; topics: Array<{ partitions: Array<{ committedOffset: number }> }> }
      | undefined;
    return { error: errorForCode(answer?.errorCode ?? -1).name, offset: answer?.topics[0]?.partitions[0]?.committedOffset };
  };
  /** A commit written to the partition by another leader, replicated here while this broker followed it. */
  const writtenElsewhere = (offset: number, leaderEpoch: number, metadata = '') => {
    const value = { offset, leaderEpoch: -1, metadata, commitTimestampMs: clock.now() };
    log.append(encodeGroupRecordBatch([{ type: 'OffsetCommit', groupId: 'g', topic: 'orders', partition: 0, value }], clock.now()), { leaderEpoch, recordCount: 1 });
  };
  const listed = () => {
    const answer = request('listGroups', { statesFilter: [], typesFilter: [] }) as { errorCode: number; groups: Array<{ groupId: string }> } | undefined;
    return { error: errorForCode(answer?.errorCode ?? -1).name, groups: answer?.groups.map((group) => group.groupId) };
  };
  return { clock, log, replica, apply, commit, fetch, listed, writtenElsewhere };
}

describe('GroupCoordinator follows the leadership of __consumer_offsets', () => {
  it('LOADING -> ACTIVE on election: COORDINATOR_LOAD_IN_PROGRESS until the log is replayed, then the committed offsets', async () => {
    const t = setUp();
    t.writtenElsewhere(42, 0);
    t.apply(me, 1);
    expect(t.fetch().error).toBe('COORDINATOR_LOAD_IN_PROGRESS');
    expect(t.listed()).toEqual({ error: 'COORDINATOR_LOAD_IN_PROGRESS', groups: [] });
    await t.clock.advanceByAsync(0);
    expect(t.fetch()).toEqual({ error: 'NONE', offset: 42 });
    expect(t.listed()).toEqual({ error: 'NONE', groups: ['g'] });
  });

  it('loads up to the log end, not the high watermark: a new leader may not know the HW that acknowledged the last commit', async () => {
    const t = setUp();
    t.writtenElsewhere(7, 0);
    // The replica's HW (0 here: nothing told it otherwise) lags its log; the commit above it was acknowledged by the old leader.
    expect(t.log.logEndOffset).toBe(1);
    t.apply(me, 1);
    await t.clock.advanceByAsync(0);
    expect(t.fetch().offset).toBe(7);
  });

  it('ACTIVE -> CLOSED on resignation: NOT_COORDINATOR once another broker leads', async () => {
    const t = setUp();
    t.apply(me, 1);
    await t.clock.advanceByAsync(0);
    expect(t.commit(5)?.topics[0]?.partitions[0]?.errorCode).toBe(0);
    t.apply(2, 2);
    expect(t.fetch().error).toBe('NOT_COORDINATOR');
    expect(t.commit(6)?.topics[0]?.partitions[0]?.errorCode).toBe(16);
  });

  it('a new leader epoch here (A -> B -> A seen as one jump) unloads and loads again: the commit made at B is served, not the stale one', async () => {
    const t = setUp();
    t.apply(me, 1);
    await t.clock.advanceByAsync(0);
    expect(t.commit(5)?.topics[0]?.partitions[0]?.errorCode).toBe(0);
    // Broker 2 led in epoch 2 and took a commit; this broker saw only the image after, where it leads again in epoch 3.
    t.writtenElsewhere(7, 2);
    t.apply(me, 3);
    expect(t.fetch().error).toBe('COORDINATOR_LOAD_IN_PROGRESS');
    await t.clock.advanceByAsync(0);
    expect(t.fetch()).toEqual({ error: 'NONE', offset: 7 });
  });

  it('the same leader epoch in a later image keeps the loaded groups (no reload)', async () => {
    const t = setUp();
    t.apply(me, 1);
    await t.clock.advanceByAsync(0);
    t.apply(me, 1);
    expect(t.fetch().error).toBe('NONE');
  });

  it('waits for the replica to be Leader in the image’s epoch before loading (a former follower truncates first)', async () => {
    const t = setUp();
    t.apply(2, 1);
    t.writtenElsewhere(9, 1);
    // The image names this broker leader in epoch 2 before its partition actor has become Leader in that epoch.
    t.apply(me, 2, true);
    await t.clock.advanceByAsync(0);
    expect(t.fetch().error).toBe('NOT_COORDINATOR');
    t.apply(me, 2);
    await t.clock.advanceByAsync(0);
    expect(t.fetch()).toEqual({ error: 'NONE', offset: 9 });
  });

  it('a close while loading cancels the load: the group is not served by a broker that no longer leads', async () => {
    const t = setUp();
    t.writtenElsewhere(3, 0);
    t.apply(me, 1);
    t.apply(2, 2);
    await t.clock.advanceByAsync(0);
    expect(t.fetch().error).toBe('NOT_COORDINATOR');
  });

  it('LOADING -> FAILED when the log cannot be read (NOT_COORDINATOR); the next image loads it again', async () => {
    const t = setUp();
    t.writtenElsewhere(4, 0);
    t.replica.unreadable = true;
    t.apply(me, 1);
    await t.clock.advanceByAsync(0);
    expect(t.fetch().error).toBe('NOT_COORDINATOR');
    t.replica.unreadable = false;
    t.apply(me, 1);
    await t.clock.advanceByAsync(0);
    expect(t.fetch()).toEqual({ error: 'NONE', offset: 4 });
  });

  it('reads a partition larger than LOAD_READ_BYTES in several reads and replays all of it', async () => {
    const t = setUp();
    // 150 commits with 32,000 bytes of metadata each (the most a record's string holds): 4.8 MB, past the 4 MiB of one read.
    const large = 'm'.repeat(32_000);
    for (let offset = 1; offset <= 150; offset += 1) t.writtenElsewhere(offset, 0, large);
    expect(150 * large.length).toBeGreaterThan(LOAD_READ_BYTES);
    t.apply(me, 1);
    await t.clock.advanceByAsync(0);
    expect(t.replica.reads).toBeGreaterThan(1);
    expect(t.fetch()).toEqual({ error: 'NONE', offset: 150 });
  });
});

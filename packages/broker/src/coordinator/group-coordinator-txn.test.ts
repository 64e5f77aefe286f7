/**
 * Transactional offsets across the group coordinator and the coordinator runtime (KIP-98, KIP-447): TxnOffsetCommit is
 * written as the producer's transactional batch, WriteTxnMarkers' marker decides it, and a new coordinator after a
 * failover replays both from `__consumer_offsets` (Kafka's CoordinatorLoaderImpl and OffsetMetadataManager.replay).
 */
import { decodeRecordBatches, errorForCode, type MetadataImage, type RequestBody } from '@kactor/protocol';
import { SimulatedClock, type RequestRef } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import { collectingResponder, openTestInternalLog, testInternalPartitionHost, testInternalTopicImage } from '../coordinator-runtime/internal-partition-test-support.js';
import { encodeTransactionMarkerBatch } from '../coordinator-runtime/coordinator-loader.js';
import { OFFSETS_TOPIC } from './group-coordinator.js';
import { encodeGroupRecordBatch } from './group-records.js';
import { testGroupCoordinator } from './group-test-support.js';

const me = 1;
const producerId = 4000;
const producerEpoch = 2;

function image(leader: number, leaderEpoch: number): MetadataImage {
  return testInternalTopicImage({ topic: OFFSETS_TOPIC, topicId: 'offsets-id', replicas: [1, 2] }, leader, leaderEpoch);
}

function setUp() {
  const clock = new SimulatedClock({ startMs: 1_000_000 });
  const log = openTestInternalLog(clock, OFFSETS_TOPIC, 'offsets-id', me);
  const replica = { state: 'Leader', leaderEpoch: 0 };
  const partitions = testInternalPartitionHost(OFFSETS_TOPIC, log, replica);
  const { responder, answers } = collectingResponder();
  let current: MetadataImage | null = null;
  let correlation = 0;
  const coordinator = testGroupCoordinator({
    topicConfig: { offsetsTopicNumPartitions: 1, offsetsTopicReplicationFactor: 2, offsetsTopicSegmentBytes: 1_048_576, offsetsCommitTimeoutMs: 5_000 },
    clock,
    responder,
    ids: { next: () => `id-${(correlation += 1)}` },
    controllerUrl: () => undefined,
    partitions,
    currentImage: () => current,
  });
  const apply = async (leader: number, leaderEpoch: number) => {
    replica.state = leader === me ? 'Leader' : 'Follower';
    replica.leaderEpoch = leaderEpoch;
    current = image(leader, leaderEpoch);
    coordinator.onImage(current);
    await clock.advanceByAsync(0);
  };
  const request = <A extends 'txnOffsetCommit' | 'offsetFetch'>(api: A, body: RequestBody<A>) => {
    correlation += 1;
    const ref: RequestRef = { connectionId: 'client', correlationId: correlation, api, version: 0, remoteAddress: '/client' };
    coordinator.handle({ api, ref, body } as never);
    return answers.get(correlation);
  };
  const txnCommit = (offset: number, groupId = 'g') => {
    const answer = request('txnOffsetCommit', {
      transactionalId: 'copier-1',
      groupId,
      producerId,
      producerEpoch,
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
      topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, committedOffset: offset, committedLeaderEpoch: -1, committedMetadata: null }] }],
    }) as { topics: Array<{ partitions: Array<{ errorCode: number }> }> } | undefined;
    return errorForCode(answer?.topics[0]?.partitions[0]?.errorCode ?? -1).name;
  };
  const fetch = (requireStable: boolean) => {
    const answer = request('offsetFetch', { groupId: 'g', topics: [{ name: 'orders', partitionIndexes: [0] }], requireStable }) as
      | { errorCode: number; topics: Array<{ partitions: Array<{ committedOffset: number; errorCode: number }> }> }
      | undefined;
    const partition = answer?.topics[0]?.partitions[0];
    return { error: errorForCode(answer?.errorCode === 0 ? (partition?.errorCode ?? -1) : (answer?.errorCode ?? -1)).name, offset: partition?.committedOffset };
  };
  const complete = (result: 'COMMIT' | 'ABORT') => {
    const outcomes: string[] = [];
    coordinator.completeTransaction(0, { producerId, producerEpoch, result, coordinatorEpoch: 1 }, (errorName) => outcomes.push(errorName));
    return outcomes;
  };
  /** What another leader wrote while this broker followed: a regular commit, a transactional one, a marker. */
  const elsewhere = {
    commit: (offset: number) =>
      log.append(encodeGroupRecordBatch([{ type: 'OffsetCommit', groupId: 'g', topic: 'orders', partition: 0, value: { offset, leaderEpoch: -1, metadata: '', commitTimestampMs: clock.now() } }], clock.now()), {
        leaderEpoch: 0,
        recordCount: 1,
      }),
    marker: (result: 'COMMIT' | 'ABORT') => log.append(encodeTransactionMarkerBatch({ producerId, producerEpoch, result, coordinatorEpoch: 1 }, clock.now()), { leaderEpoch: 0, recordCount: 1 }),
  };
  return { log, apply, txnCommit, fetch, complete, elsewhere };
}

describe('GroupCoordinator: transactional offsets (KIP-447)', () => {
  it('TxnOffsetCommit is written as the producer’s transactional batch; invisible (UNSTABLE with requireStable) until the COMMIT marker is written', async () => {
    const t = setUp();
    await t.apply(me, 1);
    expect(t.txnCommit(42)).toBe('NONE');
    const batch = decodeRecordBatches(t.log.read(0, 1_000_000, t.log.logEndOffset).records).batches[0];
    expect(batch).toMatchObject({ producerId, producerEpoch, isTransactional: true, isControl: false });
    expect(t.fetch(false)).toEqual({ error: 'NONE', offset: -1 });
    expect(t.fetch(true)).toEqual({ error: 'UNSTABLE_OFFSET_COMMIT', offset: -1 });
    expect(t.complete('COMMIT')).toEqual(['NONE']);
    expect(t.fetch(true)).toEqual({ error: 'NONE', offset: 42 });
    const marker = decodeRecordBatches(t.log.read(1, 1_000_000, t.log.logEndOffset).records).batches[0];
    expect(marker).toMatchObject({ producerId, producerEpoch, isTransactional: true, isControl: true });
  });

  it('the ABORT marker drops the pending offsets', async () => {
    const t = setUp();
    await t.apply(me, 1);
    t.txnCommit(42);
    t.complete('ABORT');
    expect(t.fetch(true)).toEqual({ error: 'NONE', offset: -1 });
  });

  it('failover: a new coordinator replays a committed transaction, drops an aborted one, and keeps an open one pending until its marker', async () => {
    const t = setUp();
    await t.apply(me, 1);
    t.elsewhere.commit(5);
    t.txnCommit(42);
    t.complete('COMMIT');
    t.txnCommit(99);
    t.complete('ABORT');
    t.txnCommit(120);
    // Leadership moves away and back (a new leader epoch): the partition is loaded again from its log.
    await t.apply(2, 2);
    expect(t.fetch(false).error).toBe('NOT_COORDINATOR');
    await t.apply(me, 3);
    expect(t.fetch(false)).toEqual({ error: 'NONE', offset: 42 });
    expect(t.fetch(true)).toEqual({ error: 'UNSTABLE_OFFSET_COMMIT', offset: -1 });
    // The transaction coordinator finishes what it began: its marker reaches the new coordinator.
    expect(t.complete('COMMIT')).toEqual(['NONE']);
    expect(t.fetch(true)).toEqual({ error: 'NONE', offset: 120 });
  });

  it('a marker written by the old leader before the failover is replayed by the new one', async () => {
    const t = setUp();
    await t.apply(me, 1);
    t.txnCommit(42);
    await t.apply(2, 2);
    t.elsewhere.marker('COMMIT');
    await t.apply(me, 3);
    expect(t.fetch(true)).toEqual({ error: 'NONE', offset: 42 });
  });

  it('TxnOffsetCommit is refused per partition where the group is not served: NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS, INVALID_GROUP_ID', async () => {
    const t = setUp();
    await t.apply(2, 1);
    expect(t.txnCommit(1)).toBe('NOT_COORDINATOR');
    const loading = t.apply(me, 2);
    expect(t.txnCommit(1)).toBe('COORDINATOR_LOAD_IN_PROGRESS');
    await loading;
    expect(t.txnCommit(1, '')).toBe('INVALID_GROUP_ID');
    expect(t.txnCommit(1)).toBe('NONE');
  });

  it('WriteTxnMarkers for a partition not coordinated here is answered NOT_COORDINATOR', async () => {
    const t = setUp();
    await t.apply(2, 1);
    expect(t.complete('COMMIT')).toEqual(['NOT_COORDINATOR']);
  });
});

import { encodeSubscription, type RequestBody } from '@kactor/protocol';
import type { RequestRef } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import { emptyGroupData, type ClassicGroupData } from './classic-group.js';
import { replayGroupRecords } from './group-replay.js';
import { startGroup } from './group-test-support.js';

const committed = (offset: number) => ({ offset, leaderEpoch: -1, metadata: '', commitTimestampMs: 1 });

/** A group loaded with one member subscribed to `orders` and offsets on `orders` and `audit`: it resumes Stable. */
function loadedGroup(protocolType = 'consumer'): ClassicGroupData {
  const subscription = encodeSubscription({ topics: ['orders'] });
  return {
    ...emptyGroupData('g', 0),
    generationId: 3,
    protocolType,
    protocolName: 'range',
    leaderId: 'm1',
    members: {
      m1: {
        memberId: 'm1',
        groupInstanceId: null,
        clientId: 'c',
        clientHost: '/127.0.0.1',
        rebalanceTimeoutMs: 30_000,
        sessionTimeoutMs: 10_000,
        protocolType,
        protocols: [{ name: 'range', metadata: subscription }],
        assignment: new Uint8Array(0),
        isNew: false,
        awaitingJoin: null,
        awaitingSync: null,
      },
    },
    offsets: { 'orders-0': committed(5), 'audit-0': committed(7), 'audit-1': committed(9) },
  };
}

let nextCorrelation = 10_000;
function offsetDelete(g: ReturnType<typeof startGroup>, topics: RequestBody<'offsetDelete'>['topics']): number {
  const ref: RequestRef = { connectionId: 'admin', correlationId: (nextCorrelation += 1), api: 'offsetDelete', version: 0, remoteAddress: '/admin' };
  g.actor.send({ type: 'request.offsetDelete', ref, body: { groupId: 'g', topics } });
  return ref.correlationId;
}

const partitionErrors = (body: Record<string, unknown> | undefined) =>
  (body?.topics as Array<{ name: string; partitions: Array<{ partitionIndex: number; errorCode: number }> }>).flatMap((topic) =>
    topic.partitions.map((partition) => `${topic.name}-${partition.partitionIndex}:${partition.errorCode}`),
  );

describe('group machine: OffsetDelete (KIP-496)', () => {
  it('Empty -> Empty on request.offsetDelete: tombstones for the committed partitions are appended, then the offsets are gone (and stay gone on replay)', () => {
    const g = startGroup();
    g.commit('admin', '', -1, 42);
    expect(g.group().offsets['t-0']?.offset).toBe(42);
    const id = offsetDelete(g, [{ name: 't', partitions: [{ partitionIndex: 0 }, { partitionIndex: 1 }] }]);
    expect(g.state()).toBe('Empty');
    expect(g.answer(id)).toMatchObject({ errorCode: 0 });
    // Partition 1 had no offset: NONE too, as Kafka answers, but nothing is written for it.
    expect(partitionErrors(g.answer(id))).toEqual(['t-0:0', 't-1:0']);
    expect(g.appended.at(-1)).toEqual([{ type: 'OffsetCommit', groupId: 'g', topic: 't', partition: 0, value: null }]);
    expect(g.group().offsets['t-0']).toBeUndefined();
    expect(replayGroupRecords(g.appended.flat(), 0).get('g')?.offsets).toEqual({});
  });

  it('Stable -> Stable on request.offsetDelete: a subscribed topic keeps its offsets (GROUP_SUBSCRIBED_TO_TOPIC), another topic loses them', () => {
    const g = startGroup({ group: loadedGroup() });
    expect(g.state()).toBe('Stable');
    const id = offsetDelete(g, [
      { name: 'orders', partitions: [{ partitionIndex: 0 }] },
      { name: 'audit', partitions: [{ partitionIndex: 0 }, { partitionIndex: 1 }] },
    ]);
    expect(g.state()).toBe('Stable');
    expect(g.answer(id)).toMatchObject({ errorCode: 0 });
    expect(partitionErrors(g.answer(id))).toEqual(['orders-0:86', 'audit-0:0', 'audit-1:0']);
    expect(Object.keys(g.group().offsets)).toEqual(['orders-0']);
    expect(g.appended.at(-1)?.map((record) => (record.type === 'OffsetCommit' ? `${record.topic}-${record.partition}:${String(record.value)}` : record.type))).toEqual([
      'audit-0:null',
      'audit-1:null',
    ]);
  });

  it('Empty -> Empty on request.offsetDelete naming partitions twice: one tombstone per committed partition', () => {
    const g = startGroup();
    g.commit('admin', '', -1, 42);
    const partitions = Array.from({ length: 10 }, (_, index) => ({ partitionIndex: index % 5 }));
    const id = offsetDelete(g, [{ name: 't', partitions }]);
    expect(g.answer(id)).toMatchObject({ errorCode: 0 });
    expect(g.appended.at(-1)).toEqual([{ type: 'OffsetCommit', groupId: 'g', topic: 't', partition: 0, value: null }]);
  });

  it('Stable: a group that is not a consumer group refuses the whole request with NON_EMPTY_GROUP and writes nothing', () => {
    const g = startGroup({ group: loadedGroup('connect') });
    const before = g.appended.length;
    const id = offsetDelete(g, [{ name: 'audit', partitions: [{ partitionIndex: 0 }] }]);
    expect(g.errorOf(id)).toBe('NON_EMPTY_GROUP');
    expect(g.appended.length).toBe(before);
    expect(Object.keys(g.group().offsets).sort()).toEqual(['audit-0', 'audit-1', 'orders-0']);
  });

  it('Empty: when the tombstones cannot be appended the offsets stay and the request answers NOT_COORDINATOR (retriable elsewhere)', () => {
    let failing = false;
    const g = startGroup({ failAppends: () => failing });
    g.commit('admin', '', -1, 42);
    failing = true;
    const id = offsetDelete(g, [{ name: 't', partitions: [{ partitionIndex: 0 }] }]);
    expect(g.errorOf(id)).toBe('NOT_COORDINATOR');
    expect(g.group().offsets['t-0']?.offset).toBe(42);
  });
});

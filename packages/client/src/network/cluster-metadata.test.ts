import type { ResponseBody } from '@kactor/protocol';
import { errorCodes } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { ClusterMetadata } from './cluster-metadata.js';

const broker = (nodeId: number) => ({ nodeId, host: `b${nodeId}`, port: 9092, url: `ws://b${nodeId}:9092`, rack: null });
const partition = (index: number, leader: number, leaderEpoch = 0) => ({
  errorCode: leader < 0 ? errorCodes.LEADER_NOT_AVAILABLE : 0,
  partitionIndex: index,
  leaderId: leader,
  leaderEpoch,
  replicaNodes: [Math.max(leader, 0)],
  isrNodes: leader < 0 ? [] : [leader],
  offlineReplicas: [],
});
const topic = (name: string, partitions: ReturnType<typeof partition>[]) => ({ errorCode: 0, name, topicId: `${name}-id`, isInternal: false, partitions });

function response(topics: ResponseBody<'metadata'>['topics'], brokers = [broker(0), broker(1)]): ResponseBody<'metadata'> {
  return { throttleTimeMs: 0, clusterId: 'c', controllerId: 1, brokers, topics };
}

describe('ClusterMetadata', () => {
  it('finds leaders, their URLs and epochs, and the controller', () => {
    const metadata = ClusterMetadata.empty().merge(response([topic('t', [partition(0, 0, 3), partition(1, 1)])]), ['t'], 10);
    expect(metadata.leaderFor('t', 0)).toEqual({ nodeId: 0, url: 'ws://b0:9092', leaderEpoch: 3 });
    expect(metadata.partitionCount('t')).toBe(2);
    expect(metadata.controllerUrl()).toBe('ws://b1:9092');
    expect(metadata.updatedAtMs).toBe(10);
  });

  it('has no leader for a leaderless partition or one led by a broker it does not list', () => {
    const metadata = ClusterMetadata.empty().merge(response([topic('t', [partition(0, -1), partition(1, 7), partition(2, 1)])]), ['t'], 0);
    expect(metadata.leaderFor('t', 0)).toBeUndefined();
    expect(metadata.leaderFor('t', 1)).toBeUndefined();
    expect(metadata.topic('t')?.availablePartitions).toEqual([2]);
  });

  it('keeps topics it was not asked about and forgets those the answer says are unknown', () => {
    const first = ClusterMetadata.empty().merge(response([topic('a', [partition(0, 0)]), topic('b', [partition(0, 1)])]), ['a', 'b'], 0);
    const unknown = { errorCode: errorCodes.UNKNOWN_TOPIC_OR_PARTITION, name: 'b', topicId: null, isInternal: false, partitions: [] };
    const second = first.merge(response([unknown]), ['b'], 5);
    expect(second.partitionCount('a')).toBe(1);
    expect(second.partitionCount('b')).toBeUndefined();
    expect(first.partitionCount('b')).toBe(1); // the old picture does not change
  });

  it('keeps what it knows of a partition when a lagging broker answers with an older leader epoch (KIP-320)', () => {
    const first = ClusterMetadata.empty().merge(response([topic('t', [partition(0, 1, 5), partition(1, 0, 2)])]), ['t'], 0);
    const stale = first.merge(response([topic('t', [partition(0, 0, 4), partition(1, 1, 3)])]), ['t'], 1);
    expect(stale.leaderFor('t', 0)).toEqual({ nodeId: 1, url: 'ws://b1:9092', leaderEpoch: 5 });
    expect(stale.leaderFor('t', 1)).toEqual({ nodeId: 1, url: 'ws://b1:9092', leaderEpoch: 3 });
  });

  it('takes a recreated topic (another topic id) and an unknown epoch as they come', () => {
    const first = ClusterMetadata.empty().merge(response([topic('t', [partition(0, 1, 5)])]), ['t'], 0);
    const recreated = first.merge(response([{ ...topic('t', [partition(0, 0, 0)]), topicId: 't-id-2' }]), ['t'], 1);
    expect(recreated.leaderFor('t', 0)).toMatchObject({ nodeId: 0, leaderEpoch: 0 });
    const unknownEpoch = first.merge(response([topic('t', [partition(0, 0, -1)])]), ['t'], 1);
    expect(unknownEpoch.leaderFor('t', 0)).toMatchObject({ nodeId: 0, leaderEpoch: -1 });
  });

  it('replaces every topic after an answer about all topics', () => {
    const first = ClusterMetadata.empty().merge(response([topic('a', [partition(0, 0)])]), ['a'], 0);
    const second = first.merge(response([topic('c', [partition(0, 0)])]), null, 1);
    expect([...second.topics.keys()]).toEqual(['c']);
  });
});

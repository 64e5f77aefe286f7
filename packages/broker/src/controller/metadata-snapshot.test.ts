import { describe, expect, it } from 'vitest';
import type { MetadataRecord } from './metadata-records.js';
import { snapshotRecordsOf } from './metadata-snapshot.js';
import { stateFromSnapshot } from './metadata-state.js';
import { append, clusterOf } from './test-fixtures.js';

describe('metadata snapshot records (KIP-630)', () => {
  it('a snapshot of the state loads back into the same state, at endOffset - 1', () => {
    let state = clusterOf([0, 1, 2]);
    const created: MetadataRecord[] = [
      { type: 'Topic', name: 'orders', topicId: 'T1' },
      { type: 'Config', resourceType: 'topic', resourceName: 'orders', name: 'cleanup.policy', value: 'compact' },
      { type: 'Partition', topicId: 'T1', partitionId: 0, replicas: [0, 1, 2], isr: [0, 1, 2], leader: 0, leaderEpoch: 0, partitionEpoch: 0 },
      { type: 'Partition', topicId: 'T1', partitionId: 1, replicas: [1, 2, 0], isr: [1, 2, 0], leader: 1, leaderEpoch: 0, partitionEpoch: 0 },
      { type: 'PartitionChange', topicId: 'T1', partitionId: 1, leader: 2, isr: [2, 0] },
      { type: 'FenceBroker', brokerId: 1, brokerEpoch: 1 },
      { type: 'BrokerRegistrationChange', brokerId: 2, brokerEpoch: 2, inControlledShutdown: true },
      { type: 'Topic', name: 'gone', topicId: 'T2' },
      { type: 'RemoveTopic', topicId: 'T2' },
    ];
    state = append(state, created);
    const loaded = stateFromSnapshot(state.clusterId, snapshotRecordsOf(state), state.metadataOffset + 1);
    expect(loaded).toEqual(state);
    // Broker epochs survive although the snapshot's records have other offsets.
    expect(loaded.brokers[2]?.brokerEpoch).toBe(2);
    expect(loaded.topics['orders']?.partitions[1]).toMatchObject({ leader: 2, leaderEpoch: 1, partitionEpoch: 1, isr: [2, 0] });
  });

  it('refuses a snapshot registration without its broker epoch', () => {
    expect(() => stateFromSnapshot('c', [{ type: 'RegisterBroker', brokerId: 0, incarnationId: 'i', host: 'h', port: 1, url: 'ws://h:1', rack: null }], 1)).toThrow(/no broker epoch/);
  });
});

import { describe, expect, it } from 'vitest';
import { leaderImbalanceChanges } from './leader-imbalance.js';
import type { MetadataRecord } from './metadata-records.js';
import { append, clusterOf } from './test-fixtures.js';

/** `count` partitions of `t`, all preferring broker 0 (replicas [0, 1, 2]); the first `ledByOne` are led by broker 1. */
function topicPreferringZero(count: number, ledByOne: number, isr = [0, 1, 2]): MetadataRecord[] {
  return [
    { type: 'Topic', name: 't', topicId: 't-id' },
    ...Array.from({ length: count }, (_, partitionId): MetadataRecord => ({
      type: 'Partition',
      topicId: 't-id',
      partitionId,
      replicas: [0, 1, 2],
      isr,
      leader: partitionId < ledByOne ? 1 : 0,
      leaderEpoch: 0,
      partitionEpoch: 0,
    })),
  ];
}

describe('leaderImbalanceChanges (checkAndTriggerAutoLeaderRebalance)', () => {
  it('moves every partition of a broker above the threshold back to it', () => {
    const state = append(clusterOf([0, 1, 2]), topicPreferringZero(10, 2));
    const outcome = leaderImbalanceChanges(state, 10);
    expect(outcome.imbalanced).toEqual([{ brokerId: 0, preferred: 10, ledElsewhere: 2 }]);
    expect(outcome.records).toEqual([
      { type: 'PartitionChange', topicId: 't-id', partitionId: 0, leader: 0 },
      { type: 'PartitionChange', topicId: 't-id', partitionId: 1, leader: 0 },
    ]);
  });

  it('leaves a broker exactly at the threshold alone (Kafka compares with >): 1 of 10 at 10%', () => {
    const state = append(clusterOf([0, 1, 2]), topicPreferringZero(10, 1));
    expect(leaderImbalanceChanges(state, 10)).toEqual({ imbalanced: [], records: [] });
    expect(leaderImbalanceChanges(state, 0).records).toHaveLength(1);
  });

  it('skips partitions whose preferred replica is out of the ISR, fenced or shutting down', () => {
    const outOfIsr = append(clusterOf([0, 1, 2]), topicPreferringZero(2, 2, [1, 2]));
    expect(leaderImbalanceChanges(outOfIsr, 10)).toMatchObject({ imbalanced: [{ brokerId: 0 }], records: [] });
    const base = append(clusterOf([0, 1, 2]), topicPreferringZero(2, 2));
    const fenced = append(base, [{ type: 'FenceBroker', brokerId: 0, brokerEpoch: 0 }]);
    expect(leaderImbalanceChanges(fenced, 10).records).toEqual([]);
    const shuttingDown = append(base, [{ type: 'BrokerRegistrationChange', brokerId: 0, brokerEpoch: 0, inControlledShutdown: true }]);
    expect(leaderImbalanceChanges(shuttingDown, 10).records).toEqual([]);
  });

  it('counts a leaderless partition as led elsewhere, and elects its preferred replica once it is back in the ISR', () => {
    const state = append(clusterOf([0, 1, 2]), [
      { type: 'Topic', name: 't', topicId: 't-id' },
      { type: 'Partition', topicId: 't-id', partitionId: 0, replicas: [0, 1], isr: [0, 1], leader: -1, leaderEpoch: 2, partitionEpoch: 3 },
    ]);
    expect(leaderImbalanceChanges(state, 10).records).toEqual([{ type: 'PartitionChange', topicId: 't-id', partitionId: 0, leader: 0 }]);
  });
});

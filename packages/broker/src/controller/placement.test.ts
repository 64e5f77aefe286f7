import { describe, expect, it } from 'vitest';
import { placeReplicas } from './placement.js';

describe('placeReplicas', () => {
  it("matches Kafka's AdminUtils testReplicaAssignment (5 brokers, 10 partitions, RF 3, start 0)", () => {
    const placement = placeReplicas({ brokerIds: [0, 1, 2, 3, 4], numPartitions: 10, replicationFactor: 3, startIndex: 0, replicaShift: 0, firstPartitionId: 0 });
    expect(placement).toEqual([
      [0, 1, 2],
      [1, 2, 3],
      [2, 3, 4],
      [3, 4, 0],
      [4, 0, 1],
      [0, 2, 3],
      [1, 3, 4],
      [2, 4, 0],
      [3, 0, 1],
      [4, 1, 2],
    ]);
  });

  it('spreads replication-factor-1 partitions round-robin from the start index', () => {
    const placement = placeReplicas({ brokerIds: [2, 0, 1], numPartitions: 6, replicationFactor: 1, startIndex: 1, replicaShift: 0, firstPartitionId: 0 });
    expect(placement).toEqual([[1], [2], [0], [1], [2], [0]]);
  });

  it('continues the stripe when partitions are added to a topic', () => {
    const all = placeReplicas({ brokerIds: [0, 1, 2], numPartitions: 6, replicationFactor: 2, startIndex: 0, replicaShift: 0, firstPartitionId: 0 });
    const added = placeReplicas({ brokerIds: [0, 1, 2], numPartitions: 3, replicationFactor: 2, startIndex: 0, replicaShift: 0, firstPartitionId: 3 });
    expect(added).toEqual(all.slice(3));
  });

  it('never places two replicas of a partition on one broker', () => {
    for (let brokers = 2; brokers <= 7; brokers += 1) {
      for (let rf = 1; rf <= brokers; rf += 1) {
        const ids = Array.from({ length: brokers }, (_, index) => index);
        for (const replicas of placeReplicas({ brokerIds: ids, numPartitions: 40, replicationFactor: rf, startIndex: 1, replicaShift: 2, firstPartitionId: 0 })) {
          expect(new Set(replicas).size).toBe(rf);
        }
      }
    }
  });

  it('refuses a replication factor larger than the broker count', () => {
    expect(() => placeReplicas({ brokerIds: [0, 1], numPartitions: 1, replicationFactor: 3, startIndex: 0, replicaShift: 0, firstPartitionId: 0 })).toThrow(RangeError);
  });
});

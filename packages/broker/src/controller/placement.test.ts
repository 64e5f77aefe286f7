import { describe, expect, it } from 'vitest';
import { placeReplicas, rackAlternatedBrokers } from './placement.js';

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

describe('placeReplicas with racks (AdminUtils rack-aware)', () => {
  const racks = { 0: 'rack1', 1: 'rack3', 2: 'rack3', 3: 'rack2', 4: 'rack2', 5: 'rack1' };

  it("alternates racks in the broker list as Kafka's testGetRackAlternatedBrokerListAndAssignReplicasToBrokers", () => {
    expect(rackAlternatedBrokers(new Map(Object.entries(racks).map(([id, rack]) => [Number(id), rack])))).toEqual([0, 3, 1, 5, 4, 2]);
    const placement = placeReplicas({ brokerIds: [0, 1, 2, 3, 4, 5], numPartitions: 7, replicationFactor: 3, startIndex: 0, replicaShift: 0, firstPartitionId: 0, racks });
    expect(placement).toEqual([
      [0, 3, 1],
      [3, 1, 5],
      [1, 5, 4],
      [5, 4, 2],
      [4, 2, 0],
      [2, 0, 3],
      [0, 4, 2],
    ]);
  });

  it('puts the replicas of each partition in distinct racks and balances leaders and replicas (testAssignmentWithRackAware)', () => {
    const placement = placeReplicas({
      brokerIds: [0, 1, 2, 3, 4, 5],
      numPartitions: 6,
      replicationFactor: 3,
      startIndex: 2,
      replicaShift: 0,
      firstPartitionId: 0,
      racks: { 0: 'rack1', 1: 'rack2', 2: 'rack2', 3: 'rack3', 4: 'rack3', 5: 'rack1' },
    });
    const rackOf: Record<number, string> = { 0: 'rack1', 1: 'rack2', 2: 'rack2', 3: 'rack3', 4: 'rack3', 5: 'rack1' };
    for (const replicas of placement) expect(new Set(replicas.map((broker) => rackOf[broker])).size).toBe(3);
    const count = (brokerId: number, list: number[]) => list.filter((broker) => broker === brokerId).length;
    for (const brokerId of [0, 1, 2, 3, 4, 5]) {
      expect(count(brokerId, placement.map((replicas) => replicas[0] as number))).toBe(1);
      expect(count(brokerId, placement.flat())).toBe(3);
    }
  });

  it('falls back to the rack-unaware scheme when a broker has no rack', () => {
    const withoutRacks = placeReplicas({ brokerIds: [0, 1, 2], numPartitions: 3, replicationFactor: 2, startIndex: 0, replicaShift: 0, firstPartitionId: 0 });
    const partial = placeReplicas({ brokerIds: [0, 1, 2], numPartitions: 3, replicationFactor: 2, startIndex: 0, replicaShift: 0, firstPartitionId: 0, racks: { 0: 'a', 1: null, 2: 'b' } });
    expect(partial).toEqual(withoutRacks);
  });
});

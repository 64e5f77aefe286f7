import type { RequestBody } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { checkManualAssignment } from './manual-assignment.js';
import { append, clusterOf } from './test-fixtures.js';
import { createTopics } from './topic-commands.js';

const byHand = { numPartitions: -1, replicationFactor: -1 };
const assignments = (...lists: number[][]) => lists.map((brokerIds, partitionIndex) => ({ partitionIndex, brokerIds }));

describe('checkManualAssignment (ReplicationControlManager.createTopic with assignments)', () => {
  it('takes the lists as given, partition by partition', () => {
    expect(checkManualAssignment(assignments([2, 0, 1], [0, 1, 2]), byHand, clusterOf([0, 1, 2]))).toEqual({ ok: true, replicaLists: [[2, 0, 1], [0, 1, 2]] });
  });

  it.each([
    ['a replication factor', { numPartitions: -1, replicationFactor: 3 }, 'INVALID_REQUEST', /replication factor must be -1/],
    ['a partition count', { numPartitions: 2, replicationFactor: -1 }, 'INVALID_REQUEST', /number of partitions must be -1/],
  ])('refuses %s beside the assignment', (_, requested, errorName, message) => {
    const outcome = checkManualAssignment(assignments([0]), requested, clusterOf([0]));
    expect(outcome).toEqual({ ok: false, errorName, errorMessage: expect.stringMatching(message) });
  });

  it.each([
    ['an empty list', [{ partitionIndex: 0, brokerIds: [] }], /empty replica list/],
    ['a broker twice', assignments([0, 0]), /broker 0 more than once/],
    ['an unregistered broker', assignments([0, 7]), /broker 7, which is not registered/],
    ['lists of different lengths', assignments([0, 1], [1]), /1 replica\(s\), unlike the earlier partitions, which have 2/],
    ['a partition twice', [{ partitionIndex: 0, brokerIds: [0] }, { partitionIndex: 0, brokerIds: [1] }], /partition 0 is assigned more than once/],
    ['a gap in the partition numbers', [{ partitionIndex: 0, brokerIds: [0] }, { partitionIndex: 2, brokerIds: [1] }], /numbered 0, 1, 2/],
  ])('refuses %s with INVALID_REPLICA_ASSIGNMENT', (_, given, message) => {
    const outcome = checkManualAssignment(given, byHand, clusterOf([0, 1]));
    expect(outcome).toEqual({ ok: false, errorName: 'INVALID_REPLICA_ASSIGNMENT', errorMessage: expect.stringMatching(message) });
  });

  it('refuses a partition whose brokers are all fenced, and takes one with a live broker, which leads', () => {
    const state = append(clusterOf([0, 1, 2]), [{ type: 'FenceBroker', brokerId: 1, brokerEpoch: 1 }]);
    expect(checkManualAssignment(assignments([1]), byHand, state)).toMatchObject({ ok: false, errorName: 'INVALID_REPLICA_ASSIGNMENT' });
    const request: RequestBody<'createTopics'> = {
      topics: [{ name: 'placed', numPartitions: -1, replicationFactor: -1, assignments: assignments([1, 2, 0], [2, 0, 1]), configs: [] }],
      timeoutMs: 1_000,
      validateOnly: false,
    };
    const outcome = createTopics(state, request, { defaultNumPartitions: 1, defaultReplicationFactor: 1, newTopicId: () => 'placed-id', randomInt: () => 0, topicConfigProblem: () => undefined });
    expect(outcome.results).toEqual([expect.objectContaining({ name: 'placed', errorName: 'NONE', numPartitions: 2, replicationFactor: 3 })]);
    const partitions = append(state, outcome.records).topics.placed?.partitions ?? [];
    expect(partitions.map(({ replicas, isr, leader }) => ({ replicas, isr, leader }))).toEqual([
      { replicas: [1, 2, 0], isr: [2, 0], leader: 2 },
      { replicas: [2, 0, 1], isr: [2, 0], leader: 2 },
    ]);
  });
});

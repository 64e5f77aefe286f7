import { errorByName } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { electLeaders } from './elect-leaders.js';
import type { MetadataRecord } from './metadata-records.js';
import { append, clusterOf } from './test-fixtures.js';

const code = (name: Parameters<typeof errorByName>[0]) => errorByName(name).code;

/** orders-0 led by its preferred replica 0; orders-1 led by 1 though 0 is preferred and in the ISR; single-0 (RF 1) led by 2. */
const topics: MetadataRecord[] = [
  { type: 'Topic', name: 'orders', topicId: 'orders-id' },
  { type: 'Partition', topicId: 'orders-id', partitionId: 0, replicas: [0, 1, 2], isr: [0, 1, 2], leader: 0, leaderEpoch: 0, partitionEpoch: 0 },
  { type: 'Partition', topicId: 'orders-id', partitionId: 1, replicas: [0, 1, 2], isr: [0, 1, 2], leader: 1, leaderEpoch: 1, partitionEpoch: 1 },
  { type: 'Topic', name: 'single', topicId: 'single-id' },
  { type: 'Partition', topicId: 'single-id', partitionId: 0, replicas: [2], isr: [2], leader: 2, leaderEpoch: 0, partitionEpoch: 0 },
];

describe('electLeaders (ReplicationControlManager.electLeaders)', () => {
  const state = append(clusterOf([0, 1, 2]), topics);

  it('PREFERRED: a partition led by its preferred replica (every RF 1 partition) is ELECTION_NOT_NEEDED (84), and nothing is written', () => {
    const outcome = electLeaders(state, { electionType: 0, topicPartitions: [{ topic: 'single', partitions: [0] }, { topic: 'orders', partitions: [0] }], timeoutMs: 1_000 });
    expect(outcome.records).toEqual([]);
    expect(outcome.body).toEqual({
      throttleTimeMs: 0,
      errorCode: 0,
      replicaElectionResults: [
        { topic: 'single', partitionResult: [{ partitionId: 0, errorCode: 84, errorMessage: null }] },
        { topic: 'orders', partitionResult: [{ partitionId: 0, errorCode: 84, errorMessage: null }] },
      ],
    });
  });

  it('PREFERRED: moves leadership back to the preferred replica with one PartitionChange', () => {
    const outcome = electLeaders(state, { electionType: 0, topicPartitions: [{ topic: 'orders', partitions: [1, 1] }], timeoutMs: 1_000 });
    expect(outcome.records).toEqual([{ type: 'PartitionChange', topicId: 'orders-id', partitionId: 1, leader: 0 }]);
    expect(outcome.body.replicaElectionResults).toEqual([{ topic: 'orders', partitionResult: [{ partitionId: 1, errorCode: 0, errorMessage: null }] }]);
  });

  it('answers UNKNOWN_TOPIC_OR_PARTITION (3) for an unknown topic or partition, naming it', () => {
    const outcome = electLeaders(state, { electionType: 0, topicPartitions: [{ topic: 'nope', partitions: [0] }, { topic: 'single', partitions: [1] }], timeoutMs: 1_000 });
    expect(outcome.records).toEqual([]);
    expect(outcome.body.replicaElectionResults).toEqual([
      { topic: 'nope', partitionResult: [{ partitionId: 0, errorCode: code('UNKNOWN_TOPIC_OR_PARTITION'), errorMessage: 'no topic nope' }] },
      { topic: 'single', partitionResult: [{ partitionId: 1, errorCode: code('UNKNOWN_TOPIC_OR_PARTITION'), errorMessage: 'no partition 1 in topic single' }] },
    ]);
  });

  it('null topic partitions: tries every partition and leaves out those that needed no election', () => {
    const outcome = electLeaders(state, { electionType: 0, topicPartitions: null, timeoutMs: 1_000 });
    expect(outcome.records).toEqual([{ type: 'PartitionChange', topicId: 'orders-id', partitionId: 1, leader: 0 }]);
    expect(outcome.body.replicaElectionResults).toEqual([{ topic: 'orders', partitionResult: [{ partitionId: 1, errorCode: 0, errorMessage: null }] }]);
  });

  it('PREFERRED with the preferred replica fenced: PREFERRED_LEADER_NOT_AVAILABLE (80)', () => {
    const outcome = electLeaders(state, { electionType: 0, topicPartitions: [{ topic: 'orders', partitions: [1] }], timeoutMs: 1_000 }, { 0: { fenced: true, inControlledShutdown: false }, 1: { fenced: false, inControlledShutdown: false } });
    expect(outcome.records).toEqual([]);
    expect(outcome.body.replicaElectionResults[0]?.partitionResult[0]?.errorCode).toBe(code('PREFERRED_LEADER_NOT_AVAILABLE'));
  });

  it('UNCLEAN: a partition with a leader is ELECTION_NOT_NEEDED; a leaderless one takes a live replica outside the ISR, flagged RECOVERING; none live: ELIGIBLE_LEADERS_NOT_AVAILABLE (83)', () => {
    const offline = append(clusterOf([0, 1, 2]), [
      { type: 'Topic', name: 'orders', topicId: 'orders-id' },
      { type: 'Partition', topicId: 'orders-id', partitionId: 0, replicas: [0, 1, 2], isr: [0], leader: -1, leaderEpoch: 4, partitionEpoch: 6 },
      { type: 'Partition', topicId: 'orders-id', partitionId: 1, replicas: [0, 1, 2], isr: [0, 1, 2], leader: 1, leaderEpoch: 1, partitionEpoch: 1 },
    ]);
    const brokers = { 0: { fenced: true, inControlledShutdown: false }, 1: { fenced: false, inControlledShutdown: false }, 2: { fenced: false, inControlledShutdown: false } };
    const outcome = electLeaders(offline, { electionType: 1, topicPartitions: [{ topic: 'orders', partitions: [0, 1] }], timeoutMs: 1_000 }, brokers);
    expect(outcome.records).toEqual([{ type: 'PartitionChange', topicId: 'orders-id', partitionId: 0, leader: 1, isr: [1], leaderRecoveryState: 'RECOVERING' }]);
    expect(outcome.body.replicaElectionResults[0]?.partitionResult.map((result) => result.errorCode)).toEqual([0, code('ELECTION_NOT_NEEDED')]);
    const allFenced = { 0: brokers[0], 1: brokers[0], 2: brokers[0] };
    const none = electLeaders(offline, { electionType: 1, topicPartitions: [{ topic: 'orders', partitions: [0] }], timeoutMs: 1_000 }, allFenced);
    expect(none.records).toEqual([]);
    expect(none.body.replicaElectionResults[0]?.partitionResult[0]?.errorCode).toBe(code('ELIGIBLE_LEADERS_NOT_AVAILABLE'));
  });
});

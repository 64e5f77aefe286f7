import { errorByName, type RequestBody } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { alterPartitionRequest } from './alter-partition-request.js';
import { append, clusterOf } from './test-fixtures.js';

const code = (name: Parameters<typeof errorByName>[0]) => errorByName(name).code;

// Brokers 0..3 with broker epochs 0..3; orders-0 led by 0 at leader epoch 4, partition epoch 9.
const state = append(clusterOf([0, 1, 2, 3]), [
  { type: 'Topic', name: 'orders', topicId: 'orders-id' },
  { type: 'Partition', topicId: 'orders-id', partitionId: 0, replicas: [0, 1, 2], isr: [0, 1, 2], leader: 0, leaderEpoch: 4, partitionEpoch: 9 },
  { type: 'Partition', topicId: 'orders-id', partitionId: 1, replicas: [0, 1, 2], isr: [0, 1, 2], leader: 0, leaderEpoch: 4, partitionEpoch: 9 },
]);

const shrinkTo = (partitionIndex: number, ...ids: number[]) => ({
  partitionIndex,
  leaderEpoch: 4,
  newIsrWithEpochs: ids.map((brokerId) => ({ brokerId, brokerEpoch: brokerId })),
  leaderRecoveryState: 0,
  partitionEpoch: 9,
});

const request = (partitions: RequestBody<'alterPartition'>['topics'][number]['partitions'], brokerEpoch = 0): RequestBody<'alterPartition'> => ({
  brokerId: 0,
  brokerEpoch,
  topics: [{ topicId: 'orders-id', partitions }],
});

describe('alterPartitionRequest (a whole AlterPartition at the controller)', () => {
  it('answers each partition with the committed ISR and epochs, one PartitionChange per changed partition', () => {
    const outcome = alterPartitionRequest(state, request([shrinkTo(0, 0, 1), shrinkTo(1, 0, 1, 2)]));
    expect(outcome.records).toEqual([{ type: 'PartitionChange', topicId: 'orders-id', partitionId: 0, isr: [0, 1] }]);
    expect(outcome.body).toEqual({
      throttleTimeMs: 0,
      errorCode: 0,
      topics: [
        {
          topicId: 'orders-id',
          partitions: [
            { partitionIndex: 0, errorCode: 0, leaderId: 0, leaderEpoch: 4, isr: [0, 1], leaderRecoveryState: 0, partitionEpoch: 10 },
            { partitionIndex: 1, errorCode: 0, leaderId: 0, leaderEpoch: 4, isr: [0, 1, 2], leaderRecoveryState: 0, partitionEpoch: 9 },
          ],
        },
      ],
    });
  });

  it('refuses a request from an earlier incarnation of the broker as a whole (STALE_BROKER_EPOCH) and writes nothing', () => {
    const outcome = alterPartitionRequest(state, request([shrinkTo(0, 0, 1)], 7));
    expect(outcome).toEqual({ records: [], body: { throttleTimeMs: 0, errorCode: code('STALE_BROKER_EPOCH'), topics: [] } });
  });

  it("answers a partition's refusal with its error and -1s, and a partition named twice with INVALID_REQUEST, writing one change", () => {
    const outcome = alterPartitionRequest(state, request([{ ...shrinkTo(1, 0, 1), leaderEpoch: 3 }, shrinkTo(0, 0, 1), shrinkTo(0, 0)]));
    expect(outcome.records).toEqual([{ type: 'PartitionChange', topicId: 'orders-id', partitionId: 0, isr: [0, 1] }]);
    expect(outcome.body.topics[0]?.partitions.map((partition) => partition.errorCode)).toEqual([code('FENCED_LEADER_EPOCH'), 0, code('INVALID_REQUEST')]);
    expect(outcome.body.topics[0]?.partitions[0]).toEqual({ partitionIndex: 1, errorCode: code('FENCED_LEADER_EPOCH'), leaderId: -1, leaderEpoch: -1, isr: [], leaderRecoveryState: 0, partitionEpoch: -1 });
  });
});

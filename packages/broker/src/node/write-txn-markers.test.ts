/** WriteTxnMarkers at a leader: `__consumer_offsets` markers through the group coordinator, others to the partition, one answer for all. */
import { errorForCode } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import type { TransactionMarker } from '../coordinator-runtime/coordinator-shard.js';
import { handleWriteTxnMarkers } from './write-txn-markers.js';

describe('handleWriteTxnMarkers', () => {
  it('routes each partition’s marker and answers once every partition has its outcome, in the request’s order', () => {
    const group: Array<[number, TransactionMarker]> = [];
    const data: Array<[string, number, TransactionMarker, (errorName: 'NONE' | 'NOT_LEADER_OR_FOLLOWER') => void]> = [];
    const answers: unknown[] = [];
    handleWriteTxnMarkers(
      {
        markers: [
          {
            producerId: 7,
            producerEpoch: 2,
            transactionResult: true,
            coordinatorEpoch: 4,
            topics: [
              { name: 'output', partitionIndexes: [0, 1] },
              { name: '__consumer_offsets', partitionIndexes: [12] },
            ],
          },
        ],
      },
      {
        offsetsTopic: '__consumer_offsets',
        completeGroupTransaction: (partition, marker, onDone) => {
          group.push([partition, marker]);
          onDone('NONE');
        },
        writeMarker: (topic, partition, marker, onDone) => void data.push([topic, partition, marker, onDone]),
      },
      (answer) => answers.push(answer),
    );
    const marker = { producerId: 7, producerEpoch: 2, result: 'COMMIT', coordinatorEpoch: 4 };
    expect(group).toEqual([[12, marker]]);
    expect(data.map(([topic, partition, written]) => [topic, partition, written])).toEqual([
      ['output', 0, marker],
      ['output', 1, marker],
    ]);
    expect(answers).toEqual([]);
    data[1]?.[3]('NOT_LEADER_OR_FOLLOWER');
    data[0]?.[3]('NONE');
    expect(answers).toHaveLength(1);
    const [answer] = answers as Array<{ markers: Array<{ producerId: number; topics: Array<{ name: string; partitions: Array<{ partitionIndex: number; errorCode: number }> }> }> }>;
    expect(answer?.markers[0]?.producerId).toBe(7);
    expect(answer?.markers[0]?.topics.map((topic) => [topic.name, topic.partitions.map((partition) => [partition.partitionIndex, errorForCode(partition.errorCode).name])])).toEqual([
      ['output', [[0, 'NONE'], [1, 'NOT_LEADER_OR_FOLLOWER']]],
      ['__consumer_offsets', [[12, 'NONE']]],
    ]);
  });
});

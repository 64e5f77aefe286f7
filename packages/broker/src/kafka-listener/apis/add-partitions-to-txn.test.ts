import { defaultRequestBody, type AddPartitionsToTxnRequest } from '@kactor/kafka-protocol';
import { wireError, type ResponseBody } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { addPartitionsToTxnAdapter } from './add-partitions-to-txn.js';
import { answeredInEveryVersion, translated } from './admin-adapter.test-support.js';

const request: AddPartitionsToTxnRequest = {
  ...defaultRequestBody('AddPartitionsToTxn'),
  v3AndBelowTransactionalId: 'payments',
  v3AndBelowProducerId: 4001n,
  v3AndBelowProducerEpoch: 2,
  v3AndBelowTopics: [
    { name: 'orders', partitions: [0, 2] },
    { name: 'audit', partitions: [1] },
  ],
};

const kactorAnswer: ResponseBody<'addPartitionsToTxn'> = {
  throttleTimeMs: 0,
  results: [
    { name: 'orders', resultsByPartition: [{ partitionIndex: 0, partitionErrorCode: 0 }, { partitionIndex: 2, partitionErrorCode: 0 }] },
    { name: 'audit', resultsByPartition: [{ partitionIndex: 1, partitionErrorCode: 3 }] },
  ],
};

describe('AddPartitionsToTxn adapter', () => {
  it('reads the one transaction of v0-3 (producer id as a number)', () => {
    for (let version = 0; version <= addPartitionsToTxnAdapter.versions.max; version += 1) {
      expect(translated(addPartitionsToTxnAdapter, version, request)).toEqual({
        transactionalId: 'payments',
        producerId: 4001,
        producerEpoch: 2,
        topics: [
          { name: 'orders', partitions: [0, 2] },
          { name: 'audit', partitions: [1] },
        ],
      });
    }
  });

  it('turns a producer id past 2^53, which kactor never hands out, into one it refuses', () => {
    const kactor = translated(addPartitionsToTxnAdapter, 0, { ...request, v3AndBelowProducerId: 9_007_199_254_740_993n });
    expect(kactor.producerId).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('answers each partition with its error in every version served', () => {
    const read = answeredInEveryVersion(addPartitionsToTxnAdapter, () => addPartitionsToTxnAdapter.toKafkaResponse(kactorAnswer, request, 0, { kafkaEndpointOf: () => undefined }));
    for (const answer of read.values()) expect(answer.resultsByTopicV3AndBelow).toEqual(kactorAnswer.results);
  });

  it('puts the error on every partition asked for, as Kafka\'s error response does', () => {
    const answer = addPartitionsToTxnAdapter.errorResponse(wireError('NOT_COORDINATOR'), request, 0);
    expect(answer.resultsByTopicV3AndBelow).toEqual([
      { name: 'orders', resultsByPartition: [{ partitionIndex: 0, partitionErrorCode: 16 }, { partitionIndex: 2, partitionErrorCode: 16 }] },
      { name: 'audit', resultsByPartition: [{ partitionIndex: 1, partitionErrorCode: 16 }] },
    ]);
    answeredInEveryVersion(addPartitionsToTxnAdapter, () => answer);
  });
});

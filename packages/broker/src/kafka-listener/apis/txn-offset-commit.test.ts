import type { TxnOffsetCommitRequest } from '@kactor/kafka-protocol';
import { wireError, type ResponseBody } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { answeredInEveryVersion, translated } from './admin-adapter.test-support.js';
import { txnOffsetCommitAdapter } from './txn-offset-commit.js';

const request = (member: Pick<TxnOffsetCommitRequest, 'generationId' | 'memberId' | 'groupInstanceId'>, committedLeaderEpoch = -1): TxnOffsetCommitRequest => ({
  transactionalId: 'payments',
  groupId: 'billing',
  producerId: 4001n,
  producerEpoch: 2,
  ...member,
  topics: [{ name: 'orders', partitions: [{ partitionIndex: 1, committedOffset: 42n, committedLeaderEpoch, committedMetadata: 'm' }] }],
});

const noMember = { generationId: -1, memberId: '', groupInstanceId: null };
const member = { generationId: 7, memberId: 'consumer-1-abc', groupInstanceId: 'instance-1' };

describe('TxnOffsetCommit adapter', () => {
  it('reads v0-2, which lack the KIP-447 member fields, as a commit that skips the member check', () => {
    for (let version = 0; version <= 2; version += 1) {
      expect(translated(txnOffsetCommitAdapter, version, request(noMember, version >= 2 ? 5 : -1))).toEqual({
        transactionalId: 'payments',
        groupId: 'billing',
        producerId: 4001,
        producerEpoch: 2,
        generationId: -1,
        memberId: '',
        groupInstanceId: null,
        topics: [{ name: 'orders', partitions: [{ partitionIndex: 1, committedOffset: 42, committedLeaderEpoch: version >= 2 ? 5 : -1, committedMetadata: 'm' }] }],
      });
    }
  });

  it('passes v3\'s generation, member id and instance id to the coordinator\'s check', () => {
    expect(translated(txnOffsetCommitAdapter, 3, request(member, 5))).toMatchObject(member);
  });

  it('answers each partition with its error in every version served', () => {
    const kactorAnswer: ResponseBody<'txnOffsetCommit'> = { throttleTimeMs: 0, topics: [{ name: 'orders', partitions: [{ partitionIndex: 1, errorCode: 22 }] }] };
    const read = answeredInEveryVersion(txnOffsetCommitAdapter, () => txnOffsetCommitAdapter.toKafkaResponse(kactorAnswer, request(noMember), 0, { kafkaEndpointOf: () => undefined }));
    for (const answer of read.values()) expect(answer.topics).toEqual(kactorAnswer.topics);
  });

  it('puts the error on every partition asked for, as Kafka\'s error response does', () => {
    const answer = txnOffsetCommitAdapter.errorResponse(wireError('NOT_COORDINATOR'), request(noMember), 0);
    expect(answer.topics).toEqual([{ name: 'orders', partitions: [{ partitionIndex: 1, errorCode: 16 }] }]);
  });
});

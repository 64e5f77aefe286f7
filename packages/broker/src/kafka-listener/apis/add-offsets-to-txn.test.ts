import { wireError } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { addOffsetsToTxnAdapter } from './add-offsets-to-txn.js';
import { answeredInEveryVersion, translated } from './admin-adapter.test-support.js';

const request = { transactionalId: 'payments', producerId: 4001n, producerEpoch: 2, groupId: 'billing' };

describe('AddOffsetsToTxn adapter', () => {
  it('passes the transaction and the group through in every version served', () => {
    for (let version = 0; version <= addOffsetsToTxnAdapter.versions.max; version += 1) {
      expect(translated(addOffsetsToTxnAdapter, version, request)).toEqual({ transactionalId: 'payments', producerId: 4001, producerEpoch: 2, groupId: 'billing' });
    }
  });

  it('answers the coordinator\'s error code in every version served', () => {
    const read = answeredInEveryVersion(addOffsetsToTxnAdapter, () => addOffsetsToTxnAdapter.toKafkaResponse({ throttleTimeMs: 0, errorCode: 51 }, request, 0, { kafkaEndpointOf: () => undefined }));
    for (const answer of read.values()) expect(answer.errorCode).toBe(51);
  });

  it('answers an error with its code', () => {
    expect(addOffsetsToTxnAdapter.errorResponse(wireError('NOT_COORDINATOR'), request, 0)).toEqual({ throttleTimeMs: 0, errorCode: 16 });
  });
});

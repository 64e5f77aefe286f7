import { wireError } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { answeredInEveryVersion, translated } from './admin-adapter.test-support.js';
import { endTxnAdapter } from './end-txn.js';

const request = (committed: boolean) => ({ transactionalId: 'payments', producerId: 4001n, producerEpoch: 2, committed });

describe('EndTxn adapter', () => {
  it('passes a commit or an abort through in every version served', () => {
    for (let version = 0; version <= endTxnAdapter.versions.max; version += 1) {
      expect(translated(endTxnAdapter, version, request(true))).toEqual({ transactionalId: 'payments', producerId: 4001, producerEpoch: 2, committed: true });
      expect(translated(endTxnAdapter, version, request(false)).committed).toBe(false);
    }
  });

  it('answers the coordinator\'s error code in every version served', () => {
    const read = answeredInEveryVersion(endTxnAdapter, () => endTxnAdapter.toKafkaResponse({ throttleTimeMs: 0, errorCode: 48 }, request(true), 0, { kafkaEndpointOf: () => undefined }));
    for (const answer of read.values()) expect(answer.errorCode).toBe(48);
  });

  it('answers an error with its code', () => {
    expect(endTxnAdapter.errorResponse(wireError('CONCURRENT_TRANSACTIONS'), request(true), 1).errorCode).toBe(51);
  });
});

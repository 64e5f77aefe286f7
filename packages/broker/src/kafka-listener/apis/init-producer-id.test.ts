import { decodeResponseBody, encodeResponseBody, type InitProducerIdRequest } from '@kactor/kafka-protocol';
import { errorCodes, wireError } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { initProducerIdAdapter } from './init-producer-id.js';

const context = { kafkaEndpointOf: () => undefined };
/** v0-v2 decode without the producer's current id and epoch (-1, a first call). */
const request = (transactionalId: string | null, transactionTimeoutMs: number, producerId = -1n, producerEpoch = -1): InitProducerIdRequest => ({
  transactionalId,
  transactionTimeoutMs,
  producerId,
  producerEpoch,
});

describe('InitProducerId adapter', () => {
  it('reads librdkafka\'s idempotent call (null, -1), KafkaJS\'s (null, 60000) and a transactional one', () => {
    expect(initProducerIdAdapter.toKactorRequest(request(null, -1), 1)).toEqual({ transactionalId: null, transactionTimeoutMs: -1, producerId: -1, producerEpoch: -1 });
    expect(initProducerIdAdapter.toKactorRequest(request(null, 60_000), 0)).toEqual({ transactionalId: null, transactionTimeoutMs: 60_000, producerId: -1, producerEpoch: -1 });
    expect(initProducerIdAdapter.toKactorRequest(request('copier', 60_000, 4_000n, 2), 3)).toEqual({ transactionalId: 'copier', transactionTimeoutMs: 60_000, producerId: 4_000, producerEpoch: 2 });
  });

  it('answers the producer id and epoch in every served version', () => {
    for (let version = initProducerIdAdapter.versions.min; version <= initProducerIdAdapter.versions.max; version += 1) {
      const kafka = initProducerIdAdapter.toKafkaResponse({ throttleTimeMs: 0, errorCode: 0, errorMessage: null, producerId: 1_000, producerEpoch: 0 }, request(null, -1), version, context);
      const decoded = decodeResponseBody('InitProducerId', version, encodeResponseBody('InitProducerId', version, kafka));
      if (!decoded.ok) throw new Error(`v${version}: ${decoded.error.message}`);
      expect(decoded.value, `v${version}`).toMatchObject({ errorCode: 0, producerId: 1_000n, producerEpoch: 0 });
    }
  });

  it('tells clients before v4 INVALID_PRODUCER_EPOCH where v4 says PRODUCER_FENCED (KIP-588)', () => {
    const fenced = { throttleTimeMs: 0, errorCode: errorCodes.PRODUCER_FENCED, errorMessage: null, producerId: -1, producerEpoch: -1 };
    expect(initProducerIdAdapter.toKafkaResponse(fenced, request('copier', 60_000), 3, context).errorCode).toBe(errorCodes.INVALID_PRODUCER_EPOCH);
    expect(initProducerIdAdapter.toKafkaResponse(fenced, request('copier', 60_000), 4, context).errorCode).toBe(errorCodes.PRODUCER_FENCED);
    expect(initProducerIdAdapter.errorResponse(wireError('PRODUCER_FENCED'), request('copier', 60_000), 1).errorCode).toBe(errorCodes.INVALID_PRODUCER_EPOCH);
  });

  it('answers an error with no producer id or epoch, as Kafka\'s error response does', () => {
    expect(initProducerIdAdapter.errorResponse(wireError('NOT_COORDINATOR'), request('copier', 60_000), 1)).toEqual({ throttleTimeMs: 0, errorCode: 16, producerId: -1n, producerEpoch: -1 });
  });
});

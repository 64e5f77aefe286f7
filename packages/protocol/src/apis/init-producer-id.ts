/**
 * InitProducerId (Kafka api key 22, KIP-98; KIP-360 for the producerId/producerEpoch fields): gives a producer its
 * id and epoch. Without a transactional id any broker answers with a fresh id from its block (epoch 0): an
 * idempotent producer. With one, the transaction coordinator of that id answers: the same id with its epoch bumped,
 * which fences every older producer of the id (PRODUCER_FENCED) and aborts its open transaction first
 * (CONCURRENT_TRANSACTIONS until that is done). `producerId`/`producerEpoch` in the request are -1 on a first call;
 * a producer re-initialising after an error sends its current ones, and the coordinator bumps only if they match.
 */
import { z } from 'zod';
import { int16, int32, int64, nullableString } from './primitives.js';

export const initProducerIdRequestV0 = z.strictObject({
  transactionalId: nullableString,
  /** transaction.timeout.ms of the producer; ignored without a transactional id. */
  transactionTimeoutMs: int32,
  producerId: int64,
  producerEpoch: int16,
});

export const initProducerIdResponseV0 = z.strictObject({
  throttleTimeMs: int32,
  errorCode: int16,
  errorMessage: nullableString,
  producerId: int64,
  producerEpoch: int16,
});

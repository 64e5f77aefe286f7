/**
 * AddOffsetsToTxn (Kafka api key 25, KIP-98): a transactional producer that will commit a group's offsets in its
 * transaction (sendOffsetsToTransaction) first tells its transaction coordinator the group, which adds the group's
 * `__consumer_offsets` partition to the transaction so that partition gets the transaction's marker too. The
 * offsets themselves then go to the group coordinator in a TxnOffsetCommit.
 */
import { z } from 'zod';
import { int16, int32, int64, kafkaString } from './primitives.js';

export const addOffsetsToTxnRequestV0 = z.strictObject({
  transactionalId: kafkaString,
  producerId: int64,
  producerEpoch: int16,
  groupId: kafkaString,
});

export const addOffsetsToTxnResponseV0 = z.strictObject({
  throttleTimeMs: int32,
  errorCode: int16,
});

/**
 * EndTxn (Kafka api key 26, KIP-98): a transactional producer asks its transaction coordinator to commit
 * (`committed` true) or abort its transaction. The coordinator logs PrepareCommit or PrepareAbort, answers, then
 * writes the markers (WriteTxnMarkers) and logs CompleteCommit or CompleteAbort; until then the id's next
 * transaction waits (CONCURRENT_TRANSACTIONS).
 */
import { z } from 'zod';
import { int16, int32, int64, kafkaString } from './primitives.js';

export const endTxnRequestV0 = z.strictObject({
  transactionalId: kafkaString,
  producerId: int64,
  producerEpoch: int16,
  /** True to commit the transaction, false to abort it. */
  committed: z.boolean(),
});

export const endTxnResponseV0 = z.strictObject({
  throttleTimeMs: int32,
  errorCode: int16,
});

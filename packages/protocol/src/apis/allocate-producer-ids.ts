/**
 * AllocateProducerIds (Kafka api key 67, KIP-730): a broker asks the active controller for a block of producer ids
 * to hand out in InitProducerId answers. The controller records the block as a ProducerIdsRecord in the metadata
 * log before answering, so no id is ever handed out twice, across controller failovers included. The request
 * carries the broker's epoch: a fenced or stale broker (STALE_BROKER_EPOCH) gets nothing.
 */
import { z } from 'zod';
import { int16, int32, int64, nullableString } from './primitives.js';

export const allocateProducerIdsRequestV0 = z.strictObject({
  brokerId: int32,
  brokerEpoch: int64,
});

export const allocateProducerIdsResponseV0 = z.strictObject({
  throttleTimeMs: int32,
  errorCode: int16,
  errorMessage: nullableString,
  /** The first id of the block. */
  producerIdStart: int64,
  /** How many ids the block holds (Kafka's ProducerIdsBlock.PRODUCER_ID_BLOCK_SIZE, 1000). */
  producerIdLen: int32,
});

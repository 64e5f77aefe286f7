/**
 * AddOffsetsToTxn (key 25, KIP-98) over the Kafka listener, versions 0-3: one layout (v1 and v2 only changed
 * which errors a client may see, v3 is flexible), the same as kactor's AddOffsetsToTxn.
 */
import type { AddOffsetsToTxnRequest, AddOffsetsToTxnResponse } from '@kactor/kafka-protocol';
import type { RequestBody, ResponseBody, WireError } from '@kactor/protocol';
import type { KafkaApiAdapter } from './adapter.js';
import { int64ToNumber } from './int64-to-number.js';

export const addOffsetsToTxnAdapter: KafkaApiAdapter<'AddOffsetsToTxn', 'addOffsetsToTxn'> = {
  kafkaApi: 'AddOffsetsToTxn',
  kactorApi: 'addOffsetsToTxn',
  versions: { min: 0, max: 3 },
  toKactorRequest(body: AddOffsetsToTxnRequest): RequestBody<'addOffsetsToTxn'> {
    return { transactionalId: body.transactionalId, producerId: int64ToNumber(body.producerId), producerEpoch: body.producerEpoch, groupId: body.groupId };
  },
  toKafkaResponse(body: ResponseBody<'addOffsetsToTxn'>): AddOffsetsToTxnResponse {
    return { throttleTimeMs: body.throttleTimeMs, errorCode: body.errorCode };
  },
  errorResponse(error: WireError): AddOffsetsToTxnResponse {
    return { throttleTimeMs: 0, errorCode: error.code };
  },
};

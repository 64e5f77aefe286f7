/**
 * EndTxn (key 26, KIP-98) over the Kafka listener, versions 0-3: one layout (v1 and v2 only changed which errors
 * a client may see, v3 is flexible), the same as kactor's EndTxn. v4 promises the client TRANSACTION_ABORTABLE and
 * v5 belongs to KIP-890's transaction version 2 (a new epoch per transaction), which kactor's coordinator does not
 * follow, so neither is served.
 */
import type { EndTxnRequest, EndTxnResponse } from '@kactor/kafka-protocol';
import type { RequestBody, ResponseBody, WireError } from '@kactor/protocol';
import type { KafkaApiAdapter } from './adapter.js';
import { int64ToNumber } from './int64-to-number.js';

/** v5's producer id and epoch, which the versions served do not carry: Kafka's defaults. */
const noNewProducerEpoch = { producerId: -1n, producerEpoch: -1 };

export const endTxnAdapter: KafkaApiAdapter<'EndTxn', 'endTxn'> = {
  kafkaApi: 'EndTxn',
  kactorApi: 'endTxn',
  versions: { min: 0, max: 3 },
  toKactorRequest(body: EndTxnRequest): RequestBody<'endTxn'> {
    return { transactionalId: body.transactionalId, producerId: int64ToNumber(body.producerId), producerEpoch: body.producerEpoch, committed: body.committed };
  },
  toKafkaResponse(body: ResponseBody<'endTxn'>): EndTxnResponse {
    return { ...noNewProducerEpoch, throttleTimeMs: body.throttleTimeMs, errorCode: body.errorCode };
  },
  errorResponse(error: WireError): EndTxnResponse {
    return { ...noNewProducerEpoch, throttleTimeMs: 0, errorCode: error.code };
  },
};

/**
 * InitProducerId (key 22) over the Kafka listener, versions 0-4. v0 and v1 share a layout (librdkafka's
 * idempotent producer sends a null transactional id with timeout -1, KafkaJS null with 60000); v2 makes it
 * flexible; v3 adds the producer's current id and epoch, so that it can bump its epoch after an error (KIP-360),
 * which kactor's coordinator does; v4 may answer PRODUCER_FENCED (KIP-588), which older versions hear as
 * INVALID_PRODUCER_EPOCH, as Kafka tells them. v5+ (KIP-890 transactions v2, KIP-939 two-phase commit) are not served.
 */
import type { InitProducerIdRequest, InitProducerIdResponse } from '@kactor/kafka-protocol';
import { errorCodes, type RequestBody, type ResponseBody, type WireError } from '@kactor/protocol';
import type { KafkaApiAdapter } from './adapter.js';
import { int64ToNumber } from './int64-to-number.js';

/** KIP-588: InitProducerId v4 is the first that may answer PRODUCER_FENCED. */
const FIRST_VERSION_WITH_PRODUCER_FENCED = 4;

function errorCodeForVersion(errorCode: number, version: number): number {
  return errorCode === errorCodes.PRODUCER_FENCED && version < FIRST_VERSION_WITH_PRODUCER_FENCED ? errorCodes.INVALID_PRODUCER_EPOCH : errorCode;
}

export const initProducerIdAdapter: KafkaApiAdapter<'InitProducerId', 'initProducerId'> = {
  kafkaApi: 'InitProducerId',
  kactorApi: 'initProducerId',
  versions: { min: 0, max: 4 },
  toKactorRequest(body: InitProducerIdRequest): RequestBody<'initProducerId'> {
    return {
      transactionalId: body.transactionalId,
      // Ignored without a transactional id (librdkafka's -1 included), as Kafka ignores it.
      transactionTimeoutMs: body.transactionTimeoutMs,
      // Before v3 these decode as -1 (a first call), which is what such a producer means.
      producerId: int64ToNumber(body.producerId),
      producerEpoch: body.producerEpoch,
    };
  },
  toKafkaResponse(body: ResponseBody<'initProducerId'>, _request: InitProducerIdRequest, version: number): InitProducerIdResponse {
    return {
      throttleTimeMs: body.throttleTimeMs,
      errorCode: errorCodeForVersion(body.errorCode, version),
      producerId: BigInt(body.producerId),
      producerEpoch: body.producerEpoch,
    };
  },
  errorResponse(error: WireError, _request: InitProducerIdRequest, version: number): InitProducerIdResponse {
    // As Kafka's InitProducerIdRequest.getErrorResponse: no producer id, no epoch.
    return { throttleTimeMs: 0, errorCode: errorCodeForVersion(error.code, version), producerId: -1n, producerEpoch: -1 };
  },
};

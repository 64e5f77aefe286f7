/**
 * TxnOffsetCommit (key 28, KIP-98) over the Kafka listener, versions 0-3. It goes to the group's coordinator,
 * which keeps the offsets pending until the transaction's marker. v2 adds each offset's leader epoch; v3 (flexible)
 * adds the consumer's generation, member id and group.instance.id (KIP-447), which kactor's TxnOffsetCommit checks
 * as Kafka does. Older versions lack them and decode them as Kafka's defaults (-1, '', null), which are exactly the
 * values that skip the check. v4 promises the client TRANSACTION_ABORTABLE (KIP-890), so it is not served.
 */
import type { TxnOffsetCommitRequest, TxnOffsetCommitResponse } from '@kactor/kafka-protocol';
import type { RequestBody, ResponseBody, WireError } from '@kactor/protocol';
import type { KafkaApiAdapter } from './adapter.js';
import { committedOffsets } from './committed-offsets.js';
import { everyPartitionFailed, partitionErrors } from './partition-errors.js';
import { int64ToNumber } from './int64-to-number.js';

export const txnOffsetCommitAdapter: KafkaApiAdapter<'TxnOffsetCommit', 'txnOffsetCommit'> = {
  kafkaApi: 'TxnOffsetCommit',
  kactorApi: 'txnOffsetCommit',
  versions: { min: 0, max: 3 },
  toKactorRequest(body: TxnOffsetCommitRequest): RequestBody<'txnOffsetCommit'> {
    return {
      transactionalId: body.transactionalId,
      groupId: body.groupId,
      producerId: int64ToNumber(body.producerId),
      producerEpoch: body.producerEpoch,
      generationId: body.generationId,
      memberId: body.memberId,
      groupInstanceId: body.groupInstanceId,
      topics: committedOffsets(body.topics),
    };
  },
  toKafkaResponse(body: ResponseBody<'txnOffsetCommit'>): TxnOffsetCommitResponse {
    return {
      throttleTimeMs: body.throttleTimeMs,
      topics: partitionErrors(body.topics),
    };
  },
  errorResponse(error: WireError, request: TxnOffsetCommitRequest): TxnOffsetCommitResponse {
    // As Kafka's TxnOffsetCommitRequest.getErrorResponse: every partition asked for carries the error.
    return {
      throttleTimeMs: 0,
      topics: everyPartitionFailed(request.topics, error.code),
    };
  },
};

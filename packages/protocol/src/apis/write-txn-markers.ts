/**
 * WriteTxnMarkers (Kafka api key 27, KIP-98): a transaction coordinator asks a partition leader to append the
 * COMMIT or ABORT marker (a control batch, `records/end-txn-marker-batch.ts`) of a producer's transaction to each
 * listed partition. The coordinator epoch travels in the marker, so a leader can refuse a zombie coordinator's
 * markers. Only brokers send it: a control-plane request (ClusterAction in Kafka, see cluster-actions.ts).
 */
import { z } from 'zod';
import { boundedArray, int16, int32, int64, kafkaString } from './primitives.js';
import { txnTopicPartitions } from './transaction-fields.js';
import { wireLimits } from './wire-limits.js';

export const writeTxnMarkersRequestV0 = z.strictObject({
  markers: boundedArray(
    z.strictObject({
      producerId: int64,
      producerEpoch: int16,
      /** True writes a COMMIT marker, false an ABORT marker. */
      transactionResult: z.boolean(),
      topics: boundedArray(txnTopicPartitions, wireLimits.maxTopicsPerRequest),
      coordinatorEpoch: int32,
    }),
    wireLimits.maxTxnMarkersPerRequest,
  ),
});

export const writeTxnMarkersResponseV0 = z.strictObject({
  markers: boundedArray(
    z.strictObject({
      producerId: int64,
      topics: boundedArray(
        z.strictObject({
          name: kafkaString,
          partitions: boundedArray(z.strictObject({ partitionIndex: int32, errorCode: int16 }), wireLimits.maxPartitionsPerTopicInRequest),
        }),
        wireLimits.maxTopicsPerRequest,
      ),
    }),
    wireLimits.maxTxnMarkersPerRequest,
  ),
});
